import Foundation

/// A provider API key. Its descriptions never show it, so a key printed by accident (a log line, an error, a
/// `dump`) is never the key; only `exposedValue`, used to set the request header, reads it.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let exposedValue: String

    public init?(_ value: String?) {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            return nil
        }
        exposedValue = trimmed
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// Makes provider-supplied text fit to show to clients and logs: the key (and any long run that contains it) is
/// replaced, control characters become spaces, runs of white space collapse, and the length is capped. Provider
/// error bodies are not ours: a proxy or a misconfigured gateway may echo request headers, key included.
struct Redactor: Sendable {
    var secrets: [String]
    static let limit = 300
    static let replacement = "[redacted]"
    /// URL-unreserved characters: what a percent-encoded echo of the key leaves as it is.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    init(_ keys: [APIKey]) {
        secrets = keys.map(\.exposedValue).filter { $0.count >= 4 }
    }

    func clean(_ text: String) -> String {
        var text = text
        for secret in secrets {
            text = text.replacingOccurrences(of: secret, with: Self.replacement)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: Self.unreserved), encoded != secret {
                text = text.replacingOccurrences(of: encoded, with: Self.replacement)
            }
        }
        let flattened = text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }
            .joined()
        let words = flattened.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.count > Self.limit ? String(words.prefix(Self.limit)) + "…" : words
    }
}
