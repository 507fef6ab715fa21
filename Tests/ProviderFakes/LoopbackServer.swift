import Hummingbird
import Logging

/// A Hummingbird server for tests on a free loopback port (the kernel picks it), running until its task is
/// cancelled.
public enum LoopbackServer {
    public static func start(
        _ router: Router<BasicRequestContext>, label: String
    ) async throws -> (port: Int, task: Task<Void, any Error>) {
        var logger = Logger(label: label)
        logger.logLevel = .critical  // its shutdown by cancellation logs harmless errors
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await port in ports where port > 0 {
            return (port, task)
        }
        task.cancel()
        throw FakeProviderFailure("\(label) did not start")
    }
}
