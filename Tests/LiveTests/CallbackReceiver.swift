import Crypto
import Foundation
import Hummingbird
import NIOCore
import ProviderFakes

/// One POST the receiver got.
struct ReceivedCallback: Sendable {
    /// Lowercased header names.
    var headers: [String: String]
    var body: Data
    var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: any Sendable]) ?? [:]
    }
}

/// Values shared between test code and server handlers, behind a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// A loopback HTTP server standing in for a client's `replyUrl`: records every POST to /hook.
final class CallbackReceiver: Sendable {
    let port: Int
    private let received: Locked<[ReceivedCallback]>
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var callbacks: [ReceivedCallback] { received.withLock { $0 } }

    private init(port: Int, received: Locked<[ReceivedCallback]>, task: Task<Void, any Error>) {
        self.port = port
        self.received = received
        self.task = task
    }

    deinit { task.cancel() }

    static func start() async throws -> CallbackReceiver {
        let received = Locked<[ReceivedCallback]>([])
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 8 << 20)
            let headers = Dictionary(
                request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
            received.withLock { $0.append(ReceivedCallback(headers: headers, body: Data(buffer: body))) }
            return .ok
        }
        let (port, task) = try await LoopbackServer.start(router, label: "callback-receiver")
        return CallbackReceiver(port: port, received: received, task: task)
    }

    /// Polls until `condition` holds for the callbacks received so far.
    func waitFor(
        timeout: Duration = .seconds(60), _ condition: ([ReceivedCallback]) -> Bool
    ) async throws -> [ReceivedCallback] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = callbacks
            if condition(now) { return now }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LiveTestFailure("callbacks never matched; got \(callbacks.map { String(decoding: $0.body, as: UTF8.self) })")
    }
}

/// Standard Webhooks verification as a receiver would do it: HMAC-SHA256 over `id.timestamp.body` with the
/// base64 key after `whsec_`, compared with any `v1,<base64>` entry of the signature header.
enum StandardWebhooks {
    static func verify(secret: String, headers: [String: String], body: Data, now: Date = Date()) -> Bool {
        guard let id = headers["webhook-id"], let timestamp = headers["webhook-timestamp"],
            let signatures = headers["webhook-signature"],
            let seconds = TimeInterval(timestamp), abs(now.timeIntervalSince1970 - seconds) < 300,
            secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count)))
        else { return false }
        let signed = Data("\(id).\(timestamp).".utf8) + body
        let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key)))
            .base64EncodedString()
        return signatures.split(separator: " ").contains { $0 == "v1,\(expected)" }
    }
}
