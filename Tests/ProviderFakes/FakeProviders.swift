import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat

/// One loopback HTTP server standing in for all three providers (their paths do not overlap): MiniMax
/// (`/v1/music_generation`, `/v1/lyrics_generation`), ElevenLabs (`/v1/music/detailed`) and the Gemini API
/// (`/v1beta/models/<model>:generateContent`), with the answer shapes and error bodies of
/// `shared/spec/providers.md`. Each provider checks its key header like the real one; tests script answers
/// per provider (`enqueue`), and every request is recorded.
public final class FakeProviders: Sendable {
    public enum Provider: String, Sendable, CaseIterable {
        case minimax, elevenlabs, google

        var keyVariable: String { "TUNESMITH_\(rawValue.uppercased())_API_KEY" }
        var baseURLVariable: String { "TUNESMITH_\(rawValue.uppercased())_BASE_URL" }
    }

    /// What the next request to a provider gets. With nothing queued, a provider answers `.song()`.
    public enum Answer: Sendable {
        /// A finished song in one of the provider's plausible shapes.
        case song(Shape = .standard)
        /// An HTTP answer as given (status, body, extra headers).
        case raw(status: Int, body: String, headers: [String: String] = [:])
        /// No answer until `release()` (or the server stops); then `.song()`.
        case hold
        /// A song whose audio is WAV instead of MP3.
        case wav
    }

    public enum Shape: Sendable {
        case standard
        /// MiniMax: the audio as a link (that first redirects) instead of hex.
        case link
        /// MiniMax lyrics under `data`; Google parts in snake_case; ElevenLabs plain audio without metadata.
        case alternative
    }

    public struct Request: Sendable {
        public var provider: Provider
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data

        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
    }

    /// The keys the fakes accept.
    public static let keys: [Provider: String] = [
        .minimax: "mm-test-key-7f3a9c", .elevenlabs: "el-test-key-42b8d1", .google: "gg-test-key-19e6f0",
    ]

    public let port: Int
    public let mp3: Data
    private let state: NIOLockedValueBox<State>
    private let gate: Gate
    private let task: Task<Void, any Error>

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var requests: [Request] { state.withLockedValue { $0.requests } }
    public func requests(to provider: Provider) -> [Request] { requests.filter { $0.provider == provider } }

    /// The environment that routes every model to these fakes (keys and base URLs).
    public var environment: [String: String] { environment(keys: Self.keys) }

    public func environment(keys: [Provider: String]) -> [String: String] {
        var environment: [String: String] = [:]
        for (provider, key) in keys {
            environment[provider.keyVariable] = key
            environment[provider.baseURLVariable] = baseURL
        }
        return environment
    }

    /// Queues answers for the next requests to `provider`, in order.
    public func enqueue(_ provider: Provider, _ answers: Answer...) {
        state.withLockedValue { $0.queued[provider, default: []].append(contentsOf: answers) }
    }

    /// Lets held requests answer.
    public func release() { gate.open() }

