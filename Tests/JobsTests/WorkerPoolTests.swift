import Foundation
import Logging
import ServiceLifecycle
import Storage
import Testing
import TunesmithCore

@testable import Jobs

@Suite struct WorkerPoolTests {
    @Test func completesAJobAndStoresItsMedia() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let engine = FakeEngine(.succeed)

        let ran = try await fixture.pool(engine: engine).runOnce()

        #expect(ran == track.assetID)
        let done = try #require(try await fixture.track(track.assetID))
        #expect(done.status == .completed)
        #expect(done.progress == 100)
        #expect(done.leaseExpiresAt == nil)
        let result = try #require(done.result)
        #expect(result.provider == "fake")
        #expect(result.title == "Song 7")
        #expect(Set(result.media.keys) == Set(MediaKind.allCases))
        let mp3 = try #require(result.media[.mp3])
        let file = try #require(fixture.media.url(for: mp3))
        #expect(try Data(contentsOf: file) == Data("ID3fake-mp3".utf8))
        for path in result.media.values { #expect(fixture.media.url(for: path) != nil) }
        #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
    }

    /// A worker cut off from the database past its lease (here: silent for an hour) keeps rendering; meanwhile
    /// another worker takes the track over and finishes it. When the first one finally finishes, its result is
    /// refused, and neither its writing nor its cleaning up may touch the files of the attempt that won.
    @Test func aWorkerThatLostItsLeaseNeverTouchesTheWinnersFiles() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let slowEngine = FakeEngine(.blockUntilReleased, tag: "-late")
        let late = fixture.pool(engine: slowEngine) { $0.heartbeatInterval = .seconds(3_600) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await late.runOnce() }
            await slowEngine.waitUntilStarted()

