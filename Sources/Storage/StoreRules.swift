import Foundation
import TunesmithCore

// Rules every store backend applies the same way, so SQLite and PostgreSQL answer alike.

/// Fresh user ids and webhook secrets, from the system's secure generator.
package enum UserIdentity {
    /// 10 lowercase letters and digits: short enough for tokens and audio ids, about 51 bits of entropy.
    package static func makeID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
    package static func makeWebhookSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }
}

/// An account's run of failed generations and the pending-error state it leads to.
package enum AccountFailures {
    /// Failed generations in a row that put an account into the pending-error state.
    package static let beforeError = 5

    /// The account's error message after a failure with `reason` (used only when the failure puts the account
    /// into the pending-error state).
    package static func errorMessage(reason: String, credentialsRejected: Bool) -> String {
        credentialsRejected
            ? "The provider rejected the account's credentials: \(reason)"
            : "\(beforeError) generations in a row failed; the last: \(reason)"
    }
}

extension CallbackMessage {
    /// A fresh Standard Webhooks message id (`msg_` + 27 random characters), stable across the message's
    /// delivery attempts.
    package static func newWebhookID() -> String {
        "msg_" + Token.randomString(length: 27)
    }
}
