import Foundation
import MusicTestSupport
@testable import SongLyrics
import Testing

@Suite struct PronunciationTests {
    let dictionary: PronouncingDictionary

    init() throws { dictionary = try TestDictionary.load() }

    @Test func loadsTheWholeFestivalDictionary() {
        #expect(dictionary.count > 100_000)
    }

    @Test(arguments: [
        ("music", [Stress.primary, .none]),
        ("tonight", [.none, .primary]),
        ("city", [.primary, .none]),
        ("night", [.primary]),
        ("education", [.secondary, .none, .primary, .none]),
        ("understand", [.secondary, .none, .primary]),
        ("highway", [.primary, .secondary]),
    ])
    func knownWordsHaveTheirSyllablesAndStress(word: String, stresses: [Stress]) throws {
        let pronunciation = try #require(dictionary.lookup(word))
        #expect(pronunciation.stresses == stresses)
        #expect(pronunciation.isFromDictionary)
    }

    @Test func phonemesAndRhymePartComeFromTheDictionary() throws {
        let night = try #require(dictionary.lookup("Night"))
        #expect(night.phonemes == ["n", "ay", "t"])
        #expect(night.rhyme == ["ay", "t"])
        #expect(try #require(dictionary.lookup("tomorrow")).rhyme == ["aa", "r", "ow"])
    }

    @Test func rhymesAreDecidedByPronunciation() {
        #expect(dictionary.rhymes("night", "light"))
        #expect(dictionary.rhymes("tonight", "bright"))
        #expect(dictionary.rhymes("city", "pretty"))
        #expect(!dictionary.rhymes("night", "nice"))
        #expect(!dictionary.rhymes("night", "night"))
        #expect(!dictionary.rhymes("love", "move"))  // eye rhyme only
    }

    @Test func contractionsAreOneSyllable() {
        #expect(dictionary.pronunciation(of: "we're").syllables.count == 1)
        #expect(dictionary.pronunciation(of: "I'm").syllables.count == 1)
    }

    @Test(arguments: [("zorblax", 2), ("glimmerdoodle", 4), ("skrimbled", 2), ("blorpaline", 3), ("quibbo", 2)])
    func inventedWordsGetSyllablesFromSpelling(word: String, syllables: Int) {
        #expect(dictionary.lookup(word) == nil)
        let guess = dictionary.pronunciation(of: word)
        #expect(!guess.isFromDictionary)
        #expect(guess.syllables.count == syllables)
        #expect(guess.stresses.filter { $0 == .primary }.count == 1)
        #expect(!guess.rhyme.isEmpty)
    }

    @Test func inventedWordsRhymeBySpelling() {
        #expect(dictionary.rhymes("zanight", "blorkight"))  // -ight
        #expect(!dictionary.rhymes("zanight", "blorkoon"))
    }

    @Test func letterToSoundHandlesCommonEnglishEndings() {
        let count = { (word: String) in LetterToSound.pronounce(word).syllables.count }
        #expect(count("table") == 2)  // -le is sung
        #expect(count("jumped") == 1)  // silent -ed
        #expect(count("wanted") == 2)  // -ed after t
        #expect(count("boxes") == 2)
        #expect(count("hopes") == 1)
        #expect(count("neon") == 2)
        #expect(count("radio") == 3)
        #expect(count("station") == 2)
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: PronouncingDictionaryError.self) {
            try PronouncingDictionary(contentsOf: "/nonexistent/cmudict.out")
        }
        let error = PronouncingDictionaryError.fileMissing(searched: ["/x"])
        #expect(error.description.contains("festlex-cmu"))
    }

    /// A festival-format file with two good entries (one listed twice) and malformed lines.
    static func writeSmallLexicon() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lex-\(UUID().uuidString).out")
        let text = """
            MNCL
            ("hello" nil (((hh ax) 0) ((l ow) 1)))
            ("broken" nil (((b r ow
            ("hello" n (((hh eh) 1) ((l ow) 0)))
            ("sky" nil (((s k ay) 1)))
            garbage line
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func theEnvironmentNamesTheCopyToLoadElseDebiansIsUsed() throws {
        let url = try Self.writeSmallLexicon()
        defer { try? FileManager.default.removeItem(at: url) }
        let named = try PronouncingDictionary.load(environment: [PronouncingDictionary.environmentVariable: url.path])
        #expect(named.path == url.path && named.count == 2)
        let fallback = try PronouncingDictionary.load(
            environment: [PronouncingDictionary.environmentVariable: "/nonexistent/cmudict.out"])
        #expect(fallback.path == PronouncingDictionary.debianPath)
        #expect(try PronouncingDictionary.load(environment: [:]).path == PronouncingDictionary.debianPath)
    }

    @Test func parsesFestivalEntriesAndSkipsMalformedLines() throws {
        let url = try Self.writeSmallLexicon()
        defer { try? FileManager.default.removeItem(at: url) }
        let small = try PronouncingDictionary(contentsOf: url.path)
        #expect(small.count == 2)
        #expect(small.lookup("hello")?.stresses == [.none, .primary])  // first reading kept
        #expect(small.lookup("broken") == nil)
        #expect(small.rhymes("sky", "fly") == false)  // "fly" is not in this small file: a spelling guess
    }
}
