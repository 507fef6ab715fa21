import Foundation

/// A dictionary behind a lock holding at most `capacity` entries; when full, an arbitrary entry makes room.
/// For values that cannot go stale (decoded JSON by its own text, finished tracks), so nothing expires.
/// `capacity` zero keeps nothing.
package final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    package init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    package subscript(key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }

    package func insert(_ value: Value, for key: Key) {
        guard capacity > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        if values.count >= capacity, values[key] == nil { values.remove(at: values.startIndex) }
        values[key] = value
    }

    package var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return values.count
    }
}