    /// Waits until `provider` has received `count` requests.
    public func waitForRequests(
        _ provider: Provider, count: Int = 1, timeout: Duration = .seconds(60)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while requests(to: provider).count < count {
            guard ContinuousClock.now < deadline else { throw FakeProviderFailure("\(provider) never got \(count) requests") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private struct State {
        var queued: [Provider: [Answer]] = [:]
        var requests: [Request] = []
    }

    private init(port: Int, mp3: Data, state: NIOLockedValueBox<State>, gate: Gate, task: Task<Void, any Error>) {
        self.port = port
        self.mp3 = mp3
        self.state = state
        self.gate = gate
        self.task = task
    }

    deinit {
        gate.open()
        task.cancel()
    }

    /// Starts the fakes on a free loopback port. `answerDelay` makes every answer take that long (a slow
    /// provider, so a live test can interrupt a job); `songSeconds` is the length of the MP3 they answer with.
    public static func start(songSeconds: Double = 4, answerDelay: Duration = .zero) async throws -> FakeProviders {
        let mp3 = try ToneMP3.make(seconds: songSeconds)
        let state = NIOLockedValueBox(State())
        let gate = Gate()
        let portBox = NIOLockedValueBox(0)
        let responder = Responder(mp3: mp3, state: state, gate: gate, answerDelay: answerDelay, port: portBox)
        let router = Router()
        router.post("v1/music_generation") { request, _ in try await responder.answer(.minimax, request, endpoint: .miniMaxMusic) }
        router.post("v1/lyrics_generation") { request, _ in try await responder.answer(.minimax, request, endpoint: .miniMaxLyrics) }
        router.post("v1/music/detailed") { request, _ in try await responder.answer(.elevenlabs, request, endpoint: .elevenLabsMusic) }
        router.post("v1beta/models/{action}") { request, _ in try await responder.answer(.google, request, endpoint: .gemini) }
        router.get("files/redirect.mp3") { _, _ in
            Response(status: .found, headers: [.location: "/files/song.mp3"])
        }
        router.get("files/song.mp3") { _, _ in
            Response(status: .ok, headers: [.contentType: "audio/mpeg"], body: .init(byteBuffer: ByteBuffer(data: mp3)))
        }
        let (port, task) = try await LoopbackServer.start(router, label: "fake-providers")
        portBox.withLockedValue { $0 = port }
        return FakeProviders(port: port, mp3: mp3, state: state, gate: gate, task: task)
    }

    // MARK: - Answering

    enum Endpoint: Sendable { case miniMaxMusic, miniMaxLyrics, elevenLabsMusic, gemini }

    private struct Responder: Sendable {
        let mp3: Data
        let state: NIOLockedValueBox<State>
        let gate: Gate
        let answerDelay: Duration
        let port: NIOLockedValueBox<Int>

        func answer(_ provider: Provider, _ request: Hummingbird.Request, endpoint: Endpoint) async throws -> Response {
            let body = Data(buffer: try await request.body.collect(upTo: 64 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let recorded = Request(provider: provider, path: request.uri.description, headers: headers, body: body)
            let answer = state.withLockedValue { state -> Answer in
                state.requests.append(recorded)
                guard var queue = state.queued[provider], !queue.isEmpty else { return .song() }
                let next = queue.removeFirst()
                state.queued[provider] = queue
                return next
            }
            if answerDelay > .zero { try await Task.sleep(for: answerDelay) }
            if let rejection = Self.rejectKey(provider, headers: headers) { return rejection }
            let replies = Replies(mp3: mp3, baseURL: "http://127.0.0.1:\(port.withLockedValue { $0 })")
            switch answer {
            case .raw(let status, let text, let extra):
                var fields = HTTPFields()
                fields[.contentType] = "application/json"
                for (name, value) in extra { if let field = HTTPField.Name(name) { fields[field] = value } }
                return Response(
                    status: HTTPResponse.Status(code: status), headers: fields,
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            case .hold:
                await gate.wait()
                return replies.song(endpoint, request: recorded, shape: .standard, audio: mp3)
            case .wav:
                return replies.song(endpoint, request: recorded, shape: .standard, audio: ToneMP3.wav())
            case .song(let shape):
                return replies.song(endpoint, request: recorded, shape: shape, audio: mp3)
            }
        }

        /// Each provider's documented answer to a wrong key, echoing the key it got (as a careless gateway
        /// might), so tests can check Tunesmith never shows it.
        static func rejectKey(_ provider: Provider, headers: [String: String]) -> Response? {
            let expected = FakeProviders.keys[provider] ?? ""
            switch provider {
            case .minimax:
                let given = headers["authorization"] ?? ""
                guard given != "Bearer \(expected)" else { return nil }
                return json(200, #"{"base_resp":{"status_code":1004,"status_msg":"login fail: please verify your api key (got '\#(given)')"}}"#)
            case .elevenlabs:
                let given = headers["xi-api-key"] ?? ""
                guard given != expected else { return nil }
                return json(401, #"{"detail":{"status":"invalid_api_key","message":"Invalid API key: \#(given)"}}"#)
            case .google:
                let given = headers["x-goog-api-key"] ?? ""
                guard given != expected else { return nil }
                return json(
                    400,
                    #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key. (\#(given))","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}"#)
            }
        }

        static func json(_ status: Int, _ text: String) -> Response {
            Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

public struct FakeProviderFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Held requests wait here until the test opens it (or the fakes go away). A held request looks every few
/// milliseconds: simpler than parking continuations, and nothing in a test measures how soon it answers.
final class Gate: Sendable {
    private let isOpen = NIOLockedValueBox(false)

    func open() { isOpen.withLockedValue { $0 = true } }

    func wait() async {
        while !isOpen.withLockedValue({ $0 }) {
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                return
            }
        }
    }
}
