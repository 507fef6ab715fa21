import TunesmithCore

/// Finished tracks by asset id, so reading a COMPLETED or FAILED track again is not a database read.
///
/// A finished track never changes: every statement that updates a track requires it to be QUEUED or
/// GENERATING (claim, heartbeat, complete, fail, release, cancel), and nothing deletes tracks. So a finished
/// row read once is the row forever, in every process sharing the database, whatever the backend, and the
/// cache needs no invalidation. (A future "delete track" must remove the entry here.) Tracks still in progress
/// are always read from the database: they change with every heartbeat, possibly in another process.
///
/// Bounded: at most `capacity` tracks (see `BoundedCache`).
public final class FinishedTrackCache: Sendable {
    public static let defaultCapacity = 2_048

    private let tracks: BoundedCache<Int64, Track>

    /// `capacity` zero disables the cache.
    public init(capacity: Int = FinishedTrackCache.defaultCapacity) {
        tracks = BoundedCache(capacity: capacity)
    }

    func track(assetID: Int64) -> Track? {
        tracks[assetID]
    }

    /// Keeps `track` if it is finished; anything else is ignored.
    func remember(_ track: Track) {
        guard track.status.isFinal else { return }
        tracks.insert(track, for: track.assetID)
    }

    /// Tracks held right now (tests).
    public var count: Int { tracks.count }
}
