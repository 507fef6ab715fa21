/// A parsed `Content-Type` header: `type/subtype; name=value; ...` (names and the type lowercased, quoted
/// values unquoted). Hummingbird's `MediaType` keeps only one parameter, and multipart needs `boundary`
/// wherever it appears.
struct ContentType: Sendable, Hashable {
    var mimeType: String
    var parameters: [String: String]

    init?(_ header: String) {
        let pieces = header.split(separator: ";", omittingEmptySubsequences: false)
        let mime = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
        let halves = mime.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty,
            mime.allSatisfy({ $0.isLetter || $0.isNumber || "/.+-_".contains($0) })
        else { return nil }
        mimeType = mime
        parameters = [:]
        for piece in pieces.dropFirst() {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard !name.isEmpty else { return nil }
            parameters[name] = value
        }
    }
}
