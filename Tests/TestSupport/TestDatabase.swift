import Foundation
import Logging
import PostgresNIO
import PostgresStorage

/// Throwaway PostgreSQL databases for tests, on the server named by `TUNESMITH_TEST_DATABASE_URL` (scripts/test.sh
/// starts one and sets it). Every test gets a database of its own, so suites run in parallel without seeing each
/// other's rows or notifications.
///
/// Without the variable the PostgreSQL tests are skipped on a developer's machine, but fail under CI (`CI` set):
/// a CI run must never pass by testing one backend only.
public enum TestDatabase {
    public static let variable = "TUNESMITH_TEST_DATABASE_URL"

    /// Whether the PostgreSQL variants of the tests run: the server is configured, or this is CI (where they then
    /// fail, saying what is missing).
    public static var isEnabled: Bool {
        serverURL != nil || ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true
    }

    static var serverURL: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "\(TestDatabase.variable) is not set: the PostgreSQL tests need a server (scripts/test.sh starts one)"
        }
    }

    /// Logs errors only, so test output stays readable.
    public static let logger: Logger = {
        var logger = Logger(label: "tunesmith.test-database")
        logger.logLevel = .error
        return logger
    }()

    /// Creates an empty database, runs `body` with its URL, then drops it (also when `body` throws).
    public static func withDatabase<Result: Sendable>(_ body: (DatabaseURL) async throws -> Result) async throws
        -> Result
    {
        guard let serverURL else { throw NotConfigured() }
        let server = try DatabaseURL(serverURL)
        let name = "tunesmith_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await administer(server, "CREATE DATABASE \(name)")
        var database = server
        database.database = name
        do {
            let result = try await body(database)
            try await administer(server, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await administer(server, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// A fresh database with the current schema, and a store on it whose pool runs for the duration of `body`.
    public static func withStore<Result: Sendable>(_ body: (PostgresStore, DatabaseURL) async throws -> Result)
        async throws -> Result
    {
        try await withDatabase { url in
            let store = PostgresStore(url: url, logger: logger)
            return try await store.withRunningClient {
                try await store.migrate()
                return try await body(store, url)
            }
        }
    }

    private static func administer(_ server: DatabaseURL, _ statement: String) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: server.connectionConfiguration(), id: 0, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
