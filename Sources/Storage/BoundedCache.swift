import NIOConcurrencyHelpers

/// A dictionary behind a lock holding at most `capacity` entries; when full, an arbitrary entry makes room.
/// For values that cannot go stale (decoded JSON by its own text, finished tracks), so nothing expires.
/// `capacity` zero keeps nothing.
package final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let values = NIOLockedValueBox<[Key: Value]>([:])

    package init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    package subscript(key: Key) -> Value? {
        values.withLockedValue { $0[key] }
    }

    package func insert(_ value: Value, for key: Key) {
        guard capacity > 0 else { return }
        values.withLockedValue { values in
            if values.count >= capacity, values[key] == nil { values.remove(at: values.startIndex) }
            values[key] = value
        }
    }

    package var count: Int {
        values.withLockedValue { $0.count }
    }
}
