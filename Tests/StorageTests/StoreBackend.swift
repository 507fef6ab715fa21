import Foundation
import Storage
import TunesmithCore

/// One way of getting a fresh, empty store. The contract suite runs every test against each of `all`, so
/// every backend is held to the same rules (the PostgreSQL backend adds its factory here).
struct StoreBackend: Sendable, CustomStringConvertible {
    let description: String
    /// Opens a fresh store, and how to throw it away.
    let open: @Sendable () async throws -> (store: any TunesmithStore, dispose: @Sendable () -> Void)

    static let all: [StoreBackend] = [.sqlite]

    static let sqlite = StoreBackend(description: "SQLite") {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.url.appendingPathComponent("tunesmith.sqlite").path)
        return (store, { folder.remove() })
    }
}

/// Runs `body` with a fresh store of `backend`, disposing of it afterwards.
func withStore(_ backend: StoreBackend, _ body: (any TunesmithStore) async throws -> Void) async throws {
    let (store, dispose) = try await backend.open()
    defer { dispose() }
    try await body(store)
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
