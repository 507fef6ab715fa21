import Foundation
import NIOConcurrencyHelpers
import TunesmithCore

/// Remembers which user a token hash belongs to, so the bearer check of a request is not a database read.
///
/// Only positive answers are kept: an unknown token is looked up every time, so a token made by another process
/// (`tunesmith token create` while the server runs) works at once. An entry lives at most `lifetime`; see
/// `CachedStore` for who clears it earlier.
/// Bounded: at most `capacity` entries; when full, expired entries go first, then an arbitrary one.
public final class TokenUserCache: Sendable {
    public static let defaultLifetime = Duration.seconds(5)
    public static let defaultCapacity = 4_096

    private struct Entry {
        var user: User
        var expires: ContinuousClock.Instant
    }

    private let capacity: Int
    private let lifetime: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    private struct State {
        var entries: [String: Entry] = [:]
        /// Bumped by every invalidation, so a lookup that started before one cannot store what it read.
        var generation: UInt64 = 0
    }

    /// `now` is the monotonic clock the lifetime is measured on (tests move it by hand); `lifetime` zero
    /// disables the cache.
    public init(
        capacity: Int = TokenUserCache.defaultCapacity, lifetime: Duration = TokenUserCache.defaultLifetime,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.capacity = max(1, capacity)
        self.lifetime = lifetime
        self.now = now
    }

    /// A ticket to pass to `store(_:for:ticket:)` after reading the database.
    struct Ticket {
        fileprivate var generation: UInt64
    }

    /// The cached user, or nil (unknown or expired) with the ticket for storing the database's answer.
    func lookup(_ tokenHash: String) -> (user: User?, ticket: Ticket) {
        state.withLockedValue { state in
            let ticket = Ticket(generation: state.generation)
            guard let entry = state.entries[tokenHash] else { return (nil, ticket) }
            guard entry.expires > now() else {
                state.entries[tokenHash] = nil
                return (nil, ticket)
            }
            return (entry.user, ticket)
        }
    }

    /// Keeps `user` for `tokenHash`, unless the cache was invalidated since `ticket` was taken (the read may
    /// predate a revoke).
    func store(_ user: User, for tokenHash: String, ticket: Ticket) {
        guard lifetime > .zero else { return }
        state.withLockedValue { state in
            guard ticket.generation == state.generation else { return }
            let date = now()
            if state.entries.count >= capacity, state.entries[tokenHash] == nil {
                state.entries = state.entries.filter { $0.value.expires > date }
                if state.entries.count >= capacity { state.entries.remove(at: state.entries.startIndex) }
            }
            state.entries[tokenHash] = Entry(user: user, expires: date.advanced(by: lifetime))
        }
    }

    /// Forgets everything (a token or user changed).
    public func invalidateAll() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    /// Entries held right now (tests).
    public var count: Int {
        state.withLockedValue { $0.entries.count }
    }
}
