import Foundation
import TunesmithCore

/// A store decorator: every store method it does not implement itself goes to `base` unchanged. The decorators
/// (`CachedStore`, `TrackChangePublishingStore`) implement only what they change, so a method added to the store
/// protocols reaches the backend through every decorator without being forwarded by hand in each.
public protocol ForwardingStore: TunesmithStore {
    var base: any TunesmithStore { get }
}

extension ForwardingStore {
    public func createUser(name: String, now: Date) async throws -> User {
        try await base.createUser(name: name, now: now)
    }

    public func addToken(userID: String, tokenHash: String, now: Date) async throws {
        try await base.addToken(userID: userID, tokenHash: tokenHash, now: now)
    }

    public func user(tokenHash: String) async throws -> User? { try await base.user(tokenHash: tokenHash) }
    public func user(id: String) async throws -> User? { try await base.user(id: id) }
    public func users() async throws -> [User] { try await base.users() }

    public func upsertAccount(
        userID: String, email: String, maxJobs: Int, credits: Int?, passwordHash: String?, now: Date
    ) async throws -> Account {
        try await base.upsertAccount(
            userID: userID, email: email, maxJobs: maxJobs, credits: credits, passwordHash: passwordHash, now: now)
    }

    public func account(userID: String, email: String) async throws -> Account? {
        try await base.account(userID: userID, email: email)
    }

    public func accounts(userID: String) async throws -> [Account] { try await base.accounts(userID: userID) }

    public func deleteAccount(userID: String, email: String) async throws -> Bool {
        try await base.deleteAccount(userID: userID, email: email)
    }

    public func markAccountError(userID: String, email: String, message: String) async throws {
        try await base.markAccountError(userID: userID, email: email, message: message)
    }

    public func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        try await base.createTrack(
            userID: userID, choice: choice, request: request, cost: cost, assetID: assetID, now: now)
    }

    public func track(userID: String, assetID: Int64) async throws -> Track? {
        try await base.track(userID: userID, assetID: assetID)
    }

    public func tracks(userID: String, email: String?, limit: Int, offset: Int) async throws -> [Track] {
        try await base.tracks(userID: userID, email: email, limit: limit, offset: offset)
    }

    public func activeTracks(userID: String) async throws -> [Track] { try await base.activeTracks(userID: userID) }

    public func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track? {
        try await base.claimNext(workerID: workerID, leaseUntil: leaseUntil, now: now)
    }

    public func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool {
        try await base.heartbeat(
            assetID: assetID, workerID: workerID, leaseUntil: leaseUntil, progress: progress, notify: notify, now: now)
    }

    public func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool {
        try await base.complete(assetID: assetID, workerID: workerID, result: result, now: now)
    }

    public func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool {
        try await base.fail(
            assetID: assetID, workerID: workerID, code: code, reason: reason,
            credentialsRejected: credentialsRejected, now: now)
    }

    public func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        try await base.release(assetID: assetID, workerID: workerID, now: now)
    }

    public func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        try await base.cancel(userID: userID, assetID: assetID, now: now)
    }

    public func countByStatus() async throws -> [AudioStatus: Int] { try await base.countByStatus() }

    public func dueCallbacks(now: Date, limit: Int) async throws -> [CallbackMessage] {
        try await base.dueCallbacks(now: now, limit: limit)
    }

    public func claimCallbacks(owner: String, leaseUntil: Date, now: Date, limit: Int) async throws
        -> [CallbackMessage]
    {
        try await base.claimCallbacks(owner: owner, leaseUntil: leaseUntil, now: now, limit: limit)
    }

    public func markDelivered(id: Int64, owner: String, now: Date) async throws -> Bool {
        try await base.markDelivered(id: id, owner: owner, now: now)
    }

    public func reschedule(id: Int64, owner: String, attempts: Int, nextAttemptAt: Date, error: String) async throws
        -> Bool
    {
        try await base.reschedule(id: id, owner: owner, attempts: attempts, nextAttemptAt: nextAttemptAt, error: error)
    }

    public func abandon(id: Int64, owner: String, error: String, now: Date) async throws -> Bool {
        try await base.abandon(id: id, owner: owner, error: error, now: now)
    }

    public func saveUpload(_ upload: Upload) async throws -> Upload { try await base.saveUpload(upload) }

    public func upload(userID: String, path: String) async throws -> Upload? {
        try await base.upload(userID: userID, path: path)
    }
}
