import Foundation
import GRDB
import TunesmithCore

extension SQLiteStore: CallbackStore {
    public func dueCallbacks(now: Date, limit: Int) async throws -> [CallbackMessage] {
        try readStatement { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM callbacks
                    WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= ?
                    ORDER BY id LIMIT ?
                    """,
                arguments: [now, max(limit, 0)]
            ).map(CallbackMessage.init(row:))
        }
    }

    public func markDelivered(id: Int64, now: Date) async throws {
        try await dbPool.write { db in
            try db.execute(
                sql: "UPDATE callbacks SET delivered_at = ? WHERE id = ? AND abandoned_at IS NULL",
                arguments: [now, id])
        }
    }

    public func reschedule(id: Int64, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await dbPool.write { db in
            try db.execute(
                sql: "UPDATE callbacks SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                arguments: [max(attempts, 0), nextAttemptAt, error, id])
        }
    }

    /// `abandoned_at` is only a record for people inspecting the outbox, so it takes the database's clock.
    public func abandon(id: Int64, error: String) async throws {
        try await dbPool.write { db in
            try db.execute(
                sql: """
                    UPDATE callbacks SET abandoned_at = strftime('%Y-%m-%d %H:%M:%f', 'now'), last_error = ?
                    WHERE id = ? AND delivered_at IS NULL
                    """,
                arguments: [error, id])
        }
    }

    /// Writes the message reporting `track`'s new state, in the transaction that changed it, when the track
    /// asked for callbacks. Each message gets its own webhook id, stable across its delivery attempts.
    static func enqueueCallback(_ db: Database, for track: Track, isFinal: Bool, now: Date) throws {
        guard let url = track.request.replyURL else { return }
        try db.execute(
            sql: """
                INSERT INTO callbacks (webhook_id, user_id, asset_id, url, snapshot, is_final, attempts,
                                       next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
                """,
            arguments: [
                "msg_" + Token.randomString(length: 27), track.userID, track.assetID, url,
                try JSONColumn.encode(track), isFinal, now, now,
            ])
    }
}
