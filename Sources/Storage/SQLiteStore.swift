import Foundation
import GRDB
import TunesmithCore

/// The SQLite backend of `TunesmithStore`: one value owning the connection pool and the schema.
///
/// The pool runs in WAL mode (readers never block the writer) and every write is an IMMEDIATE transaction,
/// so writes from this process and from other processes opening the same file are serialized by SQLite
/// itself. That is what makes the read-check-write of `createTrack` and the claim atomic.
///
/// It caches nothing: servers put `CachedStore` in front of it.
public final class SQLiteStore: Sendable {
    let dbPool: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String) throws {
        var configuration = Configuration()
        // Other processes (workers, API servers) may hold the write lock briefly; wait rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        dbPool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(dbPool)
    }

    /// Opens the data directory's database (creating the folders if needed).
    public convenience init(dataDirectory: DataDirectory) throws {
        try dataDirectory.prepare()
        try self.init(path: dataDirectory.databaseURL.path)
    }

    /// The names of the schema's migrations applied to the file, oldest first (opening the store applies them).
    public func appliedMigrations() throws -> [String] {
        try dbPool.read { try Self.migrator.appliedMigrations($0) }
    }

    /// Every read of this store: one statement, run at once on the calling thread.
    ///
    /// - No transaction: one statement sees one snapshot, so the BEGIN/COMMIT that `dbPool.read` wraps around
    ///   a read is pure cost. (Several statements that must agree would use the synchronous `dbPool.read`.)
    /// - Synchronous: GRDB's async read hops three times (to the pool's semaphore queue, to the reader's queue,
    ///   back to the caller's executor), which cost more than reading an indexed row itself. Running it inline
    ///   keeps the request on its thread. In WAL mode a reader never waits for the writer, so this only ever
    ///   blocks for the statement's own work.
    /// - All reads are synchronous on purpose: an async read holds its reader until its continuation runs on
    ///   the cooperative pool, so async reads waiting for a thread and synchronous reads waiting for a reader
    ///   could block each other. With none async, every held reader is released by a thread that is running.
    /// Writes stay async: they may wait up to `busyMode`'s timeout for another process's write lock.
    func readStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try dbPool.unsafeRead(body)
    }
}

/// Data that the schema allows but the code cannot read back (a corrupted or hand-edited row).
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    package init(_ description: String) {
        self.description = description
    }
}
