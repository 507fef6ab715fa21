import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle
import Storage
import TunesmithCore

/// How the worker pool paces itself. The defaults suit one machine; tests shrink the intervals.
public struct WorkerPoolConfiguration: Sendable {
    /// Jobs run at the same time in this process.
    public var concurrency: Int
    /// How long a claim stays valid without a heartbeat; after that another worker may take the job over.
    public var leaseDuration: Duration
    public var heartbeatInterval: Duration
    /// Least time between two progress callbacks of one track (API.md: at most every 5 s).
    public var progressCallbackInterval: Duration
    /// How long an idle worker waits before looking for work again when nobody calls `wake()`.
    public var pollInterval: Duration
    /// On graceful shutdown, how long running jobs may still finish before they are stopped and re-queued.
    public var drainTimeout: Duration
    /// A job claimed more often than this (its workers kept dying) fails instead of being tried again.
    public var maxAttempts: Int

    public init(
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        leaseDuration: Duration = .seconds(30),
        heartbeatInterval: Duration = .seconds(1),
        progressCallbackInterval: Duration = .seconds(5),
        pollInterval: Duration = .milliseconds(500),
        drainTimeout: Duration = .seconds(30),
        maxAttempts: Int = 3
    ) {
        self.concurrency = max(1, concurrency)
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.progressCallbackInterval = progressCallbackInterval
        self.pollInterval = pollInterval
        self.drainTimeout = drainTimeout
        self.maxAttempts = max(1, maxAttempts)
    }
}

/// Runs queued tracks through the music engine: claims a job from the store, generates it while keeping its
/// lease alive, stores the media and records the result. Jobs of a dead process are taken over once their lease
/// expires, so any number of worker processes can share one store.
public final class WorkerPool: Service, JobCanceller {
    public static let failureCode = "music_generation_failed"

    private let store: any TrackStore
    private let engine: any MusicEngine
    private let media: any MediaStore
    private let configuration: WorkerPoolConfiguration
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let logger: Logger
    /// Called after every write that left a callback message in the outbox (the serve command wakes the
    /// callback dispatcher with it, so a callback does not wait for the dispatcher's next look).
    private let wakeCallbacks: @Sendable () -> Void
    /// Identifies this process in leases; the random part keeps a restarted process (same host and pid, e.g.
    /// pid 1 in a container) from looking like the one that died.
    private let processID: String

    private let workAvailable = WakeSignal()
    private let shutdownBegan = WakeSignal()
    private let isShuttingDown = NIOLockedValueBox(false)
    private let running = NIOLockedValueBox([Int64: RunningJob]())

