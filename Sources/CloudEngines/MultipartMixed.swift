import Foundation

/// Reads a `multipart/mixed` answer (ElevenLabs' `/v1/music/detailed`: a JSON part with the metadata, then the
/// audio). Binary-safe: parts are found by the boundary bytes, never by decoding the body as text.
struct MultipartMixed: Sendable {
    struct Part: Sendable {
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data

        var contentType: String { headers["content-type"]?.lowercased() ?? "" }
    }

    var parts: [Part]

    /// The boundary parameter of a `multipart/...` content type, quoted or not.
    static func boundary(contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return value.isEmpty ? nil : value
        }
        return nil
    }

    init?(_ body: Data, boundary: String) {
        let delimiter = Data("--\(boundary)".utf8)
        let bytes = body
        var positions: [Range<Data.Index>] = []
        var searchFrom = bytes.startIndex
        while let found = bytes.range(of: delimiter, in: searchFrom..<bytes.endIndex) {
            positions.append(found)
            searchFrom = found.upperBound
        }
        guard positions.count >= 2 else { return nil }
        var parts: [Part] = []
        for (current, next) in zip(positions, positions.dropFirst()) {
            var start = current.upperBound
            // "--boundary--" closes the body.
            if bytes[start...].starts(with: Data("--".utf8)) { break }
            start = Self.skipLineBreak(bytes, at: start)
            var end = next.lowerBound
            // The line break before the next delimiter belongs to the delimiter.
            if end >= start + 2, bytes[end - 2] == 0x0D, bytes[end - 1] == 0x0A {
                end -= 2
            } else if end >= start + 1, bytes[end - 1] == 0x0A {
                end -= 1
            }
            guard start <= end else { continue }
            let part = bytes[start..<end]
            // No headers: the part opens with the empty line that ends them.
            if part.starts(with: Data("\r\n".utf8)) || part.starts(with: Data("\n".utf8)) {
                parts.append(Part(headers: [:], body: Data(Self.skipLineBreakSlice(part))))
                continue
            }
            let headerEnd = part.range(of: Data("\r\n\r\n".utf8)) ?? part.range(of: Data("\n\n".utf8))
            guard let headerEnd else {
                parts.append(Part(headers: [:], body: Data(part)))
                continue
            }
            let headerText = String(decoding: part[part.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            var headers: [String: String] = [:]
            for line in headerText.split(whereSeparator: \.isNewline) {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2 else { continue }
                headers[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] =
                    pair[1].trimmingCharacters(in: .whitespaces)
            }
            parts.append(Part(headers: headers, body: Data(part[headerEnd.upperBound...])))
        }
        guard !parts.isEmpty else { return nil }
        self.parts = parts
    }

    private static func skipLineBreakSlice(_ part: Data) -> Data {
        part[skipLineBreak(part, at: part.startIndex)...]
    }

    private static func skipLineBreak(_ bytes: Data, at index: Data.Index) -> Data.Index {
        var index = index
        if index < bytes.endIndex, bytes[index] == 0x0D { index += 1 }
        if index < bytes.endIndex, bytes[index] == 0x0A { index += 1 }
        return index
    }
}
