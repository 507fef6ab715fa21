import NIOConcurrencyHelpers
import SongLyrics

/// The song writer's pronouncing dictionary, read from disk the first time a song has words and kept from then
/// on. Lazily, because a server that only makes instrumentals (or only serves the API) should not parse 105,000
/// entries, and a missing dictionary should fail only the songs that sing, as it always has.
public final class PronouncingDictionaryLoader: Sendable {
    private let load: @Sendable () -> Result<PronouncingDictionary, PronouncingDictionaryError>
    private let loaded = NIOLockedValueBox<Result<PronouncingDictionary, PronouncingDictionaryError>?>(nil)

    /// The copy `environment` names (`TUNESMITH_CMUDICT`), else Debian's.
    public init(environment: [String: String]) {
        load = {
            Result { () throws(PronouncingDictionaryError) in try PronouncingDictionary.load(environment: environment) }
        }
    }

    /// A dictionary the caller has loaded already.
    public init(_ dictionary: PronouncingDictionary) {
        load = { .success(dictionary) }
        loaded.withLockedValue { $0 = .success(dictionary) }
    }

    /// The dictionary (loaded on the first call; later calls, and a failure, are remembered).
    public func dictionary() throws(PronouncingDictionaryError) -> PronouncingDictionary {
        try loaded.withLockedValue { loaded in
            if let loaded { return loaded }
            let result = load()
            loaded = result
            return result
        }.get()
    }
}
