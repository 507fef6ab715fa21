import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// One POST the receiver got.
public struct ReceivedCallback: Sendable {
    /// Header names in lower case; a repeated header's values joined with ", ".
    public var headers: [String: String]
    public var body: Data
    /// The `Host` header (HTTP types keep it apart from the other fields, as the request's authority).
    public var authority: String?

    /// The body as a JSON object (empty when it is not one).
    public var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: any Sendable]) ?? [:]
    }
}

/// A loopback HTTP server standing in for a client's `replyUrl`: records every POST to `/hook`. The first
/// `failures` requests are answered `failureStatus` (with `Retry-After` if set), later ones 204.
public final class CallbackReceiver: Sendable {
    private struct State {
        var received: [ReceivedCallback] = []
        var failures: Int
    }

    private let state: NIOLockedValueBox<State>
    private let failureStatus: Int
    private let retryAfter: String?

    public init(failures: Int = 0, failureStatus: Int = 500, retryAfter: String? = nil) {
        state = NIOLockedValueBox(State(failures: failures))
        self.failureStatus = failureStatus
        self.retryAfter = retryAfter
    }

    /// What arrived so far, in order.
    public var received: [ReceivedCallback] { state.withLockedValue { $0.received } }

    /// Listens on a free loopback port while `body` runs; `body` gets the hook's URL.
    public func serve<Result: Sendable>(_ body: (_ url: String) async throws -> Result) async throws -> Result {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 8 << 20)
            let headers = Dictionary(
                request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
            let status = self.record(
                ReceivedCallback(headers: headers, body: Data(buffer.readableBytesView), authority: request.head.authority))
            var fields = HTTPFields()
            if status != 204, let retryAfter = self.retryAfter { fields[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: fields)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: quietLogger)
        return try await withServiceGroup(app) { _ in
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw ReceiverFailedToStart() }
            return try await body("http://127.0.0.1:\(port)/hook")
        }
    }

    /// Waits until `condition` holds for what arrived so far, and returns that.
    public func waitFor(
        timeout: Duration = .seconds(60), _ condition: ([ReceivedCallback]) -> Bool
    ) async throws -> [ReceivedCallback] {
        var seen: [ReceivedCallback] = []
        try await waitUntil(
            "callbacks to match; got \(seen.map { String(decoding: $0.body, as: UTF8.self) })", timeout: timeout,
            every: .milliseconds(20)
        ) {
            seen = received
            return condition(seen)
        }
        return seen
    }

    /// Keeps `callback` and says which status answers it.
    private func record(_ callback: ReceivedCallback) -> Int {
        state.withLockedValue { state in
            state.received.append(callback)
            guard state.failures > 0 else { return 204 }
            state.failures -= 1
            return failureStatus
        }
    }
}

struct ReceiverFailedToStart: Error {}