            fixture.now.advance(seconds: 31)
            #expect(try await fixture.pool(engine: FakeEngine(.succeed, tag: "-winner")).runOnce() == track.assetID)
            let done = try #require(try await fixture.track(track.assetID))
            #expect(done.status == .completed)
            let files = try #require(done.result?.media).values.map {
                fixture.folder.appendingPathComponent("media").appendingPathComponent($0)
            }
            let winners = try files.map { try Data(contentsOf: $0) }
            #expect(winners.contains(Data("ID3fake-mp3-winner".utf8)))

            slowEngine.release()
            try await group.waitForAll()
            #expect(try await fixture.track(track.assetID) == done)
            #expect(files.map { try? Data(contentsOf: $0) } == winners)
        }
    }

    /// Heartbeats stop reaching the database (they hang): the worker must stop rendering once its own clock says
    /// the lease it last confirmed has run out, since another worker may take the track over from then on.
    @Test func aWorkerStopsRenderingWhenItsOwnClockSaysTheLeaseExpired() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let engine = FakeEngine(.blockUntilCancelled)
        let store = PartitionedStore(fixture.store)
        let pool = WorkerPool(
            store: store, engine: engine, media: fixture.media,
            configuration: .init(
                concurrency: 1, leaseDuration: .seconds(30), heartbeatInterval: .milliseconds(20),
                pollInterval: .milliseconds(50)),
            now: fixture.now.provider, logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.runOnce() }
            await engine.waitUntilStarted()
            store.partition()
            fixture.now.advance(seconds: 31)
            try await waitUntil("the engine to be stopped", timeout: .seconds(10)) { engine.cancelledAt.current != nil }
            try await group.waitForAll()
        }
        // The worker could not record anything; the track waits for the next claim.
        #expect(try await fixture.track(track.assetID)?.status == .generating)
        #expect(pool.runningAssetIDs.isEmpty)
    }

    @Test func emptyQueueRunsNothing() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let engine = FakeEngine()
        #expect(try await fixture.pool(engine: engine).runOnce() == nil)
        #expect(engine.calls.current == 0)
    }

    @Test func heartbeatsRecordProgressWhileGenerating() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let engine = FakeEngine(.blockUntilReleased)
        let pool = fixture.pool(engine: engine)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.runOnce() }
            await engine.waitUntilStarted()
            try await waitUntil("progress 42 stored by a heartbeat") {
                try await fixture.track(track.assetID)?.progress == 42
            }
            #expect(try await fixture.track(track.assetID)?.status == .generating)
            #expect(pool.runningAssetIDs == [track.assetID])
            engine.release()
            try await group.waitForAll()
        }
        #expect(try await fixture.track(track.assetID)?.progress == 100)
        #expect(pool.runningAssetIDs.isEmpty)
    }

    @Test func progressCallbacksAreWrittenAtMostEveryFiveSeconds() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack(replyURL: "http://93.184.216.34/hook")
        let engine = FakeEngine(.blockUntilReleased)
        let pool = fixture.pool(engine: engine)
        let outbox = { try await fixture.store.dueCallbacks(now: .distantFuture, limit: 100) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.runOnce() }
            await engine.waitUntilStarted()
            try await waitUntil("progress 42 stored by a heartbeat") {
                try await fixture.track(track.assetID)?.progress == 42
            }
            // Progress changed, but less than 5 s since the GENERATING callback: no progress callback yet.
            #expect(try await outbox().map(\.snapshot.progress) == [0])
            fixture.now.advance(seconds: 5)
            try await waitUntil("a progress callback") { try await outbox().count == 2 }
            #expect(try await outbox().last?.snapshot.progress == 42)
            #expect(try await outbox().last?.isFinal == false)
            engine.release()
            try await group.waitForAll()
        }
        #expect(try await outbox().last?.snapshot.status == .completed)
    }

    @Test func engineFailureFailsTheTrackAndRefunds() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()

        try await fixture.pool(engine: FakeEngine(.fail)).runOnce()

        let failed = try #require(try await fixture.track(track.assetID))
        #expect(failed.status == .failed)
        #expect(failed.failCode == "music_generation_failed")
        #expect(failed.failReason == "the fake engine exploded")
        let account = try #require(try await fixture.account())
        #expect(account.credits == Fixture.startingCredits)
        #expect(account.consecutiveFailures == 1)
        #expect(account.error == nil)
    }

    @Test func fiveFailuresInARowPutTheAccountInError() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let pool = fixture.pool(engine: FakeEngine(.fail))
        for seed in 1...5 {
            #expect(try await fixture.account()?.error == nil)
            _ = try await fixture.createTrack(seed: UInt64(seed))
            try await pool.runOnce()
        }
        let account = try #require(try await fixture.account())
        #expect(account.consecutiveFailures == 5)
        #expect(account.error != nil)
        #expect(account.credits == Fixture.startingCredits)
    }

    @Test func rejectedCredentialsPutTheAccountInErrorAtOnce() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        try await fixture.pool(engine: FakeEngine(.rejectCredentials)).runOnce()
        #expect(try await fixture.track(track.assetID)?.failReason == "provider said 401")
        #expect(try await fixture.account()?.error?.contains("provider said 401") == true)
    }

    @Test func cancelStopsTheEngineAtOnceAndRefunds() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let engine = FakeEngine(.blockUntilCancelled)
        // A long heartbeat interval: the stop must come from cancelRunning, not from a heartbeat.
        let pool = fixture.pool(engine: engine) { $0.heartbeatInterval = .seconds(30) }

        let cancelledAt = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.runOnce() }
            await engine.waitUntilStarted()
            let cancelledAt = ContinuousClock.now
            #expect(
                try await fixture.store.cancel(
                    userID: fixture.user.id, assetID: track.assetID, now: fixture.now.current) != nil)
            await pool.cancelRunning(assetID: track.assetID)
            try await group.waitForAll()
            return cancelledAt
        }

        // The heartbeat (every 30 s) never ran, so the stop came from cancelRunning. The bound is far below the
        // heartbeat but far above the milliseconds it takes, because the whole test suite (audio renders
        // included) shares two cores and may starve this task for seconds; the live tests time a real DELETE.
        let stoppedAt = try #require(engine.cancelledAt.current)
        #expect(stoppedAt - cancelledAt < .seconds(15))
        let failed = try #require(try await fixture.track(track.assetID))
        #expect(failed.status == .failed)
        #expect(failed.failCode == "cancelled")
        #expect(try await fixture.account()?.credits == Fixture.startingCredits)
        #expect(!FileManager.default.fileExists(atPath: fixture.media.root.appendingPathComponent("tracks/\(track.assetID)").path))
    }

    @Test func cancelFromAnotherProcessIsNoticedByTheHeartbeat() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let engine = FakeEngine(.blockUntilCancelled)
        let pool = fixture.pool(engine: engine) { $0.heartbeatInterval = .milliseconds(50) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.runOnce() }
            await engine.waitUntilStarted()
            // Only the store is told, as when the DELETE reached another API process.
            _ = try await fixture.store.cancel(
                userID: fixture.user.id, assetID: track.assetID, now: fixture.now.current)
            try await group.waitForAll()
        }
        #expect(engine.cancelledAt.current != nil)
        let failed = try #require(try await fixture.track(track.assetID))
        #expect(failed.failCode == "cancelled")
        #expect(try await fixture.account()?.credits == Fixture.startingCredits)
    }

    @Test func expiredLeaseIsTakenOverAndCreditsAreDebitedOnce() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        // A worker claims the job and dies without a heartbeat.
        let dead = try await fixture.store.claimNext(
            workerID: "crashed-worker", leaseUntil: fixture.now.current.addingTimeInterval(30), now: fixture.now.current
        )
        #expect(dead?.assetID == track.assetID)
        let engine = FakeEngine(.succeed)
        let pool = fixture.pool(engine: engine)

        fixture.now.advance(seconds: 10)
        #expect(try await pool.runOnce() == nil)  // the lease still holds

        fixture.now.advance(seconds: 21)
        #expect(try await pool.runOnce() == track.assetID)
        let done = try #require(try await fixture.track(track.assetID))
        #expect(done.status == .completed)
        #expect(done.attempts == 2)
        #expect(engine.calls.current == 1)
        #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
    }

    @Test func jobIsFailedAfterMaxAttemptsInsteadOfLoopingForever() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        for crash in 1...2 {
            let claimed = try await fixture.store.claimNext(
                workerID: "crash-\(crash)", leaseUntil: fixture.now.current.addingTimeInterval(30),
                now: fixture.now.current)
            #expect(claimed?.attempts == crash)
            fixture.now.advance(seconds: 31)
        }
        let engine = FakeEngine(.succeed)

        try await fixture.pool(engine: engine) { $0.maxAttempts = 2 }.runOnce()

        #expect(engine.calls.current == 0)
        let failed = try #require(try await fixture.track(track.assetID))
        #expect(failed.status == .failed)
        #expect(failed.failCode == "music_generation_failed")
        #expect(failed.failReason?.contains("interrupted 2 times") == true)
        #expect(try await fixture.account()?.credits == Fixture.startingCredits)
    }

    @Test func wakeStartsAQueuedJobWithoutWaitingForThePoll() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let engine = FakeEngine(.succeed)
        let pool = fixture.pool(engine: engine) { $0.pollInterval = .seconds(600) }

        try await withServiceGroup(pool) { _ in
            // Let the worker find the queue empty and go to sleep first.
            try await Task.sleep(for: .milliseconds(100))
            let track = try await fixture.createTrack()
            pool.wake()
            try await waitUntil("the woken worker to complete the job", timeout: .seconds(60)) {
                try await fixture.track(track.assetID)?.status == .completed
            }
        }
    }

    @Test func gracefulShutdownLetsRunningJobsFinishWithinTheDrainTime() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let first = try await fixture.createTrack(seed: 1)
        let second = try await fixture.createTrack(seed: 2)
        let engine = FakeEngine(.blockUntilReleased)
        let pool = fixture.pool(engine: engine) { $0.drainTimeout = .seconds(30) }

        try await withServiceGroup(pool) { group in
            await engine.waitUntilStarted()
            await group.triggerGracefulShutdown()
            try await waitUntil("the pool to see the shutdown") { pool.shutdownRequested }
            engine.release()
        }
        // The running job finished; shutting down, the other one was not claimed.
        let statuses = [
            try await fixture.track(first.assetID)?.status, try await fixture.track(second.assetID)?.status,
        ]
        #expect(statuses.filter { $0 == .completed }.count == 1)
        #expect(statuses.filter { $0 == .queued }.count == 1)
        #expect(engine.calls.current == 1)
    }

    @Test func gracefulRestartsDoNotUseUpTheAttempts() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        // More graceful restarts (drain timeout, job handed back) than `maxAttempts` allows crashes.
        for restart in 1...4 {
            let engine = FakeEngine(.blockUntilCancelled)
            let pool = fixture.pool(engine: engine) { $0.drainTimeout = .milliseconds(50) }
            try await withServiceGroup(pool) { group in
                await engine.waitUntilStarted()
                await group.triggerGracefulShutdown()
            }
            let released = try #require(try await fixture.track(track.assetID))
            #expect(released.status == .queued, "restart \(restart)")
            #expect(released.attempts == 0, "restart \(restart)")
        }
        let engine = FakeEngine(.succeed)
        try await fixture.pool(engine: engine).runOnce()
        let done = try #require(try await fixture.track(track.assetID))
        #expect(done.status == .completed && done.attempts == 1)
        #expect(engine.calls.current == 1)
        #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
    }

    @Test func gracefulShutdownRequeuesJobsStillRunningAfterTheDrainTime() async throws {
        let fixture = try await Fixture()
        defer { fixture.removeFolder() }
        let track = try await fixture.createTrack()
        let engine = FakeEngine(.blockUntilCancelled)
        let pool = fixture.pool(engine: engine) { $0.drainTimeout = .milliseconds(100) }

        try await withServiceGroup(pool) { group in
            await engine.waitUntilStarted()
            await group.triggerGracefulShutdown()
        }
        #expect(engine.cancelledAt.current != nil)
        let released = try #require(try await fixture.track(track.assetID))
        #expect(released.status == .queued)
        #expect(released.leaseOwner == nil)
        #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
    }
}

/// Runs `service` in a ServiceGroup while `body` runs, then shuts it down gracefully and waits for it to end.
func withServiceGroup(
    _ service: any Service, _ body: @Sendable (ServiceGroup) async throws -> Void
) async throws {
    var logger = Logger(label: "test-services")
    logger.logLevel = .error
    let group = ServiceGroup(
        configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            try await body(group)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
