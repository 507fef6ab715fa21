import Foundation
import GRDB
import TunesmithCore

extension SQLiteStore: UserStore {
    public func createUser(name: String, now: Date) async throws -> User {
        try await dbPool.write { db in
            // Ids are short, so a collision is possible in principle: draw again until the id is free.
            var id = UserIdentity.makeID()
            while try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [id]) == true {
                id = UserIdentity.makeID()
            }
            let user = User(id: id, name: name, webhookSecret: UserIdentity.makeWebhookSecret(), createdAt: now)
            try db.execute(
                sql: "INSERT INTO users (id, name, webhook_secret, created_at) VALUES (?, ?, ?, ?)",
                arguments: [user.id, user.name, user.webhookSecret, user.createdAt])
            return try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(User.init(row:))
                ?? user
        }
    }

    public func addToken(userID: String, tokenHash: String, now: Date) async throws {
        try await dbPool.write { db in
            try db.execute(
                sql: "INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                arguments: [tokenHash, userID, now])
        }
    }

    public func user(tokenHash: String) async throws -> User? {
        try readStatement { db in
            try db.fetchOne(
                "SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id WHERE tokens.token_hash = ?",
                [tokenHash], User.init(row:))
        }
    }

    public func user(id: String) async throws -> User? {
        try readStatement { db in
            try db.fetchOne("SELECT * FROM users WHERE id = ?", [id], User.init(row:))
        }
    }

    public func users() async throws -> [User] {
        try readStatement { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY created_at, id").map(User.init(row:))
        }
    }
}
