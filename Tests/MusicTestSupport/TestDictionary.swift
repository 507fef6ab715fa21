import Foundation
import SongLyrics

/// The pronouncing dictionary the music tests share: loaded once per test process (parsing it takes seconds in a
/// debug build), from the copy the environment names or else Debian's. A missing file fails the tests that need
/// it with the dictionary's own error.
public enum TestDictionary {
    private static let loaded = Result { () throws(PronouncingDictionaryError) in
        try PronouncingDictionary.load(environment: ProcessInfo.processInfo.environment)
    }

    public static func load() throws(PronouncingDictionaryError) -> PronouncingDictionary { try loaded.get() }
}
