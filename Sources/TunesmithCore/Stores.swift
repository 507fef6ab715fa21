import Foundation

/// Users and their API tokens. Tokens are stored only as SHA-256 hashes (see `Token`).
public protocol UserStore: Sendable {
    /// Creates a user with a fresh id and webhook secret.
    func createUser(name: String, now: Date) async throws -> User
    func addToken(userID: String, tokenHash: String, now: Date) async throws
    /// The user owning a token hash, or nil.
    func user(tokenHash: String) async throws -> User?
    func user(id: String) async throws -> User?
    func users() async throws -> [User]
}

/// Accounts: slot pools with a concurrency limit and a credit balance, per user.
public protocol AccountStore: Sendable {
    /// Creates or replaces the account (keeping its created_at), clearing any pending error and the failure
    /// count. `credits` nil = unlimited. `passwordHash` is stored as given (never the clear password).
    func upsertAccount(
        userID: String, email: String, maxJobs: Int, credits: Int?, passwordHash: String?, now: Date
    ) async throws -> Account
    /// With `executing` counted from the tracks table.
    func account(userID: String, email: String) async throws -> Account?
    /// All of a user's accounts, ordered by email.
    func accounts(userID: String) async throws -> [Account]
    /// True if it existed.
    func deleteAccount(userID: String, email: String) async throws -> Bool
    /// Puts the account into the pending-error state (e.g. its provider rejected the credentials).
    func markAccountError(userID: String, email: String, message: String) async throws
}

/// Which account a create should use.
public enum AccountChoice: Sendable, Hashable {
    /// The account named by `email` (404 if this user has none).
    case named(String)
    /// A random account of this user that is not in error, has a free slot and enough credits.
    case any
}

/// Why a create was refused; each maps to one API error.
public enum CreateRejection: Error, Sendable, Hashable {
    /// 404: the named account does not exist for this user (or the user has no accounts at all).
    case accountNotFound(email: String?)
    /// 596
    case accountInError(email: String)
    /// 429 for a named account.
    case accountBusy(email: String, maxJobs: Int)
    /// 429 when no account has a free slot.
    case allAccountsBusy
    /// 412
    case insufficientCredits
}

/// Tracks and the job queue behind them. Every state change that has a `replyURL` also writes a callback
/// message to the outbox in the same transaction.
public protocol TrackStore: Sendable {
    /// In one transaction: choose the account, check pending error / slots / credits, debit the credits and
    /// insert the QUEUED track. Slots count non-final tracks; `request.maxJobs` overrides the account limit.
    /// `assetID` is chosen by the caller (random, positive); throws `CreateRejection`.
    func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track
    func track(userID: String, assetID: Int64) async throws -> Track?
    /// Newest first; `email` filters by account. Returns up to `limit` tracks starting at `offset`.
    func tracks(userID: String, email: String?, limit: Int, offset: Int) async throws -> [Track]
    /// The user's non-final tracks (QUEUED or GENERATING), oldest first.
    func activeTracks(userID: String) async throws -> [Track]

    /// In one statement: take the oldest QUEUED track, or a GENERATING one whose lease expired (its worker
    /// died), mark it GENERATING owned by `workerID` until `leaseUntil`, count the attempt. Nil when none.
    func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track?
    /// Extends the lease and records progress; `notify` also writes a progress callback. Returns false when
    /// the worker no longer owns a GENERATING track (cancelled or rescued elsewhere): it must stop.
    func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool
    /// COMPLETED with the result, only if `workerID` still owns it; resets the account's failure count.
    func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool
    /// FAILED, only if `workerID` still owns it; refunds the credits, counts a failure on the account (5 in a
    /// row put it into pending error; `credentialsRejected` does so at once).
    func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool
    /// Hands a GENERATING track back to the queue (graceful shutdown), only if `workerID` owns it.
    func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool
    /// QUEUED or GENERATING -> FAILED with `fail_code: cancelled`, credits refunded. Returns the updated track,
    /// or nil when it is not this user's or not running.
    func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track?
    /// Number of tracks per status (for metrics).
    func countByStatus() async throws -> [AudioStatus: Int]
}

/// The callback outbox. Any number of dispatchers (processes) may share it: each message is claimed with a
/// lease before it is sent, the way tracks are, so two dispatchers never send the same attempt.
public protocol CallbackStore: Sendable {
    /// Pending (not delivered, not abandoned) messages whose next attempt is due by `now`, oldest first, whether
    /// or not they are claimable (for inspection; dispatchers claim with `claimCallbacks`).
    func dueCallbacks(now: Date, limit: Int) async throws -> [CallbackMessage]
    /// In one statement: leases to `owner` until `leaseUntil` up to `limit` messages that are due by `now`, not
    /// leased by anyone (or whose lease expired: their dispatcher died), and next in line for their track (every
    /// earlier message of the track delivered or abandoned, so a receiver never sees a state before the one it
    /// follows). At most one message per track; oldest first.
    func claimCallbacks(owner: String, leaseUntil: Date, now: Date, limit: Int) async throws -> [CallbackMessage]
    /// Records a delivery, only while `owner` holds the message's lease. False when it does not (its lease
    /// expired and another dispatcher took the message over).
    func markDelivered(id: Int64, owner: String, now: Date) async throws -> Bool
    /// Records a failed attempt and when to try again, releasing the lease; only while `owner` holds it.
    func reschedule(id: Int64, owner: String, attempts: Int, nextAttemptAt: Date, error: String) async throws -> Bool
    /// Stops retrying (expired or not worth retrying), keeping the message for inspection; only while `owner`
    /// holds its lease.
    func abandon(id: Int64, owner: String, error: String, now: Date) async throws -> Bool
}

/// Uploaded reference images, deduplicated per user by content hash.
public protocol UploadStore: Sendable {
    /// Returns the existing upload when this user already uploaded the same bytes, else inserts `upload`
    /// (its `id` is assigned).
    func saveUpload(_ upload: Upload) async throws -> Upload
    func upload(userID: String, path: String) async throws -> Upload?
}

/// Everything the service stores; one value per backend (SQLite, PostgreSQL).
public typealias TunesmithStore = UserStore & AccountStore & TrackStore & CallbackStore & UploadStore

/// The database cannot be reached right now (restarting, network down, out of connections). Nothing was
/// decided: retrying later works. The API answers 503 instead of leaking the driver's error.
public struct StoreUnavailable: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "the database is unavailable: \(reason)" }
}
