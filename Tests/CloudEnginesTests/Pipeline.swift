import API
import AsyncHTTPClient
import AudioEngine
import CloudEngines
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import LocalEngine
import Logging
import ProviderFakes
import Storage
import Testing
import TunesmithCore

/// The whole service around the cloud engines, as a client sees it: the real router on a real SQLite store, a
/// real worker pool whose engine routes to the fake providers, and the providers' shared HTTP client. Jobs run
/// one at a time with `runJob()`, so each test decides when the worker works.
struct Pipeline: Sendable {
    static let email = "cloud@example.com"
    static let startingCredits = 1_000

    let folder: URL
    let store: SQLiteStore
    let pool: WorkerPool
    let fakes: FakeProviders
    let pause: RecordingPause
    let token: String
    let client: any TestClientProtocol

    /// Runs the oldest queued job to its end.
    @discardableResult
    func runJob() async throws -> Int64? { try await pool.runOnce() }

    func create(_ fields: [String: any Sendable]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: fields.merging(["email": Self.email]) { $1 })
        let response = try await send(.post, "/v2/pixverse/music/create", body: body)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return Self.json(response)
    }

    func track(_ audioID: String) async throws -> [String: Any] {
        Self.json(try await send(.get, "/v2/pixverse/music/\(audioID)"))
    }

    func account() async throws -> [String: Any] {
        Self.json(try await send(.get, "/v2/pixverse/accounts/\(Self.email)"))
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: Data? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(data: $0) })
    }

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// Starts fresh fakes, store and pool; `routing` decides which providers the models go to (default: every
    /// model to its fake provider).
    static func run(
        answerDelay: Duration = .zero,
        routing: @escaping @Sendable (FakeProviders) -> ProviderRouting = { fakeRouting($0) },
        _ body: @Sendable (Pipeline) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = DataDirectory(root: folder)
        let store = try SQLiteStore(dataDirectory: data)
        try await withFakes(answerDelay: answerDelay) { fakes, client in
            let pause = RecordingPause()
            let routes = routing(fakes)
            var logger = Logger(label: "cloud-tests")
            logger.logLevel = .error
            let engine = EngineRouter(
                routing: routes, local: LocalEngine(renderer: testRenderer), client: client, logger: logger,
                pause: pause.function)
            let pool = WorkerPool(
                store: store, engine: engine, media: data.media,
                configuration: WorkerPoolConfiguration(
                    concurrency: 1, heartbeatInterval: .milliseconds(20), pollInterval: .milliseconds(50)),
                logger: logger)
            let dependencies = APIDependencies(
                store: store, media: data.media,
                signer: MediaLinkSigner(baseURL: "http://tunesmith.test", secret: Data("cloud-test-key".utf8)),
                jobCanceller: pool, wakeWorkers: {}, replyURLValidator: CallbackURLPolicy(allowPrivate: true),
                backends: routes.backendNames)
            let user = try await store.createUser(name: "cloud", now: Date())
            let token = Token.make(userID: user.id)
            try await store.addToken(userID: user.id, tokenHash: Token.hash(token), now: Date())
            _ = try await store.upsertAccount(
                userID: user.id, email: email, maxJobs: 8, credits: startingCredits, passwordHash: nil, now: Date())
            let app = Application(router: buildRouter(dependencies))
            try await app.test(.router) { client in
                try await body(
                    Pipeline(
                        folder: folder, store: store, pool: pool, fakes: fakes, pause: pause, token: token,
                        client: client))
            }
        }
    }
}

/// The small test SoundFont (fallback tests render a short song locally).
let testRenderer = SongRenderer(
    soundFont: SoundFontLocation(
        path: ProcessInfo.processInfo.environment["TUNESMITH_TEST_SOUNDFONT"] ?? "/usr/share/sounds/sf2/TimGM6mb.sf2"),
    workers: 1)

/// Polls until `condition` holds (state another task changes; a real condition, not a fixed sleep).
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw FakeProviderFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
