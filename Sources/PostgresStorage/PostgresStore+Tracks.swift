import Foundation
import PostgresNIO
import Storage
import TunesmithCore

extension PostgresStore: TrackStore {
    /// Row locks, not a serializable transaction: the creates of one user queue on that user's account rows (in
    /// email order, so they cannot deadlock), count the running tracks only once they hold the lock (a new
    /// statement sees every track committed before it), and never fail with a serialization error that would
    /// have to be retried. Creates of different users never wait for each other.
    public func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        let requestJSON = try JSONColumn.encode(request)
        return try await transaction { connection in
            switch choice {
            case .named(let email):
                _ = try await connection.run(
                    "SELECT 1 FROM accounts WHERE user_id = \(userID) AND email = \(email) FOR UPDATE",
                    logger: logger
                )
            case .any:
                _ = try await connection.run(
                    "SELECT 1 FROM accounts WHERE user_id = \(userID) ORDER BY email FOR UPDATE", logger: logger
                )
            }
            let accounts = try await connection.run(Self.accountsQuery(userID: userID), logger: logger)
                .map(Account.init(postgres:))
            var generator = SystemRandomNumberGenerator()
            let account = try choice.resolve(
                among: accounts, maxJobsOverride: request.maxJobs, cost: cost, using: &generator)
            let inserted = try await connection.run(
                """
                WITH debit AS (
                    UPDATE accounts SET credits = credits - \(cost)
                    WHERE user_id = \(userID) AND email = \(account.email) AND credits IS NOT NULL)
                INSERT INTO tracks (asset_id, user_id, email, request, credits, status, progress, created_at,
                                    updated_at, attempts)
                VALUES (\(assetID), \(userID), \(account.email), \(requestJSON)::jsonb, \(cost), 5, 0, \(now), \(now), 0)
                RETURNING \(unescaped: Columns.track)
                """, logger: logger
            )
            guard let row = inserted.first else { throw StorageError("the insert returned no track") }
            return try Track(postgres: row)
        }
    }

    public func track(userID: String, assetID: Int64) async throws -> Track? {
        try await rows(
            "SELECT \(unescaped: Columns.track) FROM tracks WHERE asset_id = \(assetID) AND user_id = \(userID)"
        ).first.map(Track.init(postgres:))
    }

    public func tracks(userID: String, email: String?, limit: Int, offset: Int) async throws -> [Track] {
        let (limit, offset) = (max(limit, 0), max(offset, 0))
        let query: PostgresQuery =
            if let email {
                """
                SELECT \(unescaped: Columns.track) FROM tracks WHERE user_id = \(userID) AND email = \(email)
                ORDER BY created_at DESC, asset_id DESC LIMIT \(limit) OFFSET \(offset)
                """
            } else {
                """
                SELECT \(unescaped: Columns.track) FROM tracks WHERE user_id = \(userID)
                ORDER BY created_at DESC, asset_id DESC LIMIT \(limit) OFFSET \(offset)
                """
            }
        return try await rows(query).map(Track.init(postgres:))
    }

    public func activeTracks(userID: String) async throws -> [Track] {
        try await rows(
            """
            SELECT \(unescaped: Columns.track) FROM tracks
            WHERE user_id = \(userID) AND status IN (5, 10) ORDER BY created_at, asset_id
            """
        ).map(Track.init(postgres:))
    }

    /// One statement: the oldest claimable row, locked with `SKIP LOCKED` (a concurrent claimer takes the next
    /// one instead of waiting), becomes GENERATING with this worker's lease, and the outbox row is written.
    public func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track? {
        try await rows(
            """
            WITH next AS (
                SELECT asset_id FROM tracks
                WHERE status IN (5, 10) AND (status = 5 OR lease_expires_at < \(now))
                ORDER BY created_at, asset_id LIMIT 1
                FOR UPDATE SKIP LOCKED),
            changed AS (
                UPDATE tracks t SET
                    status = 10, progress = 0, lease_owner = \(workerID), lease_expires_at = \(leaseUntil),
                    started_at = COALESCE(t.started_at, \(now)), attempts = t.attempts + 1, updated_at = \(now)
                FROM next WHERE t.asset_id = next.asset_id
                RETURNING t.*, tunesmith_track_snapshot(t) AS snapshot),
            \(Self.outbox(isFinal: false, now: now))
            SELECT \(unescaped: Columns.track) FROM changed
            """
        ).first.map(Track.init(postgres:))
    }

    public func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool {
        try await changedOwned(
            assetID: assetID, workerID: workerID,
            set: "lease_expires_at = \(leaseUntil), progress = \(min(max(progress, 0), 100)), updated_at = \(now)",
            with: notify ? Self.outbox(isFinal: false, now: now) : nil)
    }

    public func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool {
        let resultJSON = try JSONColumn.encode(result)
        return try await changedOwned(
            assetID: assetID, workerID: workerID,
            set: """
                status = 1, progress = 100, result = \(resultJSON)::jsonb, lease_expires_at = NULL,
                updated_at = \(now)
                """,
            with: """
                account AS (
                    UPDATE accounts a SET consecutive_failures = 0
                    FROM changed WHERE a.user_id = changed.user_id AND a.email = changed.email),
                \(Self.outbox(isFinal: true, now: now))
                """)
    }

    public func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool {
        let error = AccountFailures.errorMessage(reason: reason, credentialsRejected: credentialsRejected)
        return try await changedOwned(
            assetID: assetID, workerID: workerID,
            set: """
                status = 8, fail_code = \(code), fail_reason = \(reason), lease_expires_at = NULL, updated_at = \(now)
                """,
            with: """
                account AS (
                    UPDATE accounts a SET
                        credits = a.credits + changed.credits,
                        consecutive_failures = a.consecutive_failures + 1,
                        error = CASE WHEN \(credentialsRejected) OR a.consecutive_failures + 1 >= \(AccountFailures.beforeError)
                                     THEN COALESCE(a.error, \(error)) ELSE a.error END
                    FROM changed WHERE a.user_id = changed.user_id AND a.email = changed.email),
                \(Self.outbox(isFinal: true, now: now))
                """)
    }

    public func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        // A hand-back is not a failed attempt: give the claim's attempt back (see SQLiteStore.release).
        try await changedOwned(
            assetID: assetID, workerID: workerID,
            set: """
                status = 5, progress = 0, lease_owner = NULL, lease_expires_at = NULL,
                attempts = GREATEST(t.attempts - 1, 0), updated_at = \(now)
                """,
            with: Self.outbox(isFinal: false, now: now))
    }

    public func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        try await rows(
            """
            WITH changed AS (
                UPDATE tracks t SET
                    status = 8, fail_code = 'cancelled', fail_reason = 'Cancelled by the user',
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now)
                WHERE asset_id = \(assetID) AND user_id = \(userID) AND status IN (5, 10)
                RETURNING t.*, tunesmith_track_snapshot(t) AS snapshot),
            refund AS (
                UPDATE accounts a SET credits = a.credits + changed.credits
                FROM changed WHERE a.user_id = changed.user_id AND a.email = changed.email),
            \(Self.outbox(isFinal: true, now: now))
            SELECT \(unescaped: Columns.track) FROM changed
            """
        ).first.map(Track.init(postgres:))
    }

    public func countByStatus() async throws -> [AudioStatus: Int] {
        var counts = Dictionary(uniqueKeysWithValues: AudioStatus.allCases.map { ($0, 0) })
        for row in try await rows("SELECT status, count(*) FROM tracks GROUP BY status") {
            let (code, count) = try row.decode((Int, Int).self)
            guard let status = AudioStatus(rawValue: code) else { throw StorageError("unknown track status \(code)") }
            counts[status] = count
        }
        return counts
    }

    // MARK: Helpers

    /// One statement: `set` applied only while `workerID` holds the track's lease, plus the CTEs `with` (which
    /// read the changed row as `changed`); true if the track was changed.
    private func changedOwned(
        assetID: Int64, workerID: String, set assignments: SQLFragment, with more: SQLFragment?
    ) async throws -> Bool {
        let count = try await rows(
            """
            WITH changed AS (
                UPDATE tracks t SET \(assignments)
                WHERE asset_id = \(assetID) AND status = 10 AND lease_owner = \(workerID)
                RETURNING t.*, tunesmith_track_snapshot(t) AS snapshot)
            \(more.map { ", \($0)" as SQLFragment } ?? "")
            SELECT count(*) FROM changed
            """
        ).first?.decode(Int.self)
        return count == 1
    }

    /// The CTE writing the outbox message for the changed track (`changed`, with its `snapshot`) when it asked
    /// for callbacks.
    static func outbox(isFinal: Bool, now: Date) -> SQLFragment {
        """
        outbox AS (
            INSERT INTO callbacks (webhook_id, user_id, asset_id, url, snapshot, is_final, attempts, next_attempt_at,
                                   created_at)
            SELECT \(CallbackMessage.newWebhookID()), user_id, asset_id, request->>'replyURL', snapshot, \(isFinal), 0,
                   \(now), \(now)
            FROM changed WHERE request->>'replyURL' IS NOT NULL)
        """
    }
}
