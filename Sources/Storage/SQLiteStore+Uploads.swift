import Foundation
import GRDB
import TunesmithCore

extension SQLiteStore: UploadStore {
    public func saveUpload(_ upload: Upload) async throws -> Upload {
        try await dbPool.write { db in
            // The same bytes uploaded twice by one user keep the first row (and its path).
            try db.execute(
                sql: """
                    INSERT INTO uploads (user_id, path, sha256, size, name, content_type, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (user_id, sha256) DO NOTHING
                    """,
                arguments: [
                    upload.userID, upload.path, upload.sha256, upload.size, upload.name, upload.contentType,
                    upload.createdAt,
                ])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM uploads WHERE user_id = ? AND sha256 = ?",
                    arguments: [upload.userID, upload.sha256])
            else { throw StorageError("upload \(upload.path) vanished while being saved") }
            return try Upload(row: row)
        }
    }

    public func upload(userID: String, path: String) async throws -> Upload? {
        try readStatement { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM uploads WHERE user_id = ? AND path = ?", arguments: [userID, path]
            ).map(Upload.init(row:))
        }
    }
}
