import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import ServiceLifecycle
import TunesmithCore

/// Hears the wake-ups other processes send through the database (schema v1's triggers `NOTIFY` them at commit)
/// and passes them on, so nothing waits for a poll:
///
/// | channel | sent when | handler |
/// |---|---|---|
/// | `tunesmith_jobs` | a track is queued (created, or handed back) | `jobsQueued`: idle workers claim at once |
/// | `tunesmith_cancel` | a GENERATING track is cancelled (payload: its asset id) | `trackCancelled`: its worker stops |
/// | `tunesmith_callbacks` | an outbox message is written | `callbacksWritten`: dispatchers send at once |
/// | `tunesmith_auth` | a user or token changes | `authChanged`: token caches forget their answers |
/// | `tunesmith_tracks` | a track is created or its status or progress changes (payload: user id, asset id) | `trackChanged`: the studio's event streams |
///
/// It holds one connection of its own (a pooled one cannot stay in LISTEN). When the connection drops (the
/// database restarts, the network fails) it reconnects by itself with a growing pause (100 ms to 2 s); since
/// notifications sent meanwhile are lost, every handler is called once after each (re)connect, so nothing is
/// missed for longer than the outage. A `SELECT 1` every `pingInterval` notices a connection that died silently.
/// Polling remains the fallback while it is down: workers and dispatchers look on their own every second or so.
public final class PostgresNotifier: Service {
    public struct Handlers: Sendable {
        public var jobsQueued: @Sendable () -> Void
        public var trackCancelled: @Sendable (Int64) -> Void
        public var callbacksWritten: @Sendable () -> Void
        public var authChanged: @Sendable () -> Void
        public var trackChanged: @Sendable (TrackChange) -> Void

        public init(
            jobsQueued: @escaping @Sendable () -> Void = {}, trackCancelled: @escaping @Sendable (Int64) -> Void = { _ in },
            callbacksWritten: @escaping @Sendable () -> Void = {}, authChanged: @escaping @Sendable () -> Void = {},
            trackChanged: @escaping @Sendable (TrackChange) -> Void = { _ in }
        ) {
            self.jobsQueued = jobsQueued
            self.trackCancelled = trackCancelled
            self.callbacksWritten = callbacksWritten
            self.authChanged = authChanged
            self.trackChanged = trackChanged
        }
    }

    enum Channel: String, CaseIterable {
        case jobs = "tunesmith_jobs"
        case cancel = "tunesmith_cancel"
        case callbacks = "tunesmith_callbacks"
        case auth = "tunesmith_auth"
        case tracks = "tunesmith_tracks"
    }

    private let url: DatabaseURL
    private let handlers: NIOLockedValueBox<Handlers>
    private let logger: Logger
    private let pingInterval: Duration
    /// Times the notifier has (re)connected and listens on every channel (tests wait for it).
    private let connections = NIOLockedValueBox(0)

    public init(
        url: DatabaseURL, handlers: Handlers = Handlers(), pingInterval: Duration = .seconds(5),
        logger: Logger = Logger(label: "tunesmith.notifier")
    ) {
        self.url = url
        self.handlers = NIOLockedValueBox(handlers)
        self.pingInterval = pingInterval
        self.logger = logger
    }

    /// Sets who hears the notifications (the server wires them once its worker pool and dispatcher exist).
    public func setHandlers(_ handlers: Handlers) {
        self.handlers.withLockedValue { $0 = handlers }
    }

    /// How many times it has been listening on every channel so far.
    public var connectionCount: Int { connections.withLockedValue { $0 } }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var pause = Duration.milliseconds(100)
            var connectionID = 0
            while !Task.isCancelled {
                connectionID += 1
                let before = self.connectionCount
                do {
                    try await self.listen(connectionID: connectionID)
                } catch {
                    guard !Task.isCancelled else { return }
                    self.logger.warning(
                        "lost the database's notifications; reconnecting",
                        metadata: ["error": "\(String(reflecting: error))", "retryIn": "\(pause)"])
                }
                // A connection that got as far as listening starts the pauses over.
                if self.connectionCount > before { pause = .milliseconds(100) }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(2))
            }
        }
    }

    /// One connection's life: LISTEN on every channel, then hand notifications on until it breaks.
    private func listen(connectionID: Int) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try url.connectionConfiguration(), id: connectionID, logger: logger)
        do {
            try await listen(on: connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    private func listen(on connection: PostgresConnection) async throws {
        let listening = NIOLockedValueBox(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for channel in Channel.allCases {
                group.addTask {
                    try await connection.listen(on: channel.rawValue) { notifications in
                        if listening.withLockedValue({ $0 += 1; return $0 }) == Channel.allCases.count {
                            self.caughtUp()
                        }
                        for try await notification in notifications {
                            self.deliver(channel, payload: notification.payload)
                        }
                    }
                    throw NotificationsEnded()
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: self.pingInterval)
                    try await connection.query("SELECT 1", logger: self.logger)
                }
            }
            // Whichever ends first (a broken connection ends them all) ends this connection.
            try await group.next()
            group.cancelAll()
        }
    }

    /// Listening again after a gap: whatever was sent meanwhile is lost, so act as if everything had been.
    private func caughtUp() {
        connections.withLockedValue { $0 += 1 }
        let handlers = self.handlers.withLockedValue { $0 }
        handlers.jobsQueued()
        handlers.callbacksWritten()
        handlers.authChanged()
        logger.debug("listening for the database's notifications")
    }

    /// The notification stream of a channel ended without an error (the connection is going away).
    private struct NotificationsEnded: Error {}

    private func deliver(_ channel: Channel, payload: String) {
        let handlers = self.handlers.withLockedValue { $0 }
        switch channel {
        case .jobs: handlers.jobsQueued()
        case .cancel: if let assetID = Int64(payload) { handlers.trackCancelled(assetID) }
        case .callbacks: handlers.callbacksWritten()
        case .auth: handlers.authChanged()
        case .tracks: if let change = Self.trackChange(payload) { handlers.trackChanged(change) }
        }
    }

    /// "<user id> <asset id>" (the user id is the part before the last space).
    static func trackChange(_ payload: String) -> TrackChange? {
        guard let space = payload.lastIndex(of: " "), let assetID = Int64(payload[payload.index(after: space)...])
        else { return nil }
        return TrackChange(userID: String(payload[..<space]), assetID: assetID)
    }
}
