import Foundation
import NIOConcurrencyHelpers
import TunesmithCore

/// A store that announces every track state change it made to a `TrackChangePublisher`: the one place where
/// the studio's live updates are fed, whichever caller (API, worker pool) changed the track. It publishes only
/// after the wrapped store's write succeeded, and only when it changed something (a heartbeat only when the
/// progress moved), so subscribers are told about what is in the database and nothing else.
///
/// Everything else is passed through unchanged. The writes a worker makes after its claim (`heartbeat`,
/// `complete`, `fail`, `release`) name the track by asset id only; the owner's user id comes from the claim this
/// store saw, which is always the case in-process: a worker claims and finishes a job through the same store.
public struct TrackChangePublishingStore: TunesmithStore {
    public let base: any TunesmithStore
    private let publisher: any TrackChangePublisher
    private let claims = NIOLockedValueBox([Int64: Claim]())

    /// A job a worker of this process holds: whose it is, which worker holds it, the progress last announced.
    private struct Claim {
        var userID: String
        var workerID: String
        var progress: Int
    }

    public init(_ base: any TunesmithStore, publisher: any TrackChangePublisher) {
        self.base = base
        self.publisher = publisher
    }

    private func publish(userID: String, assetID: Int64) {
        publisher.publish(TrackChange(userID: userID, assetID: assetID))
    }

    /// After a write by `workerID` on a job it claimed: publishes when `changed`; `finished` forgets the claim
    /// (the job is final, back in the queue, or no longer this worker's).
    private func publishClaimed(assetID: Int64, workerID: String, changed: Bool, finished: Bool) {
        let userID = claims.withLockedValue { claims -> String? in
            guard let claim = claims[assetID], claim.workerID == workerID else { return nil }
            if finished { claims[assetID] = nil }
            return claim.userID
        }
        if changed, let userID { publish(userID: userID, assetID: assetID) }
    }

    // MARK: TrackStore: the state changes

    public func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        let track = try await base.createTrack(
            userID: userID, choice: choice, request: request, cost: cost, assetID: assetID, now: now)
        publish(userID: track.userID, assetID: track.assetID)
        return track
    }

    public func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track? {
        guard let track = try await base.claimNext(workerID: workerID, leaseUntil: leaseUntil, now: now) else {
            return nil
        }
        claims.withLockedValue {
            $0[track.assetID] = Claim(userID: track.userID, workerID: workerID, progress: track.progress)
        }
        publish(userID: track.userID, assetID: track.assetID)
        return track
    }

    public func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool {
        let owned = try await base.heartbeat(
            assetID: assetID, workerID: workerID, leaseUntil: leaseUntil, progress: progress, notify: notify, now: now)
        guard owned else {
            // Cancelled or taken over elsewhere: whoever did that announced it.
            publishClaimed(assetID: assetID, workerID: workerID, changed: false, finished: true)
            return false
        }
        let moved = claims.withLockedValue { claims -> Claim? in
            guard var claim = claims[assetID], claim.workerID == workerID, claim.progress != progress else { return nil }
            claim.progress = progress
            claims[assetID] = claim
            return claim
        }
        if let moved { publish(userID: moved.userID, assetID: assetID) }
        return true
    }

    public func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool {
        let done = try await base.complete(assetID: assetID, workerID: workerID, result: result, now: now)
        publishClaimed(assetID: assetID, workerID: workerID, changed: done, finished: true)
        return done
    }

    public func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool {
        let done = try await base.fail(
            assetID: assetID, workerID: workerID, code: code, reason: reason,
            credentialsRejected: credentialsRejected, now: now)
        publishClaimed(assetID: assetID, workerID: workerID, changed: done, finished: true)
        return done
    }

    public func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        let done = try await base.release(assetID: assetID, workerID: workerID, now: now)
        publishClaimed(assetID: assetID, workerID: workerID, changed: done, finished: true)
        return done
    }

    public func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        guard let track = try await base.cancel(userID: userID, assetID: assetID, now: now) else { return nil }
        // Its worker stops without another write to the store.
        claims.withLockedValue { $0[assetID] = nil }
        publish(userID: track.userID, assetID: track.assetID)
        return track
    }

    // MARK: TrackStore: reads

    public func track(userID: String, assetID: Int64) async throws -> Track? {
        try await base.track(userID: userID, assetID: assetID)
    }

    public func tracks(userID: String, email: String?, limit: Int, offset: Int) async throws -> [Track] {
        try await base.tracks(userID: userID, email: email, limit: limit, offset: offset)
    }

    public func activeTracks(userID: String) async throws -> [Track] {
        try await base.activeTracks(userID: userID)
    }

    public func countByStatus() async throws -> [AudioStatus: Int] {
        try await base.countByStatus()
    }

    // MARK: Users, accounts, callbacks, uploads: passed through

    public func createUser(name: String, now: Date) async throws -> User {
        try await base.createUser(name: name, now: now)
    }

    public func addToken(userID: String, tokenHash: String, now: Date) async throws {
        try await base.addToken(userID: userID, tokenHash: tokenHash, now: now)
    }

    public func user(tokenHash: String) async throws -> User? {
        try await base.user(tokenHash: tokenHash)
    }

    public func user(id: String) async throws -> User? {
        try await base.user(id: id)
    }

    public func users() async throws -> [User] {
        try await base.users()
    }

    public func upsertAccount(
        userID: String, email: String, maxJobs: Int, credits: Int?, passwordHash: String?, now: Date
    ) async throws -> Account {
        try await base.upsertAccount(
            userID: userID, email: email, maxJobs: maxJobs, credits: credits, passwordHash: passwordHash, now: now)
    }

    public func account(userID: String, email: String) async throws -> Account? {
        try await base.account(userID: userID, email: email)
    }

    public func accounts(userID: String) async throws -> [Account] {
        try await base.accounts(userID: userID)
    }

    public func deleteAccount(userID: String, email: String) async throws -> Bool {
        try await base.deleteAccount(userID: userID, email: email)
    }

    public func markAccountError(userID: String, email: String, message: String) async throws {
        try await base.markAccountError(userID: userID, email: email, message: message)
    }

    public func dueCallbacks(now: Date, limit: Int) async throws -> [CallbackMessage] {
        try await base.dueCallbacks(now: now, limit: limit)
    }

    public func markDelivered(id: Int64, now: Date) async throws {
        try await base.markDelivered(id: id, now: now)
    }

    public func reschedule(id: Int64, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await base.reschedule(id: id, attempts: attempts, nextAttemptAt: nextAttemptAt, error: error)
    }

    public func abandon(id: Int64, error: String) async throws {
        try await base.abandon(id: id, error: error)
    }

    public func saveUpload(_ upload: Upload) async throws -> Upload {
        try await base.saveUpload(upload)
    }

    public func upload(userID: String, path: String) async throws -> Upload? {
        try await base.upload(userID: userID, path: path)
    }
}
