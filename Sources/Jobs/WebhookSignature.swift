import Crypto
import Foundation

/// Standard Webhooks signing (https://www.standardwebhooks.com): the receiver recomputes
/// `base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))` with the user's secret and compares.
public struct WebhookSignature: Sendable {
    public static let secretPrefix = "whsec_"

    /// Raw key bytes (SymmetricKey itself is not Sendable).
    private let key: Data

    /// `secret` is `whsec_` + base64 of the key bytes; nil when it is not in that form.
    public init?(secret: String) {
        let encoded = secret.hasPrefix(Self.secretPrefix) ? String(secret.dropFirst(Self.secretPrefix.count)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { return nil }
        key = bytes
    }

    /// The `webhook-signature` header value: `v1,<base64 signature>`.
    public func header(webhookID: String, timestamp: Int64, body: Data) -> String {
        var signed = Data("\(webhookID).\(timestamp).".utf8)
        signed.append(body)
        return "v1,"
            + Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))).base64EncodedString()
    }
}
