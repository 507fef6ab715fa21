import API
import Foundation
import Hummingbird
import HummingbirdTesting
import ProviderFakes
import Storage
import Testing
import TunesmithCore

/// A clock the tests move by hand (link expiry, elapsed times, newest-first ordering).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Remembers which jobs the API asked to stop.
final class RecordingCanceller: JobCanceller, @unchecked Sendable {
    private let lock = NSLock()
    private var assetIDs: [Int64] = []

    func cancelRunning(assetID: Int64) async { lock.withLock { assetIDs.append(assetID) } }
    var cancelled: [Int64] { lock.withLock { assetIDs } }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
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

/// The real SQLite store and media folder in a fresh temporary directory, plus recording test doubles.
struct Fixture: Sendable {
    let directory: URL
    let store: SQLiteStore
    let media: MediaFiles
    let signer: MediaLinkSigner
    let clock: TestClock
    let canceller: RecordingCanceller
    let wakes: Counter
    let metrics: APIMetrics
    let dependencies: APIDependencies

    init(limits: APILimits = APILimits()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("api-tests-\(UUID().uuidString)")
        let dataDirectory = DataDirectory(root: directory)
        store = try SQLiteStore(dataDirectory: dataDirectory)
        media = dataDirectory.media
        signer = MediaLinkSigner(baseURL: "http://tunesmith.test", secret: Data("test-secret-key".utf8), lifetime: 3600)
        let clock = TestClock()
        self.clock = clock
        canceller = RecordingCanceller()
        let wakes = Counter()
        self.wakes = wakes
        metrics = APIMetrics()
        dependencies = APIDependencies(
            store: store, media: media, signer: signer, jobCanceller: canceller, wakeWorkers: { wakes.increment() },
            replyURLValidator: TestReplyURLValidator(), limits: limits, metrics: metrics,
            backends: Dictionary(uniqueKeysWithValues: MusicModel.allCases.map { ($0, TestEngines.backend(for: $0.rawValue)) }),
            now: { clock.now })
    }

    /// A user with a fresh token.
    func makeUser(_ name: String = "alice") async throws -> (user: User, token: String) {
        let user = try await store.createUser(name: name, now: clock.now)
        let token = Token.make(userID: user.id)
        try await store.addToken(userID: user.id, tokenHash: Token.hash(token), now: clock.now)
        return (user, token)
    }

    @discardableResult
    func makeAccount(_ user: User, _ email: String = "a@example.com", maxJobs: Int = 8, credits: Int? = nil)
        async throws -> Account
    {
        try await store.upsertAccount(
            userID: user.id, email: email, maxJobs: maxJobs, credits: credits, passwordHash: nil, now: clock.now)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Runs `body` against the router (no sockets) with a fresh fixture.
func withAPI(
    limits: APILimits = APILimits(),
    _ body: @Sendable (any TestClientProtocol, Fixture) async throws -> Void
) async throws {
    let fixture = try Fixture(limits: limits)
    defer { fixture.remove() }
    let app = Application(router: buildRouter(fixture.dependencies))
    try await app.test(.router) { client in try await body(client, fixture) }
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
