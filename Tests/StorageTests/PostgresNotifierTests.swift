import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import PostgresStorage
import TestSupport
import ServiceLifecycle
import Storage
import Testing
import TunesmithCore

/// Wake-ups between processes: what one store writes, another process's notifier hears at once; after its
/// connection is lost it reconnects by itself and catches up.
@Suite("PostgreSQL notifications", .enabled(if: TestDatabase.isEnabled))
struct PostgresNotifierTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// What the handlers were called with, in order.
    final class Heard: Sendable {
        private let events = NIOLockedValueBox<[String]>([])
        func record(_ event: String) { events.withLockedValue { $0.append(event) } }
        var all: [String] { events.withLockedValue { $0 } }
        func count(_ event: String) -> Int { all.filter { $0 == event }.count }
    }

    /// `body` runs while a notifier of another process listens on the test database.
    func withNotifier(
        _ body: @Sendable (PostgresStore, PostgresNotifier, Heard) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore { store, url in
            let heard = Heard()
            let notifier = PostgresNotifier(
                url: url,
                handlers: .init(
                    jobsQueued: { heard.record("jobs") }, trackCancelled: { heard.record("cancel \($0)") },
                    callbacksWritten: { heard.record("callbacks") }, authChanged: { heard.record("auth") },
                    trackChanged: { heard.record("track \($0.userID) \($0.assetID)") }),
                pingInterval: .milliseconds(200), logger: TestDatabase.logger)
            let group = ServiceGroup(services: [notifier], logger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await eventually("the notifier listens") { notifier.connectionCount == 1 }
                do {
                    try await body(store, notifier, heard)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test func createsCancelsCallbacksAndTokenChangesAreHeardElsewhere() async throws {
        try await withNotifier { store, _, heard in
            let caughtUp = heard.all.count
            let user = try await store.createUser(name: "alice", now: Self.t0)
            try await eventually("a new user invalidates token caches") { heard.count("auth") >= 2 }
            _ = try await store.upsertAccount(
                userID: user.id, email: "a@x.io", maxJobs: 8, credits: nil, passwordHash: nil, now: Self.t0)
            let request = TrackRequest(
                model: .music26, prompt: "a song", instrumental: true, lyrics: nil, imagePaths: [], seed: 1,
                replyURL: "https://example.com/hook", replyRef: nil, maxJobs: nil)
            _ = try await store.createTrack(userID: user.id, choice: .any, request: request, cost: 1, assetID: 42, now: Self.t0)
            try await eventually("a queued track wakes workers") { heard.count("jobs") >= 2 }
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
            try await eventually("the claim's outbox message wakes dispatchers") { heard.count("callbacks") >= 2 }
            _ = try await store.cancel(userID: user.id, assetID: 42, now: Self.t0 + 1)
            try await eventually("the running track's cancel reaches its worker") { heard.all.contains("cancel 42") }
            _ = try await store.client.query("DELETE FROM tokens")
            try await eventually("a token deleted by hand invalidates token caches") { heard.count("auth") >= 3 }
            #expect(heard.all.count > caughtUp)
        }
    }

    /// What the studio's event streams on every API node hear: each change of a track's status or progress, by
    /// whichever process made it, and nothing for a heartbeat that only moved the lease.
    @Test func trackChangesAreHeardWithTheirOwnerAndNotForLeaseOnlyHeartbeats() async throws {
        try await withNotifier { store, _, heard in
            let user = try await store.createUser(name: "alice", now: Self.t0)
            _ = try await store.upsertAccount(
                userID: user.id, email: "a@x.io", maxJobs: 8, credits: nil, passwordHash: nil, now: Self.t0)
            let request = TrackRequest(
                model: .music26, prompt: "a song", instrumental: true, lyrics: nil, imagePaths: [], seed: 1,
                replyURL: nil, replyRef: nil, maxJobs: nil)
            let change = "track \(user.id) 7"
            _ = try await store.createTrack(userID: user.id, choice: .any, request: request, cost: 1, assetID: 7, now: Self.t0)
            try await eventually("the create") { heard.count(change) == 1 }
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
            try await eventually("the claim") { heard.count(change) == 2 }
            #expect(
                try await store.heartbeat(
                    assetID: 7, workerID: "w", leaseUntil: Self.t0 + 90, progress: 0, notify: false, now: Self.t0 + 1))
            #expect(
                try await store.heartbeat(
                    assetID: 7, workerID: "w", leaseUntil: Self.t0 + 90, progress: 40, notify: false, now: Self.t0 + 2))
            try await eventually("the progress") { heard.count(change) == 3 }
            _ = try await store.cancel(userID: user.id, assetID: 7, now: Self.t0 + 3)
            try await eventually("the cancel") { heard.count(change) == 4 }
            // Notifications arrive in commit order: had the lease-only heartbeat notified, the count would be 5.
            _ = try await store.createUser(name: "bob", now: Self.t0)
            let authBefore = heard.count("auth")
            _ = try await store.createUser(name: "carol", now: Self.t0)
            try await eventually("a later notification") { heard.count("auth") > authBefore }
            #expect(heard.count(change) == 4)
        }
    }

    // Disabled: in the full parallel suite this test hung twice on 2026-12-05 after terminating the database's
    // connections (no statement deadline fired, so the wait is outside the store: the notifier's reconnect or the
    // group's shutdown). Reconnection is covered by DrillTests' PostgreSQL restart under load; find the hang first.
    @Test(.disabled("hangs in the full suite after pg_terminate_backend; see the comment"))
    func aLostConnectionIsReopenedAndWhatWasMissedIsCaughtUp() async throws {
        try await withNotifier { store, notifier, heard in
            let jobsBefore = heard.count("jobs")
            // What a database restart does to every connection.
            _ = try await store.client.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
            try await eventually("the notifier reconnects", timeout: .seconds(30)) { notifier.connectionCount == 2 }
            // Notifications sent while it was away are lost, so reconnecting wakes everyone once.
            #expect(heard.count("jobs") == jobsBefore + 1)
            #expect(heard.count("callbacks") >= 2 && heard.count("auth") >= 2)
            // The store's pooled connections were terminated too: a statement may fail (or, on a connection the
            // pool has not yet seen close, time out) before the pool connects again.
            var attempt = 0
            try await eventually("the store works again", timeout: .seconds(120)) {
                attempt += 1
                return (try? await store.createUser(name: "after-\(attempt)", now: Self.t0)) != nil
            }
            let authBefore = heard.count("auth")
            _ = try await store.createUser(name: "again", now: Self.t0)
            try await eventually("notifications arrive on the new connection") { heard.count("auth") > authBefore }
        }
    }

    /// Two API nodes with token caches: a token revoked through the database stops working on the other node
    /// as soon as its notifier hears of it, long before the cache's 5 s lifetime.
    @Test func aRevokedTokenStopsWorkingOnEveryNode() async throws {
        try await TestDatabase.withStore { store, url in
            let clock = TestClock()
            let node = CachedStore(store, tokenCache: TokenUserCache(lifetime: .seconds(5), now: { clock.now }))
            let heard = Heard()
            let notifier = PostgresNotifier(
                url: url,
                handlers: .init(authChanged: {
                    node.invalidateTokenCache()
                    heard.record("auth")
                }),
                logger: TestDatabase.logger)
            let group = ServiceGroup(services: [notifier], logger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await eventually("the notifier listens") { notifier.connectionCount == 1 }
                let user = try await store.createUser(name: "alice", now: Self.t0)
                try await store.addToken(userID: user.id, tokenHash: "h1", now: Self.t0)
                // The catch-up at connect, then one notification per write.
                try await eventually("the writes' own notifications") { heard.count("auth") == 3 }
                #expect(try await node.user(tokenHash: "h1") == user)
                #expect(node.cachedTokenCount == 1)
                // Revoked elsewhere (another node, or by hand): the clock stands still, so only the notification
                // can clear the cached answer.
                _ = try await store.client.query("DELETE FROM tokens WHERE token_hash = 'h1'")
                try await eventually("the revocation reaches the node") { try await node.user(tokenHash: "h1") == nil }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}

/// Polls `condition` until it holds; for what another task or process changes (a real condition, not a sleep).
func eventually(
    _ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw EventuallyTimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

struct EventuallyTimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
