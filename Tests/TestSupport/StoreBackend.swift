import Foundation
import PostgresStorage
import Storage
import TunesmithCore

/// A database the service can keep its state in, as the tests use it: each use gets a fresh, empty store of
/// every store protocol, thrown away afterwards.
///
/// The shared store contract suite runs every test against each backend in `StoreBackends.all`, and so do the
/// jobs and API fixtures.
public protocol StoreBackend: Sendable, CustomStringConvertible {
    /// Runs `body` with a fresh store, disposing of it afterwards (also when `body` throws). Scoped rather than
    /// returned, because a PostgreSQL store's connection pool runs only while its caller waits.
    func withFreshStore<Result: Sendable>(_ body: (any TunesmithStore) async throws -> Result) async throws -> Result
}

public enum StoreBackends {
    /// Every backend the tests hold to the same rules: SQLite always; PostgreSQL when the test server is
    /// configured (scripts/test.sh starts one), and always under CI, where a missing server fails the run.
    public static let all: [any StoreBackend] =
        [SQLiteStoreBackend()] + (TestDatabase.isEnabled ? [PostgresStoreBackend()] : [])
}

/// A SQLite file in its own temporary folder.
public struct SQLiteStoreBackend: StoreBackend {
    public init() {}

    public var description: String { "SQLite" }

    public func withFreshStore<Result: Sendable>(_ body: (any TunesmithStore) async throws -> Result) async throws
        -> Result
    {
        let folder = try TemporaryFolder("tunesmith-sqlite")
        defer { folder.remove() }
        return try await body(try SQLiteStore(path: folder.url.appendingPathComponent("tunesmith.sqlite").path))
    }
}

/// A database of its own on the test PostgreSQL server, migrated, dropped afterwards.
public struct PostgresStoreBackend: StoreBackend {
    public init() {}

    public var description: String { "PostgreSQL" }

    public func withFreshStore<Result: Sendable>(_ body: (any TunesmithStore) async throws -> Result) async throws
        -> Result
    {
        try await TestDatabase.withStore { store, _ in try await body(store) }
    }
}

/// A failure inside `withEachStore`, named by the backend it happened on.
public struct StoreBackendFailure: Error, CustomStringConvertible {
    public var backend: String
    public var error: any Error
    public var description: String { "on the \(backend) store: \(error)" }
}

/// Runs `body` with a fresh store of `backend`, disposing of the store afterwards.
public func withStore<Result: Sendable>(
    _ backend: any StoreBackend, _ body: (any TunesmithStore) async throws -> Result
) async throws -> Result {
    try await backend.withFreshStore(body)
}

/// Runs `body` once for every backend in `StoreBackends.all`, each time with a fresh store.
public func withEachStore(_ body: (any TunesmithStore) async throws -> Void) async throws {
    for backend in StoreBackends.all {
        do {
            try await withStore(backend, body)
        } catch {
            throw StoreBackendFailure(backend: backend.description, error: error)
        }
    }
}