    public init(
        store: any TrackStore,
        engine: any MusicEngine,
        media: any MediaStore,
        configuration: WorkerPoolConfiguration = .init(),
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "tunesmith.worker"),
        wakeCallbacks: @escaping @Sendable () -> Void = {}
    ) {
        self.wakeCallbacks = wakeCallbacks
        self.store = store
        self.engine = engine
        self.media = media
        self.configuration = configuration
        self.clock = clock
        self.now = now
        self.logger = logger
        let process = ProcessInfo.processInfo
        self.processID = "\(process.hostName):\(process.processIdentifier):\(Token.randomString(length: 6))"
    }

    /// Tells idle workers that a job was queued, so it starts now rather than at the next poll.
    public func wake() {
        workAvailable.signal()
    }

    /// Stops the local generation of a track at once. The store has already marked it cancelled; this only
    /// spares the CPU (workers in other processes hear of it through `stopRunning`, or at their next heartbeat).
    public func cancelRunning(assetID: Int64) async {
        stopRunning(assetID: assetID)
    }

    /// `cancelRunning` for callers that cannot wait (the PostgreSQL notifier: a cancel from another process).
    /// Nothing happens when this process is not generating the track.
    public func stopRunning(assetID: Int64) {
        running.withLockedValue { $0[assetID] }?.stop(.cancelled)
    }

    /// Asset ids of the jobs this process is generating right now.
    public var runningAssetIDs: Set<Int64> {
        Set(running.withLockedValue { $0.keys })
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: PoolTask.self) { group in
                for index in 0..<configuration.concurrency {
                    group.addTask {
                        await self.workerLoop(workerID: "\(self.processID)-w\(index)")
                        return .worker
                    }
                }
                group.addTask {
                    await self.stopRunningJobsAfterDrainTimeout()
                    return .drainWatch
                }
                var workersLeft = configuration.concurrency
                while let finished = await group.next() {
                    guard finished == .worker else { continue }
                    workersLeft -= 1
                    if workersLeft == 0 { group.cancelAll() }
                }
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
    }

    /// Claims one job and runs it to the end. Nil when the queue was empty.
    @discardableResult
    public func runOnce() async throws -> Int64? {
        try await claimAndRun(workerID: "\(processID)-once")
    }

    // MARK: - Worker loop

    private enum PoolTask: Sendable { case worker, drainWatch }

    private func beginShutdown() {
        isShuttingDown.withLockedValue { $0 = true }
        shutdownBegan.signal()
        // Idle workers are asleep; wake them so they see the flag and exit.
        workAvailable.signal()
    }

    /// True once graceful shutdown began (no new claims).
    var shutdownRequested: Bool { isShuttingDown.withLockedValue { $0 } }

    private var shuttingDown: Bool { isShuttingDown.withLockedValue { $0 } || Task.isCancelled }

    private func workerLoop(workerID: String) async {
        while !shuttingDown {
            do {
                if try await claimAndRun(workerID: workerID) != nil { continue }
            } catch {
                // The store is unreachable or busy; back off like an idle worker and try again.
                logger.error("claiming a job failed", metadata: ["error": "\(error)"])
            }
            guard !shuttingDown else { return }
            await workAvailable.wait(timeout: configuration.pollInterval, clock: clock)
        }
    }

    private func stopRunningJobsAfterDrainTimeout() async {
        await shutdownBegan.wait()
        guard !Task.isCancelled else { return }
        do {
            try await clock.sleep(for: configuration.drainTimeout)
        } catch {
            return  // every worker finished within the drain time
        }
        let jobs = running.withLockedValue { Array($0.values) }
        if !jobs.isEmpty {
            logger.warning("drain timeout: re-queueing unfinished jobs", metadata: ["count": "\(jobs.count)"])
        }
        for job in jobs { job.stop(.shutdown) }
    }

    private func claimAndRun(workerID: String) async throws -> Int64? {
        let claimedAt = now()
        guard
            let track = try await store.claimNext(
                workerID: workerID, leaseUntil: claimedAt.adding(configuration.leaseDuration), now: claimedAt)
        else { return nil }
        // The claim wrote the GENERATING callback.
        notifyOutbox(track)
        await process(track, workerID: workerID)
        return track.assetID
    }

    // MARK: - One job

    private func process(_ track: Track, workerID: String) async {
        var logger = self.logger
        logger[metadataKey: "asset_id"] = "\(track.assetID)"
        logger[metadataKey: "worker"] = "\(workerID)"

        guard track.attempts <= configuration.maxAttempts else {
            let reason = "Generation was interrupted \(track.attempts - 1) times (the worker stopped); giving up."
            await finishFailed(track, workerID: workerID, reason: reason, credentialsRejected: false, logger: logger)
            return
        }

        let job = RunningJob()
        running.withLockedValue { $0[track.assetID] = job }
        defer { running.withLockedValue { $0[track.assetID] = nil } }

        logger.info("generating", metadata: ["attempt": "\(track.attempts)"])
        let startedAt = ContinuousClock.now
        let outcome = await generate(track, workerID: workerID, job: job, logger: logger)
        let elapsed = ContinuousClock.now - startedAt

        switch outcome {
        case .generated(let song):
            // This claim's own folder: a worker that lost the lease never writes into (or cleans up) the folder
            // of the attempt that replaced it.
            let attempt = "\(track.attempts)-\(Token.randomString(length: 8))"
            await finishGenerated(
                track, song: song, attempt: attempt, workerID: workerID, elapsed: elapsed, logger: logger)
        case .engineFailed(let error):
            let rejected = error as? CredentialsRejected
            await finishFailed(
                track, workerID: workerID, reason: rejected?.message ?? Self.describe(error),
                credentialsRejected: rejected != nil, logger: logger)
        case .stopped(.cancelled):
            JobMetrics.countJob(outcome: .cancelled)
            logger.info("cancelled while generating")
        case .stopped(.leaseLost):
            JobMetrics.countJob(outcome: .lost)
            logger.warning("lost the lease (cancelled or taken over elsewhere); stopped")
        case .stopped(.leaseExpired):
            JobMetrics.countJob(outcome: .lost)
            logger.warning("the lease ran out by this worker's clock (heartbeats did not reach the database); stopped")
        case .stopped(.shutdown):
            await requeue(track, workerID: workerID, logger: logger)
        }
    }

    private enum Outcome: Sendable {
        case generated(GeneratedSong)
        case engineFailed(any Error)
        case stopped(StopReason)
    }

    /// Runs the engine next to the heartbeat, the lease watch and the stop request; whichever ends first decides,
    /// the others are cancelled (so a lost lease, a lease run out or a DELETE stops the engine at once).
    private func generate(_ track: Track, workerID: String, job: RunningJob, logger: Logger) async -> Outcome {
        let stored = track.request
        // The engine reads the reference images, and an extension the MIDI file of the track it continues, from
        // local files (with media in PostgreSQL, temporary copies).
        var paths = stored.baseSong.imagePaths
        if let midi = stored.extending?.originalMIDIPath { paths.append(midi) }
        do {
            return try await media.withLocalFiles(paths) { files in
                await generate(
                    track, request: Self.generationRequest(for: stored, localFiles: files), workerID: workerID,
                    job: job, logger: logger)
            }
        } catch let missing as MediaNotFound {
            return .engineFailed(MissingUpload(path: missing.path))
        } catch {
            return .engineFailed(error)
        }
    }

    private func generate(
        _ track: Track, request: GenerationRequest, workerID: String, job: RunningJob, logger: Logger
    ) async -> Outcome {
        let progress = NIOLockedValueBox(0)
        // Until when the database holds this worker's lease, as far as this worker knows: the claim's lease, then
        // each heartbeat's.
        let confirmedLease = NIOLockedValueBox(track.leaseExpiresAt ?? now().adding(configuration.leaseDuration))
        let engine = self.engine

        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let song = try await engine.generate(request) { fraction in
                        // Below 100 until the result is stored: 100 means "done" to clients.
                        let percent = min(99, max(0, Int((fraction * 100).rounded(.down))))
                        progress.withLockedValue { $0 = max($0, percent) }
                    }
                    return .generated(song)
                } catch {
                    return .engineFailed(error)
                }
            }
            group.addTask {
                await self.keepLease(
                    track, workerID: workerID, progress: progress, confirmedLease: confirmedLease, logger: logger)
                    .map { Outcome.stopped($0) }
            }
            group.addTask {
                await self.watchLease(confirmedLease)
                    .map { Outcome.stopped($0) }
            }
            group.addTask {
                await job.stopRequested().map { Outcome.stopped($0) }
            }
            var decided: Outcome?
            while decided == nil, let next = await group.next() {
                decided = next
            }
            group.cancelAll()
            // This task itself was cancelled (the process is stopping without a graceful phase): whatever the
            // engine returned, hand the job back; if even that fails, its lease expires and it is taken over.
            guard let decided, !Task.isCancelled else { return .stopped(.shutdown) }
            return decided
        }
    }

    /// What the engine is asked for. An extension asks for its first song again, with every continuation since
    /// and the MIDI file of the track it continues (the engine checks it composes that song again). `localFiles`
    /// holds the first song's images, then the extension's MIDI file.
    static func generationRequest(for stored: TrackRequest, localFiles: [URL]) -> GenerationRequest {
        let base = stored.baseSong
        var request = GenerationRequest(
            model: stored.model, prompt: base.prompt, instrumental: base.instrumental, lyrics: base.lyrics,
            images: Array(localFiles.prefix(base.imagePaths.count)), seed: base.seed,
            maxSeconds: stored.model.spec.maxSeconds)
        request.stems = stored.wantsStems
        if let extending = stored.extending {
            request.continuations = extending.continuations
            if extending.originalMIDIPath != nil { request.continuedMIDI = localFiles.last }
        }
        return request
    }

    /// Heartbeats until cancelled (nil) or the store says this worker no longer owns the job. Each heartbeat the
    /// store accepted moves `confirmedLease` to the lease it wrote.
    private func keepLease(
        _ track: Track, workerID: String, progress: NIOLockedValueBox<Int>, confirmedLease: NIOLockedValueBox<Date>, logger: Logger
    ) async -> StopReason? {
        let notifyEvery = configuration.progressCallbackInterval.timeInterval
        // The claim itself wrote the GENERATING callback, so the first progress callback waits a full interval.
        var lastNotified = now()
        var lastNotifiedProgress = 0
        while true {
            do {
                try await clock.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
            let date = now()
            let percent = progress.withLockedValue { $0 }
            let notify =
                track.request.replyURL != nil && percent != lastNotifiedProgress
                && date.timeIntervalSince(lastNotified) >= notifyEvery
            do {
                let leaseUntil = date.adding(configuration.leaseDuration)
                let owned = try await store.heartbeat(
                    assetID: track.assetID, workerID: workerID, leaseUntil: leaseUntil, progress: percent,
                    notify: notify, now: date)
                guard owned else { return .leaseLost }
                confirmedLease.withLockedValue { $0 = max($0, leaseUntil) }
                if notify {
                    notifyOutbox(track)
                    lastNotified = date
                    lastNotifiedProgress = percent
                }
            } catch {
                guard !Task.isCancelled else { return nil }
                // A missed heartbeat is not fatal: the lease has slack for many of them (`watchLease` says when
                // there is none left).
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Returns `.leaseExpired` once this worker's own clock passes the lease the database last confirmed (nil when
    /// cancelled). From then on another worker may take the job over, so this one stops, even while its
    /// heartbeats fail or hang (the database out of reach, the process stopped and resumed).
    private func watchLease(_ confirmedLease: NIOLockedValueBox<Date>) async -> StopReason? {
        while now() < confirmedLease.withLockedValue({ $0 }) {
            do {
                try await clock.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
        }
        return .leaseExpired
    }

    private func finishGenerated(
        _ track: Track, song: GeneratedSong, attempt: String, workerID: String, elapsed: Duration, logger: Logger
    ) async {
        let folder = MediaPaths.attemptFolder(assetID: track.assetID, attempt: attempt)
        let paths: [MediaKind: String]
        do {
            paths = try await media.writeAttempt(assetID: track.assetID, attempt: attempt, files: song.media)
        } catch {
            try? await media.removeFolder(folder)
            if error is StoreUnavailable {
                // The database is away for a moment (a restart, a failover; media in PostgreSQL): nothing is wrong
                // with the song, only storing it failed. Failing it for good would lose it (found by the
                // PostgreSQL-restart drill); hand it back so it is made again.
                await handBack(track, workerID: workerID, error: error, logger: logger)
                return
            }
            await finishFailed(
                track, workerID: workerID, reason: "Storing the generated media failed: \(Self.describe(error))",
                credentialsRejected: false, logger: logger)
            return
        }
        var result = TrackResult(
            title: song.title, lyrics: song.lyrics, durationSeconds: song.durationSeconds, bpm: song.bpm,
            key: song.key, genre: song.genre, provider: song.provider ?? engine.provider, media: paths)
        result.imageInfluence = song.imageInfluence
        result.fallbackFrom = song.fallbackFrom
        do {
            if try await store.complete(assetID: track.assetID, workerID: workerID, result: result, now: now()) {
                notifyOutbox(track)
                JobMetrics.generationTimer.recordNanoseconds(elapsed.nanoseconds)
                JobMetrics.countJob(outcome: .completed)
                logger.info("completed", metadata: ["seconds": "\(elapsed.timeInterval)"])
            } else {
                // Cancelled or taken over while the last bytes were written: this attempt's files are not kept.
                JobMetrics.countJob(outcome: .lost)
                logger.warning("finished but no longer owned the job; discarding the media")
                try? await media.removeFolder(folder)
            }
        } catch {
            // The lease will expire and another worker will redo it (in a folder of its own).
            logger.error("recording the result failed", metadata: ["error": "\(error)"])
        }
    }

    private func finishFailed(
        _ track: Track, workerID: String, reason: String, credentialsRejected: Bool, logger: Logger
    ) async {
        do {
            let owned = try await store.fail(
                assetID: track.assetID, workerID: workerID, code: Self.failureCode, reason: reason,
                credentialsRejected: credentialsRejected, now: now())
            if owned { notifyOutbox(track) }
            JobMetrics.countJob(outcome: owned ? .failed : .lost)
            logger.warning("failed", metadata: ["reason": "\(reason)"])
        } catch {
            logger.error("recording the failure failed", metadata: ["error": "\(error)"])
        }
    }

    /// Back to the queue after the database was unavailable; if even that cannot reach it, the lease runs out and
    /// any worker claims the job again.
    private func handBack(_ track: Track, workerID: String, error: any Error, logger: Logger) async {
        logger.warning("the database is unavailable; job handed back to the queue", metadata: ["error": "\(error)"])
        JobMetrics.countJob(outcome: .requeued)
        do {
            if try await store.release(assetID: track.assetID, workerID: workerID, now: now()) { notifyOutbox(track) }
        } catch {
            logger.warning("handing the job back failed; its lease will run out instead", metadata: ["error": "\(error)"])
        }
    }

    private func requeue(_ track: Track, workerID: String, logger: Logger) async {
        do {
            if try await store.release(assetID: track.assetID, workerID: workerID, now: now()) { notifyOutbox(track) }
            JobMetrics.countJob(outcome: .requeued)
            logger.info("shutting down: job handed back to the queue")
        } catch {
            logger.error("re-queueing failed; the lease will expire instead", metadata: ["error": "\(error)"])
        }
    }

    /// The store writes a callback message with every state change of a track that has a `replyUrl`.
    private func notifyOutbox(_ track: Track) {
        if track.request.replyURL != nil { wakeCallbacks() }
    }

    private static func describe(_ error: any Error) -> String {
        if let localized = error as? any LocalizedError, let description = localized.errorDescription {
            return description
        }
        return String(describing: error)
    }
}

/// Why a running job was stopped before the engine finished.
enum StopReason: Sendable {
    /// DELETE scheduler/<id>: the store already marked it FAILED/cancelled.
    case cancelled
    /// A heartbeat found the job no longer ours (cancelled by another process, or taken over).
    case leaseLost
    /// The lease ran out by this worker's clock before a heartbeat could renew it: another worker may have the job.
    case leaseExpired
    /// The process is stopping (graceful shutdown ran out of drain time): hand the job back to the queue.
    case shutdown
}

/// The stop handle of one running job.
final class RunningJob: Sendable {
    private let reason = NIOLockedValueBox<StopReason?>(nil)
    private let signal = WakeSignal()

    func stop(_ why: StopReason) {
        reason.withLockedValue { $0 = $0 ?? why }
        signal.signal()
    }

    /// The reason once `stop` was called; nil if the waiting task was cancelled first.
    func stopRequested() async -> StopReason? {
        await signal.wait()
        return reason.withLockedValue { $0 }
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date { addingTimeInterval(duration.timeInterval) }
}
