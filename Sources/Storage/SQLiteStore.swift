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
}

/// Data that the schema allows but the code cannot read back (a corrupted or hand-edited row).
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
