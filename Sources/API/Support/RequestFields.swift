import Foundation
import Hummingbird
import MultipartKit
import TunesmithCore

/// One field of a request body, before it is checked against what the endpoint expects. JSON keeps its
/// types; multipart and URL-encoded forms only carry text, which the typed accessors parse.
enum FieldValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// An integer above `Int64.max` (only a seed can be that large).
    case largeInteger(UInt64)
    case fraction(Double)
    case string(String)
    case array
    case object
    /// A form field: text to be parsed as the endpoint's type.
    case text(String)
    /// A multipart part that is not UTF-8 text (a file); no field takes one, unknown ones are ignored.
    case binary

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .largeInteger, .fraction: "a number"
        case .string, .text: "a string"
        case .array: "an array"
        case .object: "an object"
        case .binary: "binary data (not UTF-8 text)"
        }
    }
}

/// The fields of a POST body, parsed from JSON, multipart/form-data or application/x-www-form-urlencoded,
/// with accessors that check each field's type and name the field in the 400 they throw.
struct RequestFields: Sendable {
    private(set) var values: [String: FieldValue]

    init(_ values: [String: FieldValue]) {
        self.values = values
    }

    var names: Dictionary<String, FieldValue>.Keys { values.keys }

    /// Reads the body (up to `maxBytes`, else 413) and parses it by its Content-Type (else 415).
    static func read(from request: Request, maxBytes: Int) async throws -> RequestFields {
        let header = request.headers[.contentType]
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError(413, "Request body is larger than the configured limit of \(maxBytes) bytes")
        }
        // A body without Content-Type is read as JSON (what most clients send).
        let contentType = header.map { ContentType($0) } ?? ContentType("application/json")
        switch contentType?.mimeType {
        case "application/json":
            return try parseJSON(Data(try await request.body.collect(upTo: maxBytes).readableBytesView))
        case "multipart/form-data":
            guard let boundary = contentType?.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200
            else { throw APIError.badRequest("multipart/form-data needs a boundary parameter in Content-Type") }
            return try parseMultipart(try await request.body.collect(upTo: maxBytes), boundary: boundary)
        case "application/x-www-form-urlencoded":
            return try parseURLEncoded(Data(try await request.body.collect(upTo: maxBytes).readableBytesView))
        default:
            throw APIError(
                415,
                "Unsupported Content-Type '\(header?.prefix(100) ?? "")'; use application/json or multipart/form-data")
        }
    }

    static func parseJSON(_ bytes: Data) throws(APIError) -> RequestFields {
        guard !bytes.isEmpty else { throw APIError.badRequest("Request body is empty; expected a JSON object") }
        // Foundation's decoder also takes UTF-16/32 and trailing commas; the contract is strict UTF-8 JSON.
        guard !bytes.contains(0), String(data: bytes, encoding: .utf8) != nil else {
            throw APIError.badRequest("Request body is not valid JSON: it must be UTF-8 text")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            throw APIError.badRequest("Request body is not valid JSON")
        }
        guard case .object(let members) = value else {
            throw APIError.badRequest("Request body must be a JSON object")
        }
        try StrictJSON.check(bytes)
        return RequestFields(members)
    }

    static func parseMultipart(_ body: ByteBuffer, boundary: String) throws(APIError) -> RequestFields {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        var partOpen = false
        parser.onHeader = { name, value in
            partOpen = true
            headers.replaceOrAdd(name: name, value: value)
        }
        parser.onBody = { chunk in
            partOpen = true
            partBody.writeBuffer(&chunk)
        }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: partBody))
            headers = HTTPHeaders()
            partBody = ByteBuffer()
            partOpen = false
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError.badRequest("Malformed multipart/form-data body")
        }
        guard !partOpen else { throw APIError.badRequest("Malformed multipart/form-data body: it ends inside a part") }
        var values: [String: FieldValue] = [:]
        for part in parts {
            guard let name = part.name, !name.isEmpty else {
                throw APIError.badRequest("Malformed multipart/form-data body: a part has no field name")
            }
            guard values[name] == nil else { throw APIError.badRequest("\(name): given more than once") }
            if let text = part.body.getString(at: part.body.readerIndex, length: part.body.readableBytes),
                text.utf8.elementsEqual(part.body.readableBytesView)
            {
                values[name] = .text(text)
            } else {
                values[name] = .binary
            }
        }
        return RequestFields(values)
    }

    static func parseURLEncoded(_ bytes: Data) throws(APIError) -> RequestFields {
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw APIError.badRequest("Form body must be UTF-8 text")
        }
        var values: [String: FieldValue] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.formDecode(halves[0]), let value = Self.formDecode(halves.count > 1 ? halves[1] : "")
            else { throw APIError.badRequest("Malformed form body: bad percent-encoding") }
            guard !name.isEmpty else { throw APIError.badRequest("Malformed form body: a field has no name") }
            guard values[name] == nil else { throw APIError.badRequest("\(name): given more than once") }
            values[name] = .text(value)
        }
        return RequestFields(values)
    }

    private static func formDecode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    // MARK: Typed accessors (nil = absent or null)

    func string(_ name: String) throws(APIError) -> String? {
        switch values[name] {
        case nil, .null: return nil
        case .string(let text), .text(let text):
            guard !text.contains("\0") else { throw APIError.badRequest("\(name): must not contain NUL characters") }
            return text
        case let other?: throw APIError.badRequest("\(name): must be a string, got \(other.typeName)")
        }
    }

    func bool(_ name: String) throws(APIError) -> Bool? {
        switch values[name] {
        case nil, .null: return nil
        case .bool(let value): return value
        case .text(let text):
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw APIError.badRequest("\(name): must be true or false, got '\(text.prefix(40))'")
            }
        case let other?: throw APIError.badRequest("\(name): must be a boolean, got \(other.typeName)")
        }
    }

    func integer(_ name: String) throws(APIError) -> Int64? {
        switch values[name] {
        case nil, .null: return nil
        case .integer(let value): return value
        case .text(let text):
            guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw APIError.badRequest("\(name): must be an integer, got '\(text.prefix(40))'")
            }
            return value
        case .largeInteger, .fraction:
            throw APIError.badRequest("\(name): must be an integer in range")
        case let other?: throw APIError.badRequest("\(name): must be an integer, got \(other.typeName)")
        }
    }

    func unsignedInteger(_ name: String) throws(APIError) -> UInt64? {
        switch values[name] {
        case nil, .null: return nil
        case .integer(let value) where value >= 0: return UInt64(value)
        case .largeInteger(let value): return value
        case .text(let text):
            guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw APIError.badRequest("\(name): must be an integer from 0 to \(UInt64.max)")
            }
            return value
        case .integer, .fraction:
            throw APIError.badRequest("\(name): must be an integer from 0 to \(UInt64.max)")
        case let other?: throw APIError.badRequest("\(name): must be an integer, got \(other.typeName)")
        }
    }
}

