import Foundation
import PostgresNIO
import PostgresStorage
import TestSupport
import Storage
import Testing
import TunesmithCore

/// What only the PostgreSQL backend has: versioned migrations under an advisory lock, the shared link-signing
/// key, the URL syntax. (Its store rules are the contract suite's, run against every backend.)
@Suite("PostgreSQL store", .enabled(if: TestDatabase.isEnabled))
struct PostgresStoreTests {
    @Test func migrationsRunOnceEvenWhenNodesStartTogether() async throws {
        try await TestDatabase.withDatabase { url in
            // Five processes' worth of stores migrating an empty database at the same moment.
            let stores = (0..<5).map { _ in PostgresStore(url: url, logger: TestDatabase.logger) }
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for store in stores {
                    group.addTask { try await store.withRunningClient { try await store.migrate() } }
                }
                var applied: [[Int]] = []
                for try await versions in group { applied.append(versions) }
                return applied
            }
            // Exactly one of them applied the schema; the others found it done.
            #expect(applied.filter { !$0.isEmpty }.count == 1)
            let again = PostgresStore(url: url, logger: TestDatabase.logger)
            let (secondRun, versions) = try await again.withRunningClient {
                (try await again.migrate(), try await again.appliedMigrations())
            }
            #expect(secondRun.isEmpty)
            #expect(versions == [1])
        }
    }

    @Test func aDatabaseMigratedByANewerTunesmithIsRefused() async throws {
        try await TestDatabase.withStore { store, _ in
            _ = try await store.client.query("INSERT INTO tunesmith_migrations (version, name) VALUES (99, 'future')")
            let error = await #expect(throws: SchemaTooNew.self) { try await store.migrate() }
            #expect(error?.found == 99 && error?.known == 1)
        }
    }

    @Test func everyNodeGetsTheSameLinkSigningKey() async throws {
        try await TestDatabase.withStore { first, url in
            let second = PostgresStore(url: url, logger: TestDatabase.logger)
            let keys = try await second.withRunningClient {
                try await withThrowingTaskGroup(of: Data.self) { group in
                    for store in [first, second, first, second] { group.addTask { try await store.linkSigningKey() } }
                    var keys: [Data] = []
                    for try await key in group { keys.append(key) }
                    return keys
                }
            }
            #expect(keys.count == 4 && Set(keys).count == 1)
            #expect(keys[0].count == 32)
        }
    }

    @Test(arguments: [
        ("postgres://alice:s%40cret@db.example:6543/music?sslmode=require", "db.example", 6543, "alice", "s@cret", "music"),
        ("postgresql://bob@localhost/bob", "localhost", 5432, "bob", nil, "bob"),
        ("postgres://carol@127.0.0.1", "127.0.0.1", 5432, "carol", nil, "carol"),
    ] as [(String, String, Int, String, String?, String)])
    func databaseURLsAreReadLikeLibpqDoes(
        text: String, host: String, port: Int, user: String, password: String?, database: String
    ) throws {
        let url = try DatabaseURL(text)
        #expect(url.host == host && url.port == port && url.username == user)
        #expect(url.password == password && url.database == database)
        // Logs never show the password.
        #expect(!url.description.contains("cret"))
    }

    @Test(arguments: ["mysql://x@y/z", "postgres://host-without-user/db", "postgres://u@h/db?sslmode=sometimes"])
    func badDatabaseURLsAreRefused(text: String) {
        #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL(text) }
    }
}
