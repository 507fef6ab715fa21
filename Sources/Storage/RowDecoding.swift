import Foundation
import GRDB
import TunesmithCore

extension Database {
    /// The first row of a cached prepared statement, decoded straight from the statement: no copy of the row,
    /// and column names are looked up in GRDB's per-statement index (a copied row lower-cases every column
    /// name again for every lookup, which showed in the profile of `GET /music/<id>`).
    func fetchOne<Value>(
        _ sql: String, _ arguments: StatementArguments, _ decode: (Row) throws -> Value
    ) throws -> Value? {
        let cursor = try Row.fetchCursor(try cachedStatement(sql: sql), arguments: arguments)
        return try cursor.next().map(decode)
    }
}

extension User {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            name: try row.decode(forColumn: "name"),
            webhookSecret: try row.decode(forColumn: "webhook_secret"),
            createdAt: try row.decode(forColumn: "created_at"))
    }
}

extension Account {
    /// From an `accounts` row with an extra `executing` column (see `SQLiteStore.accountSelect`).
    init(row: Row) throws {
        self.init(
            userID: try row.decode(forColumn: "user_id"),
            email: try row.decode(forColumn: "email"),
            maxJobs: try row.decode(forColumn: "max_jobs"),
            credits: try row.decode(forColumn: "credits"),
            error: try row.decode(forColumn: "error"),
            consecutiveFailures: try row.decode(forColumn: "consecutive_failures"),
            executing: try row.decode(forColumn: "executing"),
            createdAt: try row.decode(forColumn: "created_at"))
    }
}

extension Track {
    init(row: Row) throws {
        let statusCode: Int = try row.decode(forColumn: "status")
        guard let status = AudioStatus(rawValue: statusCode) else {
            throw StorageError("unknown track status \(statusCode)")
        }
        let resultJSON: String? = try row.decode(forColumn: "result")
        self.init(
            assetID: try row.decode(forColumn: "asset_id"),
            userID: try row.decode(forColumn: "user_id"),
            email: try row.decode(forColumn: "email"),
            request: try JSONColumn.decode(
                TrackRequest.self, from: try row.decode(forColumn: "request"), column: "tracks.request",
                cache: JSONColumn.requests),
            credits: try row.decode(forColumn: "credits"),
            status: status,
            progress: try row.decode(forColumn: "progress"),
            result: try resultJSON.map {
                try JSONColumn.decode(TrackResult.self, from: $0, column: "tracks.result", cache: JSONColumn.results)
            },
            failCode: try row.decode(forColumn: "fail_code"),
            failReason: try row.decode(forColumn: "fail_reason"),
            createdAt: try row.decode(forColumn: "created_at"),
            updatedAt: try row.decode(forColumn: "updated_at"),
            startedAt: try row.decode(forColumn: "started_at"),
            leaseOwner: try row.decode(forColumn: "lease_owner"),
            leaseExpiresAt: try row.decode(forColumn: "lease_expires_at"),
            attempts: try row.decode(forColumn: "attempts"))
    }
}

extension CallbackMessage {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            webhookID: try row.decode(forColumn: "webhook_id"),
            userID: try row.decode(forColumn: "user_id"),
            assetID: try row.decode(forColumn: "asset_id"),
            url: try row.decode(forColumn: "url"),
            snapshot: try JSONColumn.decode(
                Track.self, from: try row.decode(forColumn: "snapshot"), column: "callbacks.snapshot"),
            isFinal: try row.decode(forColumn: "is_final"),
            attempts: try row.decode(forColumn: "attempts"),
            nextAttemptAt: try row.decode(forColumn: "next_attempt_at"),
            createdAt: try row.decode(forColumn: "created_at"),
            lastError: try row.decode(forColumn: "last_error"))
    }
}

extension Upload {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            userID: try row.decode(forColumn: "user_id"),
            path: try row.decode(forColumn: "path"),
            sha256: try row.decode(forColumn: "sha256"),
            size: try row.decode(forColumn: "size"),
            name: try row.decode(forColumn: "name"),
            contentType: try row.decode(forColumn: "content_type"),
            createdAt: try row.decode(forColumn: "created_at"))
    }
}
