import Foundation
import TunesmithCore

/// Any store with the two caches that make the API's hot reads cheap in front of it: token -> user (the bearer
/// check of every request) and finished tracks (a finished track never changes). It works the same over every
/// backend and with any number of processes on one database:
///
/// - Token cache (`TokenUserCache`): an entry lives at most its lifetime (5 s). Writes to users or tokens made
///   through this store clear it at once; changes made elsewhere (another process, a token row deleted by hand)
///   are seen within the lifetime, or at once when the process hears of them (`invalidateTokenCache()`: the
///   PostgreSQL notifier calls it on every change to users or tokens). Only hits are cached, so a token created
///   elsewhere works at once.
/// - Finished tracks (`FinishedTrackCache`): a COMPLETED or FAILED track is answered from memory after its first
///   read. Every update of a track requires it to be QUEUED or GENERATING and nothing deletes tracks, so a
///   finished row is that row forever, in every process. (A future track delete must remove the entry.)
public final class CachedStore: Sendable {
    public let base: any TunesmithStore
    let tokenUsers: TokenUserCache
    let finishedTracks: FinishedTrackCache

    public init(
        _ base: any TunesmithStore, tokenCache: TokenUserCache = TokenUserCache(),
        finishedTracks: FinishedTrackCache = FinishedTrackCache()
    ) {
        self.base = base
        tokenUsers = tokenCache
        self.finishedTracks = finishedTracks
    }

    /// Forgets the cached token -> user answers (a user or token changed, here or in another process).
    public func invalidateTokenCache() {
        tokenUsers.invalidateAll()
    }

    /// Token answers held right now.
    public var cachedTokenCount: Int { tokenUsers.count }
}

extension CachedStore: UserStore {
    public func createUser(name: String, now: Date) async throws -> User {
        defer { invalidateTokenCache() }
        return try await base.createUser(name: name, now: now)
    }

    public func addToken(userID: String, tokenHash: String, now: Date) async throws {
        // Adding a token cannot make a cached answer wrong (only hits are cached), but every write to users or
        // tokens clears the cache, so whatever is added later (revoking, renaming) is safe by default.
        defer { invalidateTokenCache() }
        try await base.addToken(userID: userID, tokenHash: tokenHash, now: now)
    }

    public func user(tokenHash: String) async throws -> User? {
        let (cached, ticket) = tokenUsers.lookup(tokenHash)
        if let cached { return cached }
        let user = try await base.user(tokenHash: tokenHash)
        if let user { tokenUsers.store(user, for: tokenHash, ticket: ticket) }
        return user
    }

    public func user(id: String) async throws -> User? { try await base.user(id: id) }
    public func users() async throws -> [User] { try await base.users() }
}

extension CachedStore: AccountStore {
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
}

extension CachedStore: TrackStore {
    public func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        try await base.createTrack(
            userID: userID, choice: choice, request: request, cost: cost, assetID: assetID, now: now)
    }

    /// A finished track from memory once it was read; others always from the database.
    public func track(userID: String, assetID: Int64) async throws -> Track? {
        if let finished = finishedTracks.track(assetID: assetID) { return finished.userID == userID ? finished : nil }
        let track = try await base.track(userID: userID, assetID: assetID)
        if let track { finishedTracks.remember(track) }
        return track
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
            assetID: assetID, workerID: workerID, code: code, reason: reason, credentialsRejected: credentialsRejected,
            now: now)
    }

    public func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        try await base.release(assetID: assetID, workerID: workerID, now: now)
    }

    public func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        try await base.cancel(userID: userID, assetID: assetID, now: now)
    }

    public func countByStatus() async throws -> [AudioStatus: Int] { try await base.countByStatus() }
}

extension CachedStore: CallbackStore {
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
}

extension CachedStore: UploadStore {
    public func saveUpload(_ upload: Upload) async throws -> Upload { try await base.saveUpload(upload) }

    public func upload(userID: String, path: String) async throws -> Upload? {
        try await base.upload(userID: userID, path: path)
    }
}
