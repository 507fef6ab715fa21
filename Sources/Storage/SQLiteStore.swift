import Foundation
import GRDB
import TunesmithCore

/// The SQLite backend of `TunesmithStore`: one value owning the connection pool and the schema.
///
/// The pool runs in WAL mode (readers never block the writer) and every write is an IMMEDIATE transaction,
/// so writes from this process and from other processes opening the same file are serialized by SQLite
/// itself. That is what makes the read-check-write of `createTrack` and the claim atomic.
public final class SQLiteStore: Sendable {
    let dbPool: DatabasePool
    /// Token hash -> user for the bearer check of every request (see `TokenUserCache` for its rules).
    let tokenUsers: TokenUserCache

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String, tokenCache: TokenUserCache = TokenUserCache()) throws {
        tokenUsers = tokenCache
        var configuration = Configuration()
        // Other processes (workers, API servers) may hold the write lock briefly; wait rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        dbPool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(dbPool)
    }

    /// Opens the data directory's database (creating the folders if needed).
    public convenience init(dataDirectory: DataDirectory, tokenCache: TokenUserCache = TokenUserCache()) throws {
        try dataDirectory.prepare()
        try self.init(path: dataDirectory.databaseURL.path, tokenCache: tokenCache)
    }

    /// Forgets the cached token -> user answers (call after anything that revokes a token or changes a user).
    public func invalidateTokenCache() {
        tokenUsers.invalidateAll()
    }

    /// A read of one statement. It needs no transaction (one statement sees one snapshot), so it skips the
    /// BEGIN/COMMIT that `dbPool.read` wraps around every read; multi-statement reads use `dbPool.read`.
    func readStatement<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await dbPool.unsafeRead(body)
    }
}

/// Data that the schema allows but the code cannot read back (a corrupted or hand-edited row).
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
