@testable import Composer
import MusicTheory
import SongBrief
import Testing

@Suite("Harmony")
struct HarmonyTests {
    @Test("every progression and cadence in every genre's vocabulary parses")
    func vocabularyParses() {
        for genre in Genre.allCases {
            let vocabulary = HarmonyVocabulary.forGenre(genre)
            for tonality in [vocabulary.major, vocabulary.minor] {
                for text in tonality.verses + tonality.choruses + tonality.bridges + [tonality.halfCadence, tonality.fullCadence] {
                    #expect(Progression(text) != nil, "\(genre): \(text)")
                }
                #expect(tonality.verses.allSatisfy { Progression($0)?.bars.first?.first?.isTonic == true }, "\(genre)")
            }
        }
    }

    @Test("roman numerals resolve to the right chords")
    func romanNumerals() throws {
        let key = Key(.a, .minor)
        #expect(try #require(RomanChord("bVImaj7")).chord(in: key) == Chord(.f, .major7))
        #expect(try #require(RomanChord("iih7")).chord(in: key) == Chord(.b, .halfDiminished7))
        #expect(try #require(RomanChord("V7")).chord(in: key) == Chord(.e, .dominant7))
        #expect(try #require(RomanChord("iv9")).chord(in: key) == Chord(.d, .minor9))
        #expect(RomanChord("X7") == nil)
        #expect(RomanChord("Vfoo") == nil)
    }

    @Test("the song starts and ends on the tonic chord, in every genre, major and minor", arguments: Genre.allCases)
    func tonicFrame(genre: Genre) throws {
        for key in [Key(.d, .major), Key(.fSharp, .minor)] {
            let score = SongComposer().compose(Fixtures.brief(genre, key: key))
            let first = try #require(score.chords.first?.chord)
            let last = try #require(score.chords.last?.chord)
            for chord in [first, last] {
                #expect(chord.root == key.tonic, "\(genre) \(key): \(chord)")
                #expect(chord.quality.intervals.contains(key.mode.isMinor ? .minorThird : .majorThird), "\(genre) \(key): \(chord)")
            }
            let end = score.chords.last.map { $0.start + $0.duration }
            #expect(end == score.length)
        }
    }

    @Test("choruses use a different progression from verses, and the bridge goes elsewhere")
    func sectionsDiffer() throws {
        for genre in [Genre.pop, .rock, .synthwave, .jazz, .house, .trap] {
            let score = SongComposer().compose(Fixtures.brief(genre, seconds: 200))
            func chords(_ kind: SectionKind) -> [Chord] {
                guard let section = score.sections.first(where: { $0.kind == kind }) else { return [] }
                let start = score.start(ofBar: section.startBar)
                let end = score.start(ofBar: section.startBar + section.bars)
                return score.chords.filter { $0.start >= start && $0.start < end }.map(\.chord)
            }
            #expect(chords(.verse) != chords(.chorus), "\(genre)")
            let contrast = chords(.bridge) + chords(.breakdown)
            if let opening = contrast.first {
                #expect(opening.root != score.key.tonic, "\(genre) bridge starts on \(opening)")
            }
        }
    }

    @Test("the notes' pitch-class histogram points at the brief's key, every genre, major and minor",
          arguments: Genre.allCases)
    func histogramFindsKey(genre: Genre) {
        for (index, key) in [Key(.c, .major), Key(.a, .minor), Key(.eFlat, .major), Key(.fSharp, .minor),
                             Key(.g, .major), Key(.e, .minor)].enumerated() {
            let score = SongComposer().compose(Fixtures.brief(genre, key: key, seed: UInt64(index + 1)))
            let estimate = Analysis.estimatedKey(score)
            #expect(estimate.tonic == key.tonic && estimate.mode.isMinor == key.mode.isMinor,
                    "\(genre) in \(key) sounds like \(estimate)")
        }
    }

    @Test("voice leading keeps comping voicings close")
    func voiceLeading() {
        var leader = VoiceLeader(range: 55...76)
        let key = Key(.c, .major)
        var previous: [Int] = []
        var totalMovement = 0
        for numeral in ["I", "V", "vi", "IV", "I", "V", "vi", "IV"] {
            guard let chord = RomanChord(Substring(numeral))?.chord(in: key) else { continue }
            let voicing = leader.voice(chord)
            #expect(voicing.allSatisfy { (55...76).contains($0) })
            if !previous.isEmpty {
                totalMovement += voicing.map { pitch in previous.map { abs($0 - pitch) }.min() ?? 0 }.reduce(0, +)
            }
            previous = voicing
        }
        // Seven changes of three voices: smooth leading moves about two semitones per voice, not leaps.
        #expect(totalMovement <= 7 * 3 * 2)
    }
}
