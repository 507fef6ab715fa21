/// "A track of this user changed": created, claimed by a worker, progressed, completed, failed, cancelled or
/// handed back to the queue. It carries ids only; whoever reacts reads the track's current state from the store.
/// That keeps a change cheap to publish and lets a source in another process (a PostgreSQL `NOTIFY` with these
/// two values as its payload) publish the very same thing.
public struct TrackChange: Sendable, Hashable {
    public var userID: String
    public var assetID: Int64

    public init(userID: String, assetID: Int64) {
        self.userID = userID
        self.assetID = assetID
    }
}

/// Where track changes are announced. The in-process `TrackChangeBroadcaster` (Storage) is one; the store
/// decorator `TrackChangePublishingStore` calls it after every state change that succeeded.
public protocol TrackChangePublisher: Sendable {
    func publish(_ change: TrackChange)
}

/// Live changes of one user's tracks: what the studio's event stream (`GET /v2/pixverse/events`) listens to.
public protocol TrackChangeFeed: Sendable {
    /// The changes of `userID`'s tracks from the moment of the call on. Iterating ends when the feed shuts down;
    /// dropping the stream (ending the iteration) unsubscribes. A subscriber that falls far behind loses the
    /// oldest changes first: the newest state of a track is what matters, and readers re-read the store anyway.
    func changes(userID: String) -> AsyncStream<TrackChange>
}
