/// The models of the contract (API.md "Models"). The model fixes limits, cost and features; which backend
/// renders it is operator configuration.
public enum MusicModel: String, Sendable, Hashable, Codable, CaseIterable {
    case music26 = "music-2.6"
    case musicV1 = "music-v1"
    case lyria3ProPreview = "lyria-3-pro-preview"

    public static let `default` = MusicModel.music26

    public var spec: ModelSpec {
        switch self {
        case .music26:
            ModelSpec(promptMax: 2_000, lyricsMax: 3_500, maxImages: 0, credits: 40, maxSeconds: 300)
        case .musicV1:
            ModelSpec(promptMax: 4_000, lyricsMax: 3_500, maxImages: 0, credits: 150, maxSeconds: 300)
        case .lyria3ProPreview:
            ModelSpec(promptMax: 5_000, lyricsMax: nil, maxImages: 10, credits: 20, maxSeconds: 180)
        }
    }
}

public struct ModelSpec: Sendable, Hashable, Codable {
    /// Longest prompt accepted, in characters.
    public var promptMax: Int
    /// Longest custom lyrics accepted; nil when the model takes no custom lyrics.
    public var lyricsMax: Int?
    /// How many reference images (`image_path_1..N`) the model takes; 0 = none.
    public var maxImages: Int
    /// Credits debited per track.
    public var credits: Int
    /// Longest song the model makes, in seconds.
    public var maxSeconds: Int
}

/// Track state (API.md "Track object").
public enum AudioStatus: Int, Sendable, Hashable, Codable, CaseIterable {
    case queued = 5
    case generating = 10
    case completed = 1
    case failed = 8

    public var name: String {
        switch self {
        case .queued: "QUEUED"
        case .generating: "GENERATING"
        case .completed: "COMPLETED"
        case .failed: "FAILED"
        }
    }

    public var isFinal: Bool { self == .completed || self == .failed }

    /// The coarse `status` field: making | finish | failed.
    public var coarse: String {
        switch self {
        case .queued, .generating: "making"
        case .completed: "finish"
        case .failed: "failed"
        }
    }
}

/// An error answered to an API client as `{"error": message, "code": status}`.
public struct APIError: Error, Sendable, Hashable {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public static let unauthorized = APIError(401, "Unauthorized")
    public static let creditsUsedUp = APIError(
        412, "All Credits have been used up. Please upgrade your membership or purchase credits.")
    public static let allAccountsBusy = APIError(429, "All configured accounts are running at maximum capacity.")
    public static func accountBusy(_ email: String, maxJobs: Int) -> APIError {
        APIError(429, "Account \(email) is busy executing \(maxJobs) tasks.")
    }
    public static func accountPendingError(_ email: String) -> APIError {
        APIError(
            596,
            "Your account \(email) has pending error. Please address this issue and re-POST accounts/\(email) before making any new API calls."
        )
    }
    public static func badRequest(_ message: String) -> APIError { APIError(400, message) }
    public static func musicNotFound(_ audioID: String) -> APIError { APIError(404, "Music \(audioID) not found") }
}
