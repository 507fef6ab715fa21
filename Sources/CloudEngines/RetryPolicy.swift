import Foundation

/// How often and how patiently a provider call is repeated inside one job. Rate limits wait (the provider made
/// nothing, and says when to come back); timeouts and server errors are retried a few times only, because the
/// provider may have done, and billed, the work before the answer was lost.
public struct RetryPolicy: Sendable, Hashable {
    /// Calls in all for a timeout, a 5xx or a lost connection.
    public var maxAttempts: Int
    /// Calls in all while the provider answers "rate limited".
    public var maxRateLimitedAttempts: Int
    /// First wait; doubled after each further failure.
    public var initialBackoff: Duration
    /// No wait is longer, whatever `Retry-After` asks.
    public var maxBackoff: Duration

    public init(
        maxAttempts: Int = 3, maxRateLimitedAttempts: Int = 6, initialBackoff: Duration = .seconds(2),
        maxBackoff: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxRateLimitedAttempts = max(1, maxRateLimitedAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = max(initialBackoff, maxBackoff)
    }

    /// Whether a failure that has happened `attempts` times in a row may be tried once more.
    func allowsAnotherAttempt(after failure: ProviderFailure, attempts: Int) -> Bool {
        switch failure.kind {
        case .rateLimited: attempts < maxRateLimitedAttempts
        case .unavailable: attempts < maxAttempts
        default: false
        }
    }

    /// The wait before attempt `attempts + 1`: the provider's `Retry-After` when it gave one, else exponential
    /// backoff; never more than `maxBackoff`.
    func delay(after failure: ProviderFailure, attempts: Int) -> Duration {
        if case .rateLimited(let retryAfter?) = failure.kind { return min(max(retryAfter, .zero), maxBackoff) }
        let doubled = initialBackoff * (1 << min(max(attempts - 1, 0), 16))
        return min(doubled, maxBackoff)
    }
}

/// Reads a `Retry-After` header: delay seconds, or an HTTP date.
enum RetryAfter {
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    /// Google's `RetryInfo.retryDelay`, a duration string such as "30s" or "1.5s".
    static func parseProtobufDuration(_ value: String?) -> Duration? {
        guard let value, value.hasSuffix("s"), let seconds = Double(value.dropLast()), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
