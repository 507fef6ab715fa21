import Foundation

/// Why a provider call did not give a song, classified by what Tunesmith does about it. The message is already
/// fit for clients: it names the provider, says what happened in plain words and carries only redacted provider
/// text.
public struct ProviderFailure: Error, Sendable, Hashable, LocalizedError {
    public enum Kind: Sendable, Hashable {
        /// The provider rejected the operator's key: the account goes to the pending-error state at once.
        case credentialsRejected
        /// Too many requests: waited out and retried inside the job; `retryAfter` when the provider said.
        case rateLimited(retryAfter: Duration?)
        /// The provider refused the prompt or lyrics (safety filters, copyrighted material): not retried.
        case contentRefused
        /// The provider account has no balance left, or its plan does not include the model: not retried.
        case accountLimit
        /// A timeout, a 5xx or a lost connection: retried a few times, then failed; may fall back to local.
        case unavailable
        /// The request or the answer does not fit (validation errors, audio that is not MP3): not retried.
        case invalid
    }

    public var provider: CloudProvider
    public var kind: Kind
    public var message: String

    public init(_ provider: CloudProvider, _ kind: Kind, _ message: String) {
        self.provider = provider
        self.kind = kind
        self.message = message
    }

    public var errorDescription: String? { message }

    /// The provider is down or overloaded (not a problem of this request or account): what fallback covers.
    public var isOutage: Bool {
        switch kind {
        case .unavailable, .rateLimited: true
        default: false
        }
    }
}
