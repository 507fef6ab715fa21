import Foundation
import PostgresNIO
import Storage
import TunesmithCore

/// The column lists the store selects and returns; `jsonb` columns as text for `JSONColumn`.
enum Columns {
    static let user = "id, name, webhook_secret, created_at"
    static let track = """
        asset_id, user_id, email, request::text AS request, credits, status, progress, result::text AS result,
        fail_code, fail_reason, created_at, updated_at, started_at, lease_owner, lease_expires_at, attempts
        """
    static let callback = """
        id, webhook_id, user_id, asset_id, url, snapshot::text AS snapshot, is_final, attempts, next_attempt_at,
        created_at, last_error
        """
    static let upload = "id, user_id, path, sha256, size, name, content_type, created_at"
    /// An `accounts` row (alias `a`) plus `executing`: the account's tracks that are not final yet.
    static let account = """
        a.user_id, a.email, a.max_jobs, a.credits, a.error, a.consecutive_failures, a.created_at,
        (SELECT count(*) FROM tracks t
         WHERE t.user_id = a.user_id AND t.email = a.email AND t.status IN (5, 10)) AS executing
        """
}

extension PostgresRandomAccessRow {
    func value<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try self[column].decode(Value.self)
    }
}

extension User {
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(
            id: try row.value("id"), name: try row.value("name"), webhookSecret: try row.value("webhook_secret"),
            createdAt: try row.value("created_at"))
    }
}

extension Account {
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(
            userID: try row.value("user_id"), email: try row.value("email"), maxJobs: try row.value("max_jobs"),
            credits: try row.value("credits"), error: try row.value("error"),
            consecutiveFailures: try row.value("consecutive_failures"), executing: try row.value("executing"),
            createdAt: try row.value("created_at"))
    }
}

extension Track {
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        let statusCode: Int = try row.value("status")
        guard let status = AudioStatus(rawValue: statusCode) else {
            throw StorageError("unknown track status \(statusCode)")
        }
        let resultJSON: String? = try row.value("result")
        self.init(
            assetID: try row.value("asset_id"), userID: try row.value("user_id"), email: try row.value("email"),
            request: try JSONColumn.decode(
                TrackRequest.self, from: try row.value("request"), column: "tracks.request",
                cache: JSONColumn.requests),
            credits: try row.value("credits"), status: status, progress: try row.value("progress"),
            result: try resultJSON.map {
                try JSONColumn.decode(TrackResult.self, from: $0, column: "tracks.result", cache: JSONColumn.results)
            },
            failCode: try row.value("fail_code"), failReason: try row.value("fail_reason"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"),
            startedAt: try row.value("started_at"), leaseOwner: try row.value("lease_owner"),
            leaseExpiresAt: try row.value("lease_expires_at"), attempts: try row.value("attempts"))
    }
}

extension CallbackMessage {
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        let snapshot = try JSONColumn.decode(
            TrackSnapshot.self, from: try row.value("snapshot"), column: "callbacks.snapshot")
        self.init(
            id: try row.value("id"), webhookID: try row.value("webhook_id"), userID: try row.value("user_id"),
            assetID: try row.value("asset_id"), url: try row.value("url"), snapshot: try snapshot.track(),
            isFinal: try row.value("is_final"), attempts: try row.value("attempts"),
            nextAttemptAt: try row.value("next_attempt_at"), createdAt: try row.value("created_at"),
            lastError: try row.value("last_error"))
    }
}

extension Upload {
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(
            id: try row.value("id"), userID: try row.value("user_id"), path: try row.value("path"),
            sha256: try row.value("sha256"), size: try row.value("size"), name: try row.value("name"),
            contentType: try row.value("content_type"), createdAt: try row.value("created_at"))
    }
}

/// A callback's snapshot as `tunesmith_track_snapshot` writes it (schema v1): the track's columns by name,
/// timestamps as microseconds since 2000-01-01, converted exactly as the driver converts a `timestamptz`.
struct TrackSnapshot: Decodable {
    var assetID: Int64
    var userID: String
    var email: String
    var request: TrackRequest
    var credits: Int
    var status: Int
    var progress: Int
    var result: TrackResult?
    var failCode: String?
    var failReason: String?
    var createdAt: Int64
    var updatedAt: Int64
    var startedAt: Int64?
    var leaseOwner: String?
    var leaseExpiresAt: Int64?
    var attempts: Int

    enum CodingKeys: String, CodingKey {
        case assetID = "asset_id", userID = "user_id", email, request, credits, status, progress, result
        case failCode = "fail_code", failReason = "fail_reason", createdAt = "created_at", updatedAt = "updated_at"
        case startedAt = "started_at", leaseOwner = "lease_owner", leaseExpiresAt = "lease_expires_at", attempts
    }

    private static let epoch = Date(timeIntervalSince1970: 946_684_800)

    private static func date(_ microseconds: Int64) -> Date {
        Date(timeInterval: Double(microseconds) / 1_000_000, since: epoch)
    }

    func track() throws -> Track {
        guard let audioStatus = AudioStatus(rawValue: status) else {
            throw StorageError("unknown track status \(status) in a callback snapshot")
        }
        return Track(
            assetID: assetID, userID: userID, email: email, request: request, credits: credits, status: audioStatus,
            progress: progress, result: result, failCode: failCode, failReason: failReason,
            createdAt: Self.date(createdAt), updatedAt: Self.date(updatedAt), startedAt: startedAt.map(Self.date),
            leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt.map(Self.date), attempts: attempts)
    }
}
