import Foundation
import Logging
import PostgresStorage
import ServiceLifecycle
import Storage
import TunesmithCore

/// The database and media of a deployment as one process sees them, opened from the configuration: SQLite in the
/// data dir (the default: one machine, or processes sharing the data dir), or PostgreSQL (any number of machines).
///
/// | | SQLite (`--data-dir`) | PostgreSQL (`--database postgres://...`) |
/// |---|---|---|
/// | store | `<data-dir>/tunesmith.sqlite` | the database; schema migrated at start under an advisory lock |
/// | media | `<data-dir>/media`, or `--media-dir` | the database (chunks), or `--media-dir` (a volume every node mounts) |
/// | link-signing key | `<data-dir>/secret.key` | the database's `settings` table |
/// | wake-ups between processes | polling | `LISTEN/NOTIFY` (`PostgresNotifier`), polling as the fallback |
public struct Backend: Sendable {
    public enum Kind: Sendable {
        case sqlite(SQLiteStore, DataDirectory)
        case postgres(PostgresStore, DatabaseURL)
    }

    public let kind: Kind
    /// The store without caches (operator commands); servers put `CachedStore` in front of it.
    public let store: any TunesmithStore
    public let media: any MediaStore

    /// Opens the database named by `database` (a postgres:// URL), else the SQLite database in `dataDirectory`,
    /// and the media store: `mediaDirectory` when given, else the database's own place for media.
    public init(
        database: String?, dataDirectory: String, mediaDirectory: String?,
        logger: Logger = Backend.quietLogger
    ) throws {
        guard !dataDirectory.isEmpty else { throw OperatorError("--data-dir must not be empty") }
        let folder = DataDirectory(root: URL(fileURLWithPath: dataDirectory, isDirectory: true).standardizedFileURL)
        let mediaFolder = mediaDirectory.map { MediaFiles(root: URL(fileURLWithPath: $0, isDirectory: true)) }
        if let database {
            let url = try DatabaseURL(database)
            let postgres = PostgresStore(url: url, logger: logger)
            kind = .postgres(postgres, url)
            store = postgres
            media = mediaFolder ?? PostgresMediaStore(store: postgres)
        } else {
            let sqlite = try SQLiteStore(dataDirectory: folder)
            kind = .sqlite(sqlite, folder)
            store = sqlite
            media = mediaFolder ?? folder.media
        }
        if let mediaFolder { try mediaFolder.prepare() }
    }

    /// Errors only: commands that open the database briefly print their own messages (see
    /// `Server.openBackend` for what the pool would say).
    public static let quietLogger: Logger = {
        var logger = Logger(label: "tunesmith.database")
        logger.logLevel = .error
        return logger
    }()

    /// Where the database is, for logs (a PostgreSQL URL without its password).
    public var location: String {
        switch kind {
        case .sqlite(_, let folder): folder.databaseURL.path
        case .postgres(_, let url): url.description
        }
    }

    /// Services the process must run while it uses the store (PostgreSQL's connection pool), first in its
    /// `ServiceGroup` so they stop last.
    public var services: [any Service] {
        switch kind {
        case .sqlite: []
        case .postgres(let store, _): [store.client]
        }
    }

    /// Runs `body` with the database ready: the pool running (PostgreSQL) and the schema migrated. For commands
    /// that use the store briefly; a server runs `services` in its group instead (after `prepare()`).
    public func withReady<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        switch kind {
        case .sqlite:
            return try await body()
        case .postgres(let store, _):
            return try await store.withRunningClient {
                try await store.migrate()
                return try await body()
            }
        }
    }

    /// Runs `body` while holding a lock no other process preparing the same database holds (PostgreSQL: an
    /// advisory lock; SQLite: nothing, one machine's processes start one at a time in practice). For the first
    /// start's admin user, so two nodes starting together on an empty database make one.
    func exclusively<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        switch kind {
        case .sqlite: try await body()
        case .postgres(let store, _): try await store.exclusively(body)
        }
    }

    /// One line saying where the database is and which schema versions it has (`tunesmith migrate`).
    public func schemaReport() async throws -> String {
        switch kind {
        case .sqlite(let sqlite, _):
            return "SQLite \(location): schema \(try sqlite.appliedMigrations().joined(separator: ", ")) (up to date)"
        case .postgres(let postgres, _):
            let versions = try await postgres.appliedMigrations().map { "v\($0)" }.joined(separator: ", ")
            return "PostgreSQL \(location): schema \(versions) (up to date)"
        }
    }

    /// The key signing media links: in the data dir for SQLite, in the database for PostgreSQL (so every node
    /// signs alike, whatever its data dir holds).
    public func linkSigningKey() async throws -> Data {
        switch kind {
        case .sqlite(_, let folder): try folder.secretKey()
        case .postgres(let store, _): try await store.linkSigningKey()
        }
    }
}
