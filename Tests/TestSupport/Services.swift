import Logging
import ServiceLifecycle

/// Logs only errors, so test output stays readable.
public let quietLogger: Logger = {
    var logger = Logger(label: "tunesmith-tests")
    logger.logLevel = .error
    return logger
}()

/// Runs `services` in a ServiceGroup while `body` runs, then shuts them down gracefully and waits for them to end.
public func withServiceGroup<Result: Sendable>(
    _ services: [any Service], _ body: (ServiceGroup) async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: quietLogger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: Result
        do {
            result = try await body(group)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// `withServiceGroup` for one service.
public func withServiceGroup<Result: Sendable>(
    _ service: any Service, _ body: (ServiceGroup) async throws -> Result
) async throws -> Result {
    try await withServiceGroup([service], body)
}
