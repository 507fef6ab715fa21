import Foundation
import Storage
import TunesmithCore

/// A database the service can keep its state in, as the tests use it: each call makes a fresh, empty store of
/// every store protocol.
///
/// The shared store contract suite runs every test against each backend in `StoreBackends.all`, and so do the
/// jobs and API fixtures. Adding a backend (PostgreSQL) is one new conforming type and one entry in that list.
public protocol StoreBackend: Sendable, CustomStringConvertible {
    func makeStore() async throws -> TestStore
}

/// A store made for one test, and how to throw it away afterwards.
public struct TestStore: Sendable {
    public let store: any TunesmithStore
    public let dispose: @Sendable () async -> Void

    public init(store: any TunesmithStore, dispose: @escaping @Sendable () async -> Void) {
        self.store = store
        self.dispose = dispose
    }
}

public enum StoreBackends {
    /// Every backend the tests hold to the same rules.
    public static let all: [any StoreBackend] = [SQLiteStoreBackend()]
}

/// A SQLite file in its own temporary folder.
public struct SQLiteStoreBackend: StoreBackend {
    public init() {}

    public var description: String { "SQLite" }

    public func makeStore() async throws -> TestStore {
        let folder = try TemporaryFolder("tunesmith-sqlite")
        let store = try SQLiteStore(path: folder.url.appendingPathComponent("tunesmith.sqlite").path)
        return TestStore(store: store) { folder.remove() }
    }
}

/// A failure inside `withEachStore`, named by the backend it happened on.
public struct StoreBackendFailure: Error, CustomStringConvertible {
    public var backend: String
    public var error: any Error
    public var description: String { "on the \(backend) store: \(error)" }
}

/// Runs `body` with a fresh store of `backend`, disposing of the store afterwards.
public func withStore<Result>(
    _ backend: any StoreBackend, _ body: (any TunesmithStore) async throws -> Result
) async throws -> Result {
    let made = try await backend.makeStore()
    do {
        let result = try await body(made.store)
        await made.dispose()
        return result
    } catch {
        await made.dispose()
        throw error
    }
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
