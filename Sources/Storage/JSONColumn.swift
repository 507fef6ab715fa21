import Foundation
import TunesmithCore

/// JSON columns (track requests, results, callback snapshots): one encoder setup so stored text is stable.
package enum JSONColumn {
    package static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static func decode<Value: Decodable>(_ type: Value.Type, from text: String, column: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError("cannot read the JSON in column \(column): \(error)")
        }
    }
    /// Track requests and results, decoded once per distinct text: every read of a track decodes both, the same
    /// text always gives the same value, and `JSONDecoder` was the largest single cost of `GET /music/<id>` in
    /// the profile, more than the SQL (figures in docs/modules/api.md).
    package static let requests = BoundedCache<String, TrackRequest>(capacity: 1_024)
    package static let results = BoundedCache<String, TrackResult>(capacity: 1_024)

    package static func decode<Value: Decodable & Sendable>(
        _ type: Value.Type, from text: String, column: String, cache: BoundedCache<String, Value>
    ) throws -> Value {
        if let value = cache[text] { return value }
        let value = try decode(type, from: text, column: column)
        cache.insert(value, for: text)
        return value
    }
}