/// Any JSON value, decoded with the types kept apart (a boolean is never read as a number, nor the reverse).
private enum JSONValue: Decodable {
    case value(FieldValue)
    case object([String: FieldValue])

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: FieldValue] = [:]
            for key in container.allKeys {
                members[key.stringValue] = try container.decode(Member.self, forKey: key).value
            }
            self = .object(members)
        } else {
            self = .value(try Member(from: decoder).value)
        }
    }

    /// One member of the top-level object; nested arrays/objects are only recorded as such (no field takes them).
    private struct Member: Decodable {
        var value: FieldValue

        init(from decoder: any Decoder) throws {
            if (try? decoder.container(keyedBy: AnyKey.self)) != nil {
                value = .object
                return
            }
            if (try? decoder.unkeyedContainer()) != nil {
                value = .array
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let bool = try? single.decode(Bool.self) {
                value = .bool(bool)
            } else if let integer = try? single.decode(Int64.self) {
                value = .integer(integer)
            } else if let large = try? single.decode(UInt64.self) {
                value = .largeInteger(large)
            } else if let number = try? single.decode(Double.self) {
                value = .fraction(number)
            } else {
                value = .string(try single.decode(String.self))
            }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// What Foundation's JSON decoder lets through but JSON (RFC 8259) does not, or what is ambiguous: trailing
/// commas, and a repeated key in the top-level object (parsers differ on which value wins). Runs on bytes that
/// already parsed, so it only needs to track strings and nesting.
enum StrictJSON {
    static func check(_ data: Data) throws(APIError) {
        let bytes = [UInt8](data)
        var seen = Set<String>()
        var depth = 0
        var index = 0
        var expectingKey = false
        var previous: UInt8 = 0  // last byte outside strings that is not whitespace
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1, expectingKey {
                    // Decode the key's escapes so "a" and "\u0061" count as the same key.
                    let literal = Data(bytes[start...min(index, bytes.count - 1)])
                    let key = (try? JSONDecoder().decode(String.self, from: literal)) ?? ""
                    guard seen.insert(key).inserted else {
                        throw APIError.badRequest("\(key.prefix(60)): given more than once")
                    }
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard previous != UInt8(ascii: ",") else {
                    throw APIError.badRequest("Request body is not valid JSON: trailing comma")
                }
                depth -= 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            default:
                break
            }
            if ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(byte) {
                previous = byte
            }
            index += 1
        }
    }
}
