import Foundation
import PostgresNIO
import Storage
import TunesmithCore

extension PostgresStore: CallbackStore {
    public func dueCallbacks(now: Date, limit: Int) async throws -> [CallbackMessage] {
        try await rows(
            """
            SELECT \(unescaped: Columns.callback) FROM callbacks
            WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= \(now)
            ORDER BY id LIMIT \(max(limit, 0))
            """
        ).map(CallbackMessage.init(postgres:))
    }

    /// One statement; `SKIP LOCKED` lets concurrent dispatchers pass each other's candidates, and a candidate
    /// leased meanwhile is re-checked on its newest version and dropped. A message waits while an earlier one of
    /// its track is pending.
    public func claimCallbacks(owner: String, leaseUntil: Date, now: Date, limit: Int) async throws
        -> [CallbackMessage]
    {
        try await rows(
            """
            UPDATE callbacks SET lease_owner = \(owner), lease_expires_at = \(leaseUntil)
            WHERE id IN (
                SELECT id FROM callbacks message
                WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= \(now)
                  AND (lease_expires_at IS NULL OR lease_expires_at < \(now))
                  AND NOT EXISTS (
                      SELECT 1 FROM callbacks earlier
                      WHERE earlier.asset_id = message.asset_id AND earlier.id < message.id
                        AND earlier.delivered_at IS NULL AND earlier.abandoned_at IS NULL)
                ORDER BY id LIMIT \(max(limit, 0))
                FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Columns.callback)
            """
        ).map(CallbackMessage.init(postgres:)).sorted { $0.id < $1.id }
    }

    public func markDelivered(id: Int64, owner: String, now: Date) async throws -> Bool {
        try await updateLeased(id: id, owner: owner, set: "delivered_at = \(now)")
    }

    public func reschedule(id: Int64, owner: String, attempts: Int, nextAttemptAt: Date, error: String) async throws
        -> Bool
    {
        try await updateLeased(
            id: id, owner: owner,
            set: "attempts = \(max(attempts, 0)), next_attempt_at = \(nextAttemptAt), last_error = \(error)")
    }

    public func abandon(id: Int64, owner: String, error: String, now: Date) async throws -> Bool {
        try await updateLeased(id: id, owner: owner, set: "abandoned_at = \(now), last_error = \(error)")
    }

    /// Applies `set` and ends the lease, only while `owner` holds it (`lease_owner` stays as the record of who
    /// made the last attempt).
    private func updateLeased(id: Int64, owner: String, set assignments: SQLFragment) async throws -> Bool {
        try await !rows(
            """
            UPDATE callbacks SET \(assignments), lease_expires_at = NULL
            WHERE id = \(id) AND lease_owner = \(owner) AND lease_expires_at IS NOT NULL
              AND delivered_at IS NULL AND abandoned_at IS NULL
            RETURNING id
            """
        ).isEmpty
    }
}
