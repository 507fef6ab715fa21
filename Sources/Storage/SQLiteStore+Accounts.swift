import Foundation
import GRDB
import TunesmithCore

extension SQLiteStore: AccountStore {
    /// An account row plus its `executing` count: the account's tracks that are not final yet. Without
    /// statistics SQLite would count through the account's whole history; the partial index holds only
    /// the non-final tracks.
    static let accountSelect = """
        SELECT accounts.*,
            (SELECT COUNT(*) FROM tracks INDEXED BY tracks_executing
             WHERE tracks.user_id = accounts.user_id AND tracks.email = accounts.email AND tracks.status IN (5, 10)
            ) AS executing
        FROM accounts
        """

    public func upsertAccount(
        userID: String, email: String, maxJobs: Int, credits: Int?, passwordHash: String?, now: Date
    ) async throws -> Account {
        try await dbPool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO accounts (user_id, email, max_jobs, credits, password_hash, error,
                                          consecutive_failures, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, NULL, 0, ?, ?)
                    ON CONFLICT (user_id, email) DO UPDATE SET
                        max_jobs = excluded.max_jobs,
                        credits = excluded.credits,
                        password_hash = excluded.password_hash,
                        error = NULL,
                        consecutive_failures = 0,
                        updated_at = excluded.updated_at
                    """,
                arguments: [userID, email, maxJobs, credits, passwordHash, now, now])
            guard let account = try Self.fetchAccount(db, userID: userID, email: email) else {
                throw StorageError("account \(email) vanished while being saved")
            }
            return account
        }
    }

    public func account(userID: String, email: String) async throws -> Account? {
        try readStatement { db in try Self.fetchAccount(db, userID: userID, email: email) }
    }

    public func accounts(userID: String) async throws -> [Account] {
        try readStatement { db in try Self.fetchAccounts(db, userID: userID) }
    }

    public func deleteAccount(userID: String, email: String) async throws -> Bool {
        try await dbPool.write { db in
            try db.execute(sql: "DELETE FROM accounts WHERE user_id = ? AND email = ?", arguments: [userID, email])
            return db.changesCount > 0
        }
    }

    public func markAccountError(userID: String, email: String, message: String) async throws {
        try await dbPool.write { db in
            try db.execute(
                sql: "UPDATE accounts SET error = ? WHERE user_id = ? AND email = ?",
                arguments: [message, userID, email])
        }
    }

    static func fetchAccount(_ db: Database, userID: String, email: String) throws -> Account? {
        try Row.fetchOne(
            db, sql: "\(accountSelect) WHERE accounts.user_id = ? AND accounts.email = ?", arguments: [userID, email]
        ).map(Account.init(row:))
    }

    static func fetchAccounts(_ db: Database, userID: String) throws -> [Account] {
        try Row.fetchAll(
            db, sql: "\(accountSelect) WHERE accounts.user_id = ? ORDER BY accounts.email", arguments: [userID]
        ).map(Account.init(row:))
    }
}
