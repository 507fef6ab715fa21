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

    public func claimCallbacks(owner: String, leaseUntil: Date, now: Date, limit: Int) async throws
        -> [CallbackMessage]
    {
        try await dbPool.write { db in
            // One statement in a serialized write: two dispatchers never lease the same message. A message waits
            // while an earlier one of its track is pending, even if that one's retry is scheduled later.
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE callbacks SET lease_owner = ?, lease_expires_at = ?
                    WHERE id IN (
                        SELECT id FROM callbacks AS message
                        WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= ?
                          AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                          AND NOT EXISTS (
                              SELECT 1 FROM callbacks AS earlier INDEXED BY callbacks_pending_by_track
                              WHERE earlier.asset_id = message.asset_id AND earlier.id < message.id
                                AND earlier.delivered_at IS NULL AND earlier.abandoned_at IS NULL)
                        ORDER BY id LIMIT ?)
                    RETURNING *
                    """,
                arguments: [owner, leaseUntil, now, now, max(limit, 0)]
            ).map(CallbackMessage.init(row:)).sorted { $0.id < $1.id }
        }
    }

    public func markDelivered(id: Int64, owner: String, now: Date) async throws -> Bool {
        try await updateLeased(id: id, owner: owner, set: "delivered_at = ?", arguments: [now])
    }

    public func reschedule(id: Int64, owner: String, attempts: Int, nextAttemptAt: Date, error: String) async throws
        -> Bool
    {
        try await updateLeased(
            id: id, owner: owner, set: "attempts = ?, next_attempt_at = ?, last_error = ?",
            arguments: [max(attempts, 0), nextAttemptAt, error])
    }

    public func abandon(id: Int64, owner: String, error: String, now: Date) async throws -> Bool {
        try await updateLeased(id: id, owner: owner, set: "abandoned_at = ?, last_error = ?", arguments: [now, error])
    }

    /// Applies `set` and ends the lease, only while `owner` holds it. `lease_owner` stays as the record of who
    /// made the last attempt.
    private func updateLeased(id: Int64, owner: String, set assignments: String, arguments: StatementArguments)
        async throws -> Bool
    {
        try await dbPool.write { db in
            try db.execute(
                sql: """
                    UPDATE callbacks SET \(assignments), lease_expires_at = NULL
                    WHERE id = ? AND lease_owner = ? AND lease_expires_at IS NOT NULL
                      AND delivered_at IS NULL AND abandoned_at IS NULL
                    """,
                arguments: arguments + [id, owner])
            return db.changesCount > 0
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
                CallbackMessage.newWebhookID(), track.userID, track.assetID, url, try JSONColumn.encode(track),
                isFinal, now, now,
            ])
    }
}
