import Foundation
import PostgresNIO
import Storage
import TunesmithCore

extension PostgresStore: UploadStore {
    public func saveUpload(_ upload: Upload) async throws -> Upload {
        // The same bytes uploaded twice by one user keep the first row (and its path).
        let inserted = try await rows(
            """
            INSERT INTO uploads (user_id, path, sha256, size, name, content_type, created_at)
            VALUES (\(upload.userID), \(upload.path), \(upload.sha256), \(upload.size), \(upload.name),
                    \(upload.contentType), \(upload.createdAt))
            ON CONFLICT (user_id, sha256) DO NOTHING
            RETURNING \(unescaped: Columns.upload)
            """)
        if let row = inserted.first { return try Upload(postgres: row) }
        // Already there (perhaps inserted a moment ago by a concurrent upload): this statement sees it committed.
        let existing = try await rows(
            """
            SELECT \(unescaped: Columns.upload) FROM uploads
            WHERE user_id = \(upload.userID) AND sha256 = \(upload.sha256)
            """)
        guard let row = existing.first else { throw StorageError("upload \(upload.path) vanished while being saved") }
        return try Upload(postgres: row)
    }

    public func upload(userID: String, path: String) async throws -> Upload? {
        try await rows(
            "SELECT \(unescaped: Columns.upload) FROM uploads WHERE user_id = \(userID) AND path = \(path)"
        ).first.map(Upload.init(postgres:))
    }
}
