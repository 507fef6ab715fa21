import Foundation
import NIOConcurrencyHelpers
import TunesmithCore

/// The in-process `TrackChangeFeed`: hands every published change to the subscribers of its user.
///
/// Publishing never waits: each subscriber has a bounded buffer that drops its oldest changes when the reader
/// falls behind (see `TrackChangeFeed`). A cross-process source plugs in by publishing what it hears here
/// (e.g. a PostgreSQL `LISTEN` loop calling `publish` per notification), so subscribers never see a difference.
public final class TrackChangeBroadcaster: TrackChangeFeed, TrackChangePublisher {
    private typealias Continuation = AsyncStream<TrackChange>.Continuation

    /// Open subscriptions by user id.
    private let subscribers = NIOLockedValueBox([String: [UUID: Continuation]]())
    private let bufferSize: Int

    /// `bufferSize`: changes kept per subscriber that has not read them yet.
    public init(bufferSize: Int = 256) {
        self.bufferSize = max(1, bufferSize)
    }

    public func publish(_ change: TrackChange) {
        let continuations = subscribers.withLockedValue { $0[change.userID].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(change) }
    }

    public func changes(userID: String) -> AsyncStream<TrackChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: TrackChange.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = UUID()
        subscribers.withLockedValue { $0[userID, default: [:]][id] = continuation }
        continuation.onTermination = { [subscribers] _ in
            subscribers.withLockedValue { all in
                all[userID]?[id] = nil
                if all[userID]?.isEmpty == true { all[userID] = nil }
            }
        }
        return stream
    }

    /// Subscriptions open right now (for tests and diagnostics).
    public var subscriberCount: Int {
        subscribers.withLockedValue { $0.values.reduce(0) { $0 + $1.count } }
    }
}
