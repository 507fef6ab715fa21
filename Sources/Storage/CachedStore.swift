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

/// Only the cached reads and the writes that invalidate them; everything else goes to `base` (`ForwardingStore`).
extension CachedStore: ForwardingStore {
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

    /// A finished track from memory once it was read; others always from the database.
    public func track(userID: String, assetID: Int64) async throws -> Track? {
        if let finished = finishedTracks.track(assetID: assetID) { return finished.userID == userID ? finished : nil }
        let track = try await base.track(userID: userID, assetID: assetID)
        if let track { finishedTracks.remember(track) }
        return track
    }
}
