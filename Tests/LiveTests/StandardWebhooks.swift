import Crypto
import Foundation

/// Standard Webhooks verification as a receiver would do it: HMAC-SHA256 over `id.timestamp.body` with the
/// base64 key after `whsec_`, compared with any `v1,<base64>` entry of the signature header.
enum StandardWebhooks {
    static func verify(secret: String, headers: [String: String], body: Data, now: Date = Date()) -> Bool {
        guard let id = headers["webhook-id"], let timestamp = headers["webhook-timestamp"],
            let signatures = headers["webhook-signature"],
            let seconds = TimeInterval(timestamp), abs(now.timeIntervalSince1970 - seconds) < 300,
            secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count)))
        else { return false }
        let signed = Data("\(id).\(timestamp).".utf8) + body
        let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key)))
            .base64EncodedString()
        return signatures.split(separator: " ").contains { $0 == "v1,\(expected)" }
    }
}
