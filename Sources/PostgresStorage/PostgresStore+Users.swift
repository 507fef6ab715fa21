import Foundation
import PostgresNIO
import Storage
import TunesmithCore

extension PostgresStore: UserStore {
    public func createUser(name: String, now: Date) async throws -> User {
        // Ids are short, so a collision is possible in principle: draw again until one is free.
        while true {
            let id = UserIdentity.makeID()
            let inserted = try await rows(
                """
                INSERT INTO users (id, name, webhook_secret, created_at)
                VALUES (\(id), \(name), \(UserIdentity.makeWebhookSecret()), \(now))
                ON CONFLICT (id) DO NOTHING
                RETURNING \(unescaped: Columns.user)
                """)
            if let row = inserted.first { return try User(postgres: row) }
        }
    }

    public func addToken(userID: String, tokenHash: String, now: Date) async throws {
        _ = try await rows(
            "INSERT INTO tokens (token_hash, user_id, created_at) VALUES (\(tokenHash), \(userID), \(now))")
    }

    public func user(tokenHash: String) async throws -> User? {
        try await rows(
            """
            SELECT users.id, users.name, users.webhook_secret, users.created_at
            FROM tokens JOIN users ON users.id = tokens.user_id WHERE tokens.token_hash = \(tokenHash)
            """
        ).first.map(User.init(postgres:))
    }

    public func user(id: String) async throws -> User? {
        try await rows("SELECT \(unescaped: Columns.user) FROM users WHERE id = \(id)").first.map(User.init(postgres:))
    }

    public func users() async throws -> [User] {
        try await rows("SELECT \(unescaped: Columns.user) FROM users ORDER BY created_at, id").map(User.init(postgres:))
    }
}
