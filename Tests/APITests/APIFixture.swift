import API
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Storage
import TestSupport
import Testing
import TunesmithCore

/// Remembers which jobs the API asked to stop.
final class RecordingCanceller: JobCanceller {
    private let assetIDs = NIOLockedValueBox<[Int64]>([])

    func cancelRunning(assetID: Int64) async { assetIDs.withLockedValue { $0.append(assetID) } }
    var cancelled: [Int64] { assetIDs.withLockedValue { $0 } }
}

final class Counter: Sendable {
    private let count = NIOLockedValueBox(0)
    func increment() { count.withLockedValue { $0 += 1 } }
    var value: Int { count.withLockedValue { $0 } }
}

/// Accepts http(s) URLs except those naming the host `blocked.invalid` (stands in for a private address).
struct TestReplyURLValidator: ReplyURLValidator {
    func validate(_ url: String) async throws(APIError) -> URL {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
            let host = parsed.host, host != "blocked.invalid"
        else { throw APIError.badRequest("replyUrl: not a permitted http(s) URL") }
        return parsed
    }
}

/// A fresh store and media folder, plus recording test doubles; time moves only when the test moves `clock`.
struct Fixture: Sendable {
    let folder: TemporaryFolder
    let store: any TunesmithStore
    let media: MediaFiles
    let signer: MediaLinkSigner
    let clock: TestClock
    let canceller: RecordingCanceller
    let wakes: Counter
    let metrics: APIMetrics
    let dependencies: APIDependencies

    init(store: any TunesmithStore, limits: APILimits) throws {
        folder = try TemporaryFolder("api-tests")
        self.store = store
        media = try folder.dataDirectory().media
        signer = MediaLinkSigner(baseURL: "http://tunesmith.test", secret: Data("test-secret-key".utf8), lifetime: 3600)
        clock = TestClock()
        canceller = RecordingCanceller()
        let wakes = Counter()
        self.wakes = wakes
        metrics = APIMetrics()
        dependencies = APIDependencies(
            store: store, media: media, signer: signer, jobCanceller: canceller, wakeWorkers: { wakes.increment() },
            replyURLValidator: TestReplyURLValidator(), limits: limits, metrics: metrics, now: clock.wallClock)
    }

    /// A user with a fresh token.
    func makeUser(_ name: String = "alice") async throws -> (user: User, token: String) {
        try await store.makeUserWithToken(name: name, now: clock.date)
    }

    @discardableResult
    func makeAccount(_ user: User, _ email: String = "a@example.com", maxJobs: Int = 8, credits: Int? = nil)
        async throws -> Account
    {
        try await store.upsertAccount(
            userID: user.id, email: email, maxJobs: maxJobs, credits: credits, passwordHash: nil, now: clock.date)
    }
}

/// Runs `body` against the API once for every store backend, each time with a fresh fixture: through the
/// router (no sockets), or with `.live` over a loopback socket. `configure` changes the fixture's dependencies
/// for this server.
func withAPI(
    limits: APILimits = APILimits(), over setup: TestingSetup = .router,
    configure: (inout APIDependencies) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, Fixture) async throws -> Void
) async throws {
    try await withEachStore { store in
        let fixture = try Fixture(store: store, limits: limits)
        defer { fixture.folder.remove() }
        var dependencies = fixture.dependencies
        configure(&dependencies)
        let app = buildApplication(
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), dependencies: dependencies,
            logger: quietLogger)
        try await app.test(setup) { client in try await body(client, fixture) }
    }
}

extension TestClientProtocol {
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
        contentType: String? = "application/json", headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await send(method, uri, token: token, bytes: body.map { Array($0.utf8) }, contentType: contentType, headers: extra)
    }

    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, bytes: [UInt8]?,
        contentType: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let contentType, bytes != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
    }

    /// `POST /music/create` with a JSON body.
    func create(_ json: String, token: String) async throws -> TestResponse {
        try await send(.post, "/v2/pixverse/music/create", token: token, body: json)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed]))
            as? [String: Any] ?? [:]
    }

    var jsonArray: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [[String: Any]] ?? []
    }
}

/// The response is the contract's JSON error with this status, and its message contains `fragment`.
func expectError(
    _ response: TestResponse, _ status: Int, _ fragment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status.code == status, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    let json = response.json
    #expect(json["code"] as? Int == status, "body: \(response.text)", sourceLocation: sourceLocation)
    let message = json["error"] as? String
    #expect(message?.isEmpty == false, sourceLocation: sourceLocation)
    if let fragment {
        #expect(message?.contains(fragment) == true, "message: \(message ?? "nil")", sourceLocation: sourceLocation)
    }
}

/// Percent-encodes everything but unreserved characters (what a cautious client does to an id in a path).
func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(
        withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))
        ?? text
}
