import Foundation
import PostgresTestSupport
import Storage
import TunesmithCore

/// One way of getting a fresh, empty store. The contract suite runs every test against each of `all`, so
/// every backend is held to the same rules.
struct StoreBackend: Sendable, CustomStringConvertible {
    let description: String
    /// Runs the body with a fresh store, throwing it away afterwards.
    let with: @Sendable (_ body: @Sendable (any TunesmithStore) async throws -> Void) async throws -> Void

    /// SQLite always; PostgreSQL when the test server is configured (or under CI, where its absence fails).
    static let all: [StoreBackend] = [.sqlite] + (TestDatabase.isEnabled ? [.postgres] : [])

    static let sqlite = StoreBackend(description: "SQLite") { body in
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try await body(try SQLiteStore(path: folder.url.appendingPathComponent("tunesmith.sqlite").path))
    }

    static let postgres = StoreBackend(description: "PostgreSQL") { body in
        try await TestDatabase.withStore { store, _ in try await body(store) }
    }
}

/// Runs `body` with a fresh store of `backend`, disposing of it afterwards.
func withStore(_ backend: StoreBackend, _ body: @Sendable (any TunesmithStore) async throws -> Void) async throws {
    try await backend.with(body)
}

/// A unique folder under the system's temporary folder.
struct TemporaryFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-storage-tests-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
