import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// The key signing media links (32 random bytes), kept in the database so every node signs and verifies the
    /// same links whatever its data dir holds. The first node to ask makes it; concurrent first starts agree on
    /// the one that was inserted first.
    public func linkSigningKey() async throws -> Data {
        var generator = SystemRandomNumberGenerator()
        let candidate = Data((0..<DataDirectory.secretKeyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        _ = try await rows(
            "INSERT INTO settings (name, value) VALUES ('link_signing_key', \(candidate)) ON CONFLICT (name) DO NOTHING")
        guard let row = try await rows("SELECT value FROM settings WHERE name = 'link_signing_key'").first else {
            throw StorageError("the link-signing key vanished while being made")
        }
        let key = try row.decode(Data.self)
        guard key.count == DataDirectory.secretKeyLength else {
            throw StorageError("the stored link-signing key has \(key.count) bytes, expected \(DataDirectory.secretKeyLength)")
        }
        return key
    }
}
