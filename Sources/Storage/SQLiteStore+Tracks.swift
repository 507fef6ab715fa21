import Foundation
import GRDB
import TunesmithCore

extension SQLiteStore: TrackStore {
    public func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        let requestJSON = try JSONColumn.encode(request)
        return try await dbPool.write { db in
            // The write transaction is IMMEDIATE: nobody else can take a slot or spend credits between this
            // read and the insert below.
            var generator = SystemRandomNumberGenerator()
            let account = try choice.resolve(
                among: try Self.fetchAccounts(db, userID: userID), maxJobsOverride: request.maxJobs, cost: cost,
                using: &generator)
            if account.credits != nil {
                try db.execute(
                    sql: "UPDATE accounts SET credits = credits - ? WHERE user_id = ? AND email = ?",
                    arguments: [cost, userID, account.email])
            }
            return try Self.fetchTrack(
                db,
                sql: """
                    INSERT INTO tracks (asset_id, user_id, email, request, credits, status, progress,
                                        created_at, updated_at, attempts)
                    VALUES (?, ?, ?, ?, ?, 5, 0, ?, ?, 0)
                    RETURNING *
                    """,
                arguments: [assetID, userID, account.email, requestJSON, cost, now, now])
        }
    }

    public func track(userID: String, assetID: Int64) async throws -> Track? {
        try readStatement { db in
            try db.fetchOne(
                "SELECT * FROM tracks WHERE asset_id = ? AND user_id = ?", [assetID, userID], Track.init(row:))
        }
    }

    public func tracks(userID: String, email: String?, limit: Int, offset: Int) async throws -> [Track] {
        let arguments: StatementArguments =
            email.map { [userID, $0, max(limit, 0), max(offset, 0)] } ?? [userID, max(limit, 0), max(offset, 0)]
        return try readStatement { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM tracks WHERE user_id = ? \(email == nil ? "" : "AND email = ?")
                    ORDER BY created_at DESC, asset_id DESC LIMIT ? OFFSET ?
                    """,
                arguments: arguments
            ).map(Track.init(row:))
        }
    }

    public func activeTracks(userID: String) async throws -> [Track] {
        try readStatement { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM tracks INDEXED BY tracks_executing
                    WHERE user_id = ? AND status IN (5, 10) ORDER BY created_at, asset_id
                    """,
                arguments: [userID]
            ).map(Track.init(row:))
        }
    }

    public func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track? {
        try await dbPool.write { db in
            // One statement picks and takes the track; writes are serialized, so two claimers (threads or
            // processes) can never both take it. A GENERATING track with an expired lease lost its worker.
            // The plain `status IN (5, 10)` term lets SQLite use the partial index `tracks_claimable`.
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE tracks SET
                            status = 10, progress = 0, lease_owner = ?, lease_expires_at = ?,
                            started_at = COALESCE(started_at, ?), attempts = attempts + 1, updated_at = ?
                        WHERE asset_id = (
                            SELECT asset_id FROM tracks
                            WHERE status IN (5, 10) AND (status = 5 OR lease_expires_at < ?)
                            ORDER BY created_at, asset_id
                            LIMIT 1)
                        RETURNING *
                        """,
                    arguments: [workerID, leaseUntil, now, now, now])
            else { return nil }
            let track = try Track(row: row)
            try Self.enqueueCallback(db, for: track, isFinal: false, now: now)
            return track
        }
    }

    public func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool {
        try await dbPool.write { db in
            guard
                let track = try Self.updateOwned(
                    db, assetID: assetID, workerID: workerID,
                    set: "lease_expires_at = ?, progress = ?, updated_at = ?",
                    arguments: [leaseUntil, min(max(progress, 0), 100), now])
            else { return false }
            if notify { try Self.enqueueCallback(db, for: track, isFinal: false, now: now) }
            return true
        }
    }

    public func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool {
        let resultJSON = try JSONColumn.encode(result)
        return try await dbPool.write { db in
            guard
                let track = try Self.updateOwned(
                    db, assetID: assetID, workerID: workerID,
                    set: "status = 1, progress = 100, result = ?, lease_expires_at = NULL, updated_at = ?",
                    arguments: [resultJSON, now])
            else { return false }
            try db.execute(
                sql: "UPDATE accounts SET consecutive_failures = 0 WHERE user_id = ? AND email = ?",
                arguments: [track.userID, track.email])
            try Self.enqueueCallback(db, for: track, isFinal: true, now: now)
            return true
        }
    }

    public func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool {
        try await dbPool.write { db in
            guard
                let track = try Self.updateOwned(
                    db, assetID: assetID, workerID: workerID,
                    set: "status = 8, fail_code = ?, fail_reason = ?, lease_expires_at = NULL, updated_at = ?",
                    arguments: [code, reason, now])
            else { return false }
            try Self.refund(db, track)
            let error = AccountFailures.errorMessage(reason: reason, credentialsRejected: credentialsRejected)
            try db.execute(
                sql: """
                    UPDATE accounts SET
                        consecutive_failures = consecutive_failures + 1,
                        error = CASE WHEN ? OR consecutive_failures + 1 >= ? THEN COALESCE(error, ?) ELSE error END
                    WHERE user_id = ? AND email = ?
                    """,
                arguments: [
                    credentialsRejected, AccountFailures.beforeError, error, track.userID, track.email,
                ])
            try Self.enqueueCallback(db, for: track, isFinal: true, now: now)
            return true
        }
    }

    public func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        try await dbPool.write { db in
            guard
                let track = try Self.updateOwned(
                    db, assetID: assetID, workerID: workerID,
                    // A hand-back is not a failed attempt: give the claim's attempt back, so graceful restarts
                    // never use up `maxAttempts` (only workers that died without handing back do).
                    set: """
                        status = 5, progress = 0, lease_owner = NULL, lease_expires_at = NULL,
                        attempts = MAX(attempts - 1, 0), updated_at = ?
                        """,
                    arguments: [now])
            else { return false }
            try Self.enqueueCallback(db, for: track, isFinal: false, now: now)
            return true
        }
    }

    public func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        try await dbPool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE tracks SET
                            status = 8, fail_code = 'cancelled', fail_reason = 'Cancelled by the user',
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                        WHERE asset_id = ? AND user_id = ? AND status IN (5, 10)
                        RETURNING *
                        """,
                    arguments: [now, assetID, userID])
            else { return nil }
            let track = try Track(row: row)
            try Self.refund(db, track)
            try Self.enqueueCallback(db, for: track, isFinal: true, now: now)
            return track
        }
    }

    public func countByStatus() async throws -> [AudioStatus: Int] {
        try readStatement { db in
            var counts = Dictionary(uniqueKeysWithValues: AudioStatus.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS count FROM tracks GROUP BY status") {
                let code: Int = try row.decode(forColumn: "status")
                guard let status = AudioStatus(rawValue: code) else {
                    throw StorageError("unknown track status \(code)")
                }
                counts[status] = try row.decode(forColumn: "count")
            }
            return counts
        }
    }

    // MARK: Helpers (inside a write transaction)

    /// Applies `set` to the track only while `workerID` holds its lease; the updated track, or nil.
    private static func updateOwned(
        _ db: Database, assetID: Int64, workerID: String, set assignments: String, arguments: StatementArguments
    ) throws -> Track? {
        try Row.fetchOne(
            db,
            sql: "UPDATE tracks SET \(assignments) WHERE asset_id = ? AND status = 10 AND lease_owner = ? RETURNING *",
            arguments: arguments + [assetID, workerID]
        ).map(Track.init(row:))
    }

    /// Gives the track's credits back to its account, if the account still exists and is not unlimited.
    /// Called only on the one transition into FAILED, so credits come back exactly once.
    private static func refund(_ db: Database, _ track: Track) throws {
        try db.execute(
            sql: "UPDATE accounts SET credits = credits + ? WHERE user_id = ? AND email = ? AND credits IS NOT NULL",
            arguments: [track.credits, track.userID, track.email])
    }

    private static func fetchTrack(_ db: Database, sql: String, arguments: StatementArguments) throws -> Track {
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else {
            throw StorageError("the statement returned no track")
        }
        return try Track(row: row)
    }
}
