import Foundation
import Storage
import TestSupport
import TunesmithCore

@testable import Jobs

/// A fresh store and media folder with one user and one account; time moves only when the test moves `clock`.
struct Fixture {
    static let email = "singer@example.com"
    static let cost = MusicModel.music26.spec.credits
    static let startingCredits = 1_000
    static let heartbeat = Duration.seconds(1)
    /// Longer than the drain time: a test that jumps the clock past the drain time in one step (no heartbeat in
    /// between) must not also pass the lease, which the worker's lease watch would stop the job for.
    static let leaseDuration = Duration.seconds(60)
    static let drainTimeout = Duration.seconds(30)

    let store: any TunesmithStore
    let media: MediaFiles
    let user: User
    let clock: TestClock

    func createTrack(
        replyURL: String? = nil, seed: UInt64 = 7, _ configure: (inout TrackRequest) -> Void = { _ in }
    ) async throws -> Track {
        var request = TrackRequest.test(prompt: "a calm lofi tune", seed: seed, replyURL: replyURL, replyRef: "ref-\(seed)")
        configure(&request)
        return try await store.createTrack(
            userID: user.id, choice: .named(Self.email), request: request, cost: Self.cost,
            assetID: Int64.random(in: 1...Int64(Int32.max)), now: clock.date)
    }

    func track(_ assetID: Int64) async throws -> Track? {
        try await store.track(userID: user.id, assetID: assetID)
    }

    func account() async throws -> Account? {
        try await store.account(userID: user.id, email: Self.email)
    }

    /// Lets exactly one heartbeat of the running job happen: waits until it sleeps, moves the clock by the
    /// heartbeat interval and waits until the heartbeat extended the lease from the new time. Two sleepers: the
    /// heartbeat and the lease watch.
    func heartbeat(_ assetID: Int64) async throws {
        try await clock.waitForSleepers(2)
        clock.advance(by: Self.heartbeat)
        let leaseUntil = clock.date.adding(Self.leaseDuration)
        try await waitUntil("a heartbeat at \(clock.date)") {
            try await track(assetID)?.leaseExpiresAt == leaseUntil
        }
    }

    /// A pool on the fixture's store, media and clock: heartbeats, polls and the drain time pass only when the
    /// test advances the clock.
    func pool(
        engine: FakeEngine, _ configure: (inout WorkerPoolConfiguration) -> Void = { _ in },
        wakeCallbacks: @escaping @Sendable () -> Void = {}
    ) -> WorkerPool {
        var configuration = WorkerPoolConfiguration(
            concurrency: 1, leaseDuration: Self.leaseDuration, heartbeatInterval: Self.heartbeat,
            drainTimeout: Self.drainTimeout)
        configure(&configuration)
        return WorkerPool(
            store: store, engine: engine, media: media, configuration: configuration, clock: clock,
            now: clock.wallClock, logger: quietLogger, wakeCallbacks: wakeCallbacks)
    }
}

/// Runs `body` once for every store backend, each time with a fresh fixture.
func withFixture(_ body: (Fixture) async throws -> Void) async throws {
    try await withEachStore { store in
        let folder = try TemporaryFolder("jobs-tests")
        defer { folder.remove() }
        let clock = TestClock()
        let user = try await store.makeUser(
            email: Fixture.email, credits: Fixture.startingCredits, now: clock.date)
        try await body(Fixture(store: store, media: try folder.dataDirectory().media, user: user, clock: clock))
    }
}
