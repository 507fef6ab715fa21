import TunesmithCore

/// The fields `music/create` and `music/extend` share: which account runs the job, its callbacks, the slot
/// limit, the seed and the stems (API.md).
struct JobOptions: Sendable, Hashable {
    var email: String?
    var replyURL: String?
    var replyRef: String?
    var maxJobs: Int?
    var seed: UInt64?
    var stems: Bool

    static let maxReplyLength = 1_024
    static let maxJobsRange: ClosedRange<Int64> = 1...8

    /// The fields as sent, with their types checked (a wrongly typed field is reported before any rule).
    struct Given: Sendable, Hashable {
        var email: String?
        var replyURL: String?
        var replyRef: String?
        var maxJobs: Int64?
        var seed: UInt64?
        var stems: Bool?

        init(_ fields: RequestFields) throws(APIError) {
            email = try fields.string("email")
            replyURL = try fields.string("replyUrl")
            replyRef = try fields.string("replyRef")
            maxJobs = try fields.integer("maxJobs")
            seed = try fields.unsignedInteger("seed")
            stems = try fields.bool("stems")
        }
    }

    /// The rules of API.md; empty texts count as absent.
    init(_ given: Given) throws(APIError) {
        if let replyURL = given.replyURL, replyURL.count > Self.maxReplyLength {
            throw APIError.badRequest("replyUrl: at most \(Self.maxReplyLength) characters")
        }
        if let replyRef = given.replyRef, replyRef.count > Self.maxReplyLength {
            throw APIError.badRequest("replyRef: at most \(Self.maxReplyLength) characters")
        }
        replyURL = given.replyURL.flatMap { $0.isEmpty ? nil : $0 }
        replyRef = given.replyRef
        if let maxJobs = given.maxJobs {
            guard Self.maxJobsRange.contains(maxJobs) else {
                throw APIError.badRequest("maxJobs: must be an integer from 1 to 8, got \(maxJobs)")
            }
            self.maxJobs = Int(maxJobs)
        } else {
            maxJobs = nil
        }
        seed = given.seed
        stems = given.stems ?? false
        email = given.email.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Stems are made by the local engine; a model the operator routed to a cloud provider cannot give them.
    func checkStems(model: MusicModel, backend: String) throws(APIError) {
        guard stems, backend != "local" else { return }
        throw APIError.badRequest(
            "stems: only the local engine makes stems, and \(model.rawValue) is rendered by \(backend) here")
    }

    /// Applies the options to a request (stems stay nil when not asked for: the stored JSON is unchanged).
    func apply(to request: inout TrackRequest) {
        request.replyURL = replyURL
        request.replyRef = replyRef
        request.maxJobs = maxJobs
        request.stems = stems ? true : nil
    }
}
