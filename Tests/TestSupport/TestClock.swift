import Foundation
import NIOConcurrencyHelpers

/// Time the tests move by hand. One clock gives the three kinds of time the service reads, moving together and
/// only when `advance(by:)` is called: a `Clock` for code that sleeps (heartbeats, polls, drain and idle
/// timeouts), its monotonic `now` for caches, and a wall-clock `date` for what is stored and shown.
/// A sleeper wakes when the clock is advanced to its deadline (or its task is cancelled), never by real time.
public final class TestClock: Clock, Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// 2027-01-15T08:00:00Z: a fixed wall-clock start, so stored times and expiries are the same every run.
    public static let defaultStart = Date(timeIntervalSince1970: 1_800_000_000)

    private struct State {
        var now: Instant
        var sleepers: [UUID: (deadline: Instant, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    private let startInstant: Instant
    private let startDate: Date
    private let state: NIOLockedValueBox<State>

    public init(date: Date = TestClock.defaultStart) {
        startInstant = ContinuousClock.now
        startDate = date
        state = NIOLockedValueBox(State(now: startInstant))
    }

    public var now: Instant { state.withLockedValue { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// The wall-clock time: the start date plus every advance so far.
    public var date: Date { startDate.addingTimeInterval((now - startInstant).seconds) }

    /// `date` as the `now:` closure the service's components take.
    public var wallClock: @Sendable () -> Date { { self.date } }

    /// Tasks asleep on this clock right now.
    public var sleeperCount: Int { state.withLockedValue { $0.sleepers.count } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let early: Result<Void, any Error>? = state.withLockedValue { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = (deadline, continuation)
                    return nil
                }
                if let early { continuation.resume(with: early) }
            }
        } onCancel: {
            state.withLockedValue { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves every kind of time forward by `duration` and wakes the sleepers whose deadline it reached, earliest
    /// first.
    public func advance(by duration: Duration) {
        let due = state.withLockedValue { state in
            state.now = state.now.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }.sorted { $0.value.deadline < $1.value.deadline }
            for (id, _) in due { state.sleepers[id] = nil }
            return due.map(\.value.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once at least `count` tasks sleep on this clock (a worker went idle, a heartbeat is waiting), so
    /// that an `advance` after it reaches them.
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("\(count) task(s) asleep on the test clock (\(sleeperCount) are)", timeout: timeout) {
            sleeperCount >= count
        }
    }
}

extension Duration {
    /// In seconds, as `Date` arithmetic takes it.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
