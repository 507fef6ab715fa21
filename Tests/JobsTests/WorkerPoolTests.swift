import Foundation
import Storage
import TestSupport
import Testing
import TunesmithCore

@testable import Jobs

/// The pool runs on the fixture's test clock: a heartbeat, a poll or the drain time passes only when a test
/// advances the clock, so each test decides exactly which of them happen.
@Suite struct WorkerPoolTests {
    @Test func completesAJobAndStoresItsMedia() async throws {
        try await withFixture { fixture in
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
            #expect(Set(result.media.keys) == [.mp3, .midi, .sheet, .lrc])
            let mp3 = try #require(result.media[.mp3])
            let file = try #require(fixture.media.url(for: mp3))
            #expect(try Data(contentsOf: file) == Data("ID3fake-mp3".utf8))
            for path in result.media.values { #expect(fixture.media.url(for: path) != nil) }
            #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
        }
    }

    @Test func stemsAreAskedForAndStoredAsOneZip() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack { $0.stems = true }
            let engine = FakeEngine(.succeed)
            try await fixture.pool(engine: engine).runOnce()
            #expect(engine.requests.map(\.stems) == [true])
            let result = try #require(try await fixture.track(track.assetID)?.result)
            let path = try #require(result.media[.stems])
            #expect(path.hasPrefix("tracks/\(track.assetID)/") && path.hasSuffix("/stems.zip"))
            #expect(try Data(contentsOf: try #require(fixture.media.url(for: path))) == FakeEngine.stemsZip)
        }
    }

    @Test func anExtensionAsksForItsFirstSongWithEveryContinuationAndTheOriginalsMIDI() async throws {
        try await withFixture { fixture in
            let base = BaseSong(
                prompt: "a calm lofi tune", instrumental: false, lyrics: "[Verse]\nla", imagePaths: [], seed: 7)
            let continuations = [
                SongContinuation(prompt: "brighter", lyrics: nil, seed: 8),
                SongContinuation(prompt: nil, lyrics: "[Chorus]\nna", seed: 9),
            ]
            let track = try await fixture.createTrack(seed: 9) {
                $0.prompt = "brighter"
                $0.lyrics = "[Chorus]\nna"
                $0.extending = SongExtension(
                    originalAudioID: "user:x-pixverse:a@b.c-music:42", originalAssetID: 42, base: base,
                    continuations: continuations, originalMIDIPath: "tracks/42/1-first/track.mid")
            }
            try await fixture.media.write(Data("MThd".utf8), to: "tracks/42/1-first/track.mid")
            let engine = FakeEngine(.succeed)
            try await fixture.pool(engine: engine).runOnce()
            let asked = try #require(engine.requests.first)
            #expect(asked.prompt == base.prompt && asked.lyrics == base.lyrics && asked.seed == base.seed)
            #expect(!asked.instrumental)
            #expect(asked.continuations == continuations)
            #expect(asked.continuedMIDI == fixture.media.root.appendingPathComponent("tracks/42/1-first/track.mid"))
            #expect(asked.maxSeconds == MusicModel.music26.spec.maxSeconds)
            #expect(!asked.stems)
            #expect(try await fixture.track(track.assetID)?.status == .completed)
        }
    }

    /// A worker cut off from the database past its lease (here: silent for an hour) keeps rendering; meanwhile
    /// another worker takes the track over and finishes it. When the first one finally finishes, its result is
    /// refused, and neither its writing nor its cleaning up may touch the files of the attempt that won.
    @Test func aWorkerThatLostItsLeaseNeverTouchesTheWinnersFiles() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            let slowEngine = FakeEngine(.blockUntilReleased, tag: "-late")
            let late = fixture.pool(engine: slowEngine) { $0.heartbeatInterval = .seconds(3_600) }
            try await whileGenerating(late, slowEngine) {
                fixture.clock.advance(by: Fixture.leaseDuration + .seconds(1))
                #expect(try await fixture.pool(engine: FakeEngine(.succeed, tag: "-winner")).runOnce() == track.assetID)
                let done = try #require(try await fixture.track(track.assetID))
                #expect(done.status == .completed)
                let files = try #require(done.result?.media).values.map { try #require(fixture.media.url(for: $0)) }
                let winners = try files.map { try Data(contentsOf: $0) }
                #expect(winners.contains(Data("ID3fake-mp3-winner".utf8)))

                slowEngine.release()
                try await waitUntil("the late worker to finish") { late.runningAssetIDs.isEmpty }
                #expect(try await fixture.track(track.assetID) == done)
                #expect(files.map { try? Data(contentsOf: $0) } == winners)
            }
        }
    }

    /// Heartbeats stop reaching the database (they hang): the worker must stop rendering once its own clock says
    /// the lease it last confirmed has run out, since another worker may take the track over from then on.
    @Test func aWorkerStopsRenderingWhenItsOwnClockSaysTheLeaseExpired() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            let engine = FakeEngine(.blockUntilCancelled)
            let store = PartitionedStore(fixture.store)
            let pool = WorkerPool(
                store: store, engine: engine, media: fixture.media,
                configuration: .init(
                    concurrency: 1, leaseDuration: Fixture.leaseDuration, heartbeatInterval: Fixture.heartbeat),
                clock: fixture.clock, now: fixture.clock.wallClock, logger: quietLogger)
            try await whileGenerating(pool, engine) {
                store.partition()
                // The heartbeat and the lease watch both asleep: one advance past the lease wakes both.
                try await fixture.clock.waitForSleepers(2)
                fixture.clock.advance(by: Fixture.leaseDuration + .seconds(1))
                try await waitUntil("the engine to be stopped", timeout: .seconds(60)) { engine.wasCancelled }
            }
            // The worker could not record anything; the track waits for the next claim.
            #expect(try await fixture.track(track.assetID)?.status == .generating)
            #expect(pool.runningAssetIDs.isEmpty)
        }
    }

    @Test func emptyQueueRunsNothing() async throws {
        try await withFixture { fixture in
            let engine = FakeEngine()
            let ran = try await fixture.pool(engine: engine).runOnce()
            #expect(ran == nil)
            #expect(engine.calls == 0)
        }
    }

    @Test func heartbeatsRecordProgressWhileGenerating() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            let engine = FakeEngine(.blockUntilReleased)
            let pool = fixture.pool(engine: engine)

            try await whileGenerating(pool, engine) {
                try await fixture.clock.waitForSleepers()
                // The engine reported 42 %, but only a heartbeat stores it, and none ran yet.
                #expect(try await fixture.track(track.assetID)?.progress == 0)
                try await fixture.heartbeat(track.assetID)
                #expect(try await fixture.track(track.assetID)?.progress == 42)
                #expect(try await fixture.track(track.assetID)?.status == .generating)
                #expect(pool.runningAssetIDs == [track.assetID])
                engine.release()
            }
            #expect(try await fixture.track(track.assetID)?.progress == 100)
            #expect(pool.runningAssetIDs.isEmpty)
        }
    }

    @Test func progressCallbacksAreWrittenAtMostEveryFiveSeconds() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack(replyURL: "http://93.184.216.34/hook")
            let engine = FakeEngine(.blockUntilReleased)
            let pool = fixture.pool(engine: engine)
            let outbox = { try await fixture.store.dueCallbacks(now: .distantFuture, limit: 100) }

            try await whileGenerating(pool, engine) {
                // Heartbeats 1 to 4 s after the GENERATING callback: progress is stored, but no progress callback.
                for _ in 1...4 { try await fixture.heartbeat(track.assetID) }
                #expect(try await fixture.track(track.assetID)?.progress == 42)
                #expect(try await outbox().map(\.snapshot.progress) == [0])
                // The heartbeat 5 s after it writes one.
                try await fixture.heartbeat(track.assetID)
                #expect(try await outbox().map(\.snapshot.progress) == [0, 42])
                #expect(try await outbox().last?.isFinal == false)
                engine.release()
            }
            #expect(try await outbox().last?.snapshot.status == .completed)
        }
    }

    @Test func engineFailureFailsTheTrackAndRefunds() async throws {
        try await withFixture { fixture in
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
    }

    @Test func fiveFailuresInARowPutTheAccountInError() async throws {
        try await withFixture { fixture in
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
    }

    @Test func rejectedCredentialsPutTheAccountInErrorAtOnce() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            try await fixture.pool(engine: FakeEngine(.rejectCredentials)).runOnce()
            #expect(try await fixture.track(track.assetID)?.failReason == "provider said 401")
            #expect(try await fixture.account()?.error?.contains("provider said 401") == true)
        }
    }

    @Test func cancelStopsTheEngineAtOnceAndRefunds() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            let engine = FakeEngine(.blockUntilCancelled)
            let pool = fixture.pool(engine: engine)

            try await whileGenerating(pool, engine) {
                #expect(
                    try await fixture.store.cancel(
                        userID: fixture.user.id, assetID: track.assetID, now: fixture.clock.date) != nil)
                await pool.cancelRunning(assetID: track.assetID)
                // The clock never moves in this test, so no heartbeat runs: only cancelRunning can stop the engine.
                try await waitUntil("cancelRunning to stop the engine", timeout: .seconds(60)) { engine.wasCancelled }
            }

            let failed = try #require(try await fixture.track(track.assetID))
            #expect(failed.status == .failed)
            #expect(failed.failCode == "cancelled")
            #expect(try await fixture.account()?.credits == Fixture.startingCredits)
            #expect(!FileManager.default.fileExists(atPath: fixture.media.root.appendingPathComponent("tracks/\(track.assetID)").path))
        }
    }

    @Test func cancelFromAnotherProcessIsNoticedByTheHeartbeat() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            let engine = FakeEngine(.blockUntilCancelled)
            let pool = fixture.pool(engine: engine)

            try await whileGenerating(pool, engine) {
                // Only the store is told, as when the DELETE reached another API process.
                _ = try await fixture.store.cancel(
                    userID: fixture.user.id, assetID: track.assetID, now: fixture.clock.date)
                try await fixture.clock.waitForSleepers(2)
                #expect(!engine.wasCancelled)
                // The next heartbeat finds the job no longer owned and stops the engine.
                fixture.clock.advance(by: Fixture.heartbeat)
                try await waitUntil("the heartbeat to stop the engine", timeout: .seconds(60)) { engine.wasCancelled }
            }
            let failed = try #require(try await fixture.track(track.assetID))
            #expect(failed.failCode == "cancelled")
            #expect(try await fixture.account()?.credits == Fixture.startingCredits)
        }
    }

    @Test func expiredLeaseIsTakenOverAndCreditsAreDebitedOnce() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            // A worker claims the job and dies without a heartbeat.
            let dead = try await fixture.store.claimNext(
                workerID: "crashed-worker", leaseUntil: fixture.clock.date.addingTimeInterval(30),
                now: fixture.clock.date)
            #expect(dead?.assetID == track.assetID)
            let engine = FakeEngine(.succeed)
            let pool = fixture.pool(engine: engine)

            fixture.clock.advance(by: .seconds(10))
            #expect(try await pool.runOnce() == nil)  // the lease still holds

            fixture.clock.advance(by: .seconds(21))
            #expect(try await pool.runOnce() == track.assetID)
            let done = try #require(try await fixture.track(track.assetID))
            #expect(done.status == .completed)
            #expect(done.attempts == 2)
            #expect(engine.calls == 1)
            #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
        }
    }

    @Test func jobIsFailedAfterMaxAttemptsInsteadOfLoopingForever() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            for crash in 1...2 {
                let claimed = try await fixture.store.claimNext(
                    workerID: "crash-\(crash)", leaseUntil: fixture.clock.date.addingTimeInterval(30),
                    now: fixture.clock.date)
                #expect(claimed?.attempts == crash)
                fixture.clock.advance(by: .seconds(31))
            }
            let engine = FakeEngine(.succeed)

            try await fixture.pool(engine: engine) { $0.maxAttempts = 2 }.runOnce()

            #expect(engine.calls == 0)
            let failed = try #require(try await fixture.track(track.assetID))
            #expect(failed.status == .failed)
            #expect(failed.failCode == "music_generation_failed")
            #expect(failed.failReason?.contains("interrupted 2 times") == true)
            #expect(try await fixture.account()?.credits == Fixture.startingCredits)
        }
    }

    @Test func wakeStartsAQueuedJobWithoutWaitingForThePoll() async throws {
        try await withFixture { fixture in
            let engine = FakeEngine(.succeed)
            let pool = fixture.pool(engine: engine)

            try await withServiceGroup(pool) { _ in
                // The worker found the queue empty and sleeps until woken or until its poll interval passes on the
                // test clock, which never moves here: only wake() can make it look again.
                try await fixture.clock.waitForSleepers()
                let track = try await fixture.createTrack()
                pool.wake()
                try await waitUntil("the woken worker to complete the job", timeout: .seconds(60)) {
                    try await fixture.track(track.assetID)?.status == .completed
                }
            }
        }
    }

    @Test func gracefulShutdownLetsRunningJobsFinishWithinTheDrainTime() async throws {
        try await withFixture { fixture in
            let first = try await fixture.createTrack(seed: 1)
            let second = try await fixture.createTrack(seed: 2)
            let engine = FakeEngine(.blockUntilReleased)
            let pool = fixture.pool(engine: engine)

            // The clock never moves, so the drain time never runs out: the job ends only by finishing.
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
            #expect(engine.calls == 1)
        }
    }

    @Test func gracefulRestartsDoNotUseUpTheAttempts() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            // More graceful restarts (drain time out, job handed back) than `maxAttempts` allows crashes.
            for restart in 1...4 {
                let engine = FakeEngine(.blockUntilCancelled)
                let pool = fixture.pool(engine: engine)
                try await shutDownPastTheDrainTime(pool, engine, fixture)
                let released = try #require(try await fixture.track(track.assetID))
                #expect(released.status == .queued, "restart \(restart)")
                #expect(released.attempts == 0, "restart \(restart)")
            }
            let engine = FakeEngine(.succeed)
            try await fixture.pool(engine: engine).runOnce()
            let done = try #require(try await fixture.track(track.assetID))
            #expect(done.status == .completed && done.attempts == 1)
            #expect(engine.calls == 1)
            #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
        }
    }

    @Test func gracefulShutdownRequeuesJobsStillRunningAfterTheDrainTime() async throws {
        try await withFixture { fixture in
            let track = try await fixture.createTrack()
            let engine = FakeEngine(.blockUntilCancelled)
            let pool = fixture.pool(engine: engine)

            try await shutDownPastTheDrainTime(pool, engine, fixture) {
                // A second short of the drain time the job still runs.
                #expect(pool.runningAssetIDs == [track.assetID])
                #expect(!engine.wasCancelled)
            }
            let released = try #require(try await fixture.track(track.assetID))
            #expect(released.status == .queued)
            #expect(released.leaseOwner == nil)
            #expect(try await fixture.account()?.credits == Fixture.startingCredits - Fixture.cost)
        }
    }

    /// Runs `pool` until its job started, shuts it down gracefully and moves the clock past the drain time
    /// (`aSecondBefore` runs a second short of it); returns once the drain time stopped the job and the pool ended.
    func shutDownPastTheDrainTime(
        _ pool: WorkerPool, _ engine: FakeEngine, _ fixture: Fixture, aSecondBefore: () -> Void = {}
    ) async throws {
        try await withServiceGroup(pool) { group in
            await engine.waitUntilStarted()
            await group.triggerGracefulShutdown()
            // The running job's heartbeat and lease watch and the drain watch all sleep on the clock.
            try await fixture.clock.waitForSleepers(3)
            fixture.clock.advance(by: Fixture.drainTimeout - .seconds(1))
            aSecondBefore()
            fixture.clock.advance(by: .seconds(1))
            try await waitUntil("the drain time to stop the job", timeout: .seconds(60)) { engine.wasCancelled }
        }
    }

    /// Runs `pool.runOnce()` beside `body`, which starts once the engine has entered `generate`; returns when
    /// both have ended.
    func whileGenerating(_ pool: WorkerPool, _ engine: FakeEngine, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.runOnce() }
            await engine.waitUntilStarted()
            try await body()
            try await group.waitForAll()
        }
    }
}
