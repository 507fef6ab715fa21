import Foundation
import PostgresNIO
import Storage
import TunesmithCore

extension PostgresStore: AccountStore {
    public func upsertAccount(
        userID: String, email: String, maxJobs: Int, credits: Int?, passwordHash: String?, now: Date
    ) async throws -> Account {
        let saved = try await rows(
            """
            WITH a AS (
                INSERT INTO accounts (user_id, email, max_jobs, credits, password_hash, error, consecutive_failures,
                                      created_at, updated_at)
                VALUES (\(userID), \(email), \(maxJobs), \(credits), \(passwordHash), NULL, 0, \(now), \(now))
                ON CONFLICT (user_id, email) DO UPDATE SET
                    max_jobs = excluded.max_jobs, credits = excluded.credits,
                    password_hash = excluded.password_hash, error = NULL, consecutive_failures = 0,
                    updated_at = excluded.updated_at
                RETURNING *)
            SELECT \(unescaped: Columns.account) FROM a
            """)
        guard let row = saved.first else { throw StorageError("account \(email) vanished while being saved") }
        return try Account(postgres: row)
    }

    public func account(userID: String, email: String) async throws -> Account? {
        try await rows(
            "SELECT \(unescaped: Columns.account) FROM accounts a WHERE a.user_id = \(userID) AND a.email = \(email)"
        ).first.map(Account.init(postgres:))
    }

    public func accounts(userID: String) async throws -> [Account] {
        try await rows(Self.accountsQuery(userID: userID)).map(Account.init(postgres:))
    }

    public func deleteAccount(userID: String, email: String) async throws -> Bool {
        try await !rows("DELETE FROM accounts WHERE user_id = \(userID) AND email = \(email) RETURNING email").isEmpty
    }

    public func markAccountError(userID: String, email: String, message: String) async throws {
        _ = try await rows("UPDATE accounts SET error = \(message) WHERE user_id = \(userID) AND email = \(email)")
    }

    static func accountsQuery(userID: String) -> PostgresQuery {
        "SELECT \(unescaped: Columns.account) FROM accounts a WHERE a.user_id = \(userID) ORDER BY a.email"
    }
}
