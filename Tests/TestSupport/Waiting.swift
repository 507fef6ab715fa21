/// A condition another task should have brought about did not hold in time.
public struct TimedOut: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` until it holds: for state that another task or process changes. A wait for a condition,
/// not a fixed sleep; `timeout` only bounds how long a broken test hangs. `what` is read at the timeout, so it
/// can describe the last state seen.
public func waitUntil(
    _ what: @autoclosure () -> String, timeout: Duration = .seconds(5), every interval: Duration = .milliseconds(5),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what()) }
        try await Task.sleep(for: interval)
    }
}
