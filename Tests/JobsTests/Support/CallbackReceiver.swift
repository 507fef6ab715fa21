import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// One POST the receiver got.
struct ReceivedCallback: Sendable {
    var headers: [String: String]
    var body: Data
    /// The `Host` header (HTTP types keep it apart from the other fields, as the request's authority).
    var authority: String? = nil

    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
}

/// What the receiver got and how it should answer: the first `failures` requests get `status` (and
/// `Retry-After` if set), later ones 204.
actor ReceiverLog {
    private(set) var received: [ReceivedCallback] = []
    var failures: Int
    var failureStatus: Int
    var retryAfter: String?

    init(failures: Int = 0, failureStatus: Int = 500, retryAfter: String? = nil) {
        self.failures = failures
        self.failureStatus = failureStatus
        self.retryAfter = retryAfter
    }

    func record(_ callback: ReceivedCallback) -> (status: Int, retryAfter: String?) {
        received.append(callback)
        guard failures > 0 else { return (204, nil) }
        failures -= 1
        return (failureStatus, retryAfter)
    }
}

/// A loopback HTTP server on a free port that records callbacks, for the duration of `body`.
func withCallbackReceiver(
    _ log: ReceiverLog, _ body: @Sendable (_ url: String) async throws -> Void
) async throws {
    let router = Router()
    router.post("hook") { request, _ -> Response in
        let buffer = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let answer = await log.record(
            ReceivedCallback(headers: headers, body: Data(buffer.readableBytesView), authority: request.head.authority))
        var fields = HTTPFields()
        if let retryAfter = answer.retryAfter { fields[.retryAfter] = retryAfter }
        return Response(status: .init(code: answer.status), headers: fields)
    }
    var logger = Logger(label: "test-receiver")
    logger.logLevel = .error
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
        logger: logger)
    let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw ReceiverFailedToStart() }
        do {
            try await body("http://127.0.0.1:\(port)/hook")
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
    }
}

struct ReceiverFailedToStart: Error {}
