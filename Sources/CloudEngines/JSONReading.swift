import Foundation
import TunesmithCore

/// Tolerant reading of provider JSON: the documented shapes are only partly verified (providers.md marks what is
/// third-party or inferred), so answers are read as `JSONValue` and each field is looked for where any of the
/// plausible shapes puts it, numbers given as text included.
extension JSONValue {
    init?(parsing data: Data) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        self = value
    }

    /// The value at a path of object keys.
    subscript(path first: String, _ rest: String...) -> JSONValue? {
        rest.reduce(self[first]) { value, key in value?[key] }
    }

    /// The first of several keys present (snake_case and camelCase spellings of one field).
    func first(_ keys: String...) -> JSONValue? {
        keys.lazy.compactMap { self[$0] }.first
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Non-blank text, trimmed.
    var text: String? {
        guard let trimmed = string?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            return nil
        }
        return trimmed
    }

    var double: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    var int: Int? { double.flatMap { $0.isFinite ? Int(exactly: $0.rounded()) : nil } }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

/// Request bodies are `Encodable` values sent as JSON.
enum RequestJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
