import Foundation

/// When a failed callback is tried again, and when Tunesmith gives up on it.
public struct CallbackRetryPolicy: Sendable {
    /// Wait after the 1st, 2nd, ... failure; the last entry repeats.
    public var backoff: [Duration]
    /// Final-state callbacks are retried until this long after they were written (API.md: at least 24 h).
    public var finalLifetime: Duration
    /// Progress callbacks are best effort: attempts before giving up.
    public var progressAttempts: Int
    /// Longest `Retry-After` honoured, so a receiver cannot park a callback for days.
    public var maxRetryAfter: Duration

    public init(
        backoff: [Duration] = [
            .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(1800), .seconds(3600),
        ],
        finalLifetime: Duration = .seconds(24 * 3600),
        progressAttempts: Int = 3,
        maxRetryAfter: Duration = .seconds(3600)
    ) {
        self.backoff = backoff.isEmpty ? [.seconds(60)] : backoff
        self.finalLifetime = finalLifetime
        self.progressAttempts = max(1, progressAttempts)
        self.maxRetryAfter = maxRetryAfter
    }

    /// The next attempt after `attempts` failed ones, or nil to give up. `retryAfter` is the receiver's
    /// `Retry-After` header, if any.
    func nextAttempt(
        after attempts: Int, isFinal: Bool, createdAt: Date, retryAfter: String?, now: Date
    ) -> Date? {
        guard isFinal || attempts < progressAttempts else { return nil }
        let planned = backoff[min(max(attempts, 1), backoff.count) - 1].timeInterval
        let requested = retryAfter.flatMap { Self.parseRetryAfter($0, now: now) }
        let delay = requested.map { min(max($0, 1), maxRetryAfter.timeInterval) } ?? planned
        let next = now.addingTimeInterval(delay)
        guard !isFinal || next <= createdAt.adding(finalLifetime) else { return nil }
        return next
    }

    /// Seconds to wait from `now`: `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 10.2.3).
    static func parseRetryAfter(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
