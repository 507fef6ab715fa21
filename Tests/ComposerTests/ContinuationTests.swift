import Foundation
import MusicTestSupport
import MusicTheory
import SongBrief
import SongLyrics
import Testing

@testable import Composer

/// Continuations (`music/extend`): the song before the continuation is the original note for note, the
/// continuation is the same song (key, tempo, meter, band, the chorus's tune) and it fits the longest length.
@Suite("Continuations")
struct ContinuationTests {
    let dictionary: PronouncingDictionary

    init() throws { dictionary = try TestDictionary.load() }

    static let words = """
        [Verse]
        Streetlights hum along the avenue
        Every window glowing like a memory of you

        [Chorus]
        Hold on, we're running out of time
        Hold on until the morning light
        """

    static let moreWords = """
        [Verse]
        Engines fade and the city falls asleep
        Every promise that we made is ours to keep
        """

    /// The notes each non-vocal part plays before `start`, clipped to it (what a continuation keeps).
    static func prefix(_ score: Score, before start: Rational) -> [String: [Note]] {
        var parts: [String: [Note]] = [:]
        for part in score.parts where part.role != .vocal {
            parts[part.name] = part.notes.filter { $0.start < start }.map {
                var note = $0
                note.duration = min(note.duration, start - note.start)
                return note
            }
        }
        return parts
    }

    /// A part's notes inside `section`, in time from the section's start.
    static func notes(of part: String, in section: Section, _ score: Score) -> [Note] {
        let start = score.start(ofBar: section.startBar), end = score.start(ofBar: section.startBar + section.bars)
        return (score.parts.first { $0.name == part }?.notes ?? []).filter { $0.start >= start && $0.start < end }.map {
            var note = $0
            note.start -= start
            return note
        }
    }

    /// Where the original's ending began: its wordless outro is what a continuation replaces.
    static func continuationStart(of original: Score) throws -> Rational {
        let outro = try #require(original.sections.last)
        #expect(outro.kind == .outro)
        return original.start(ofBar: outro.startBar)
    }

    @Test(arguments: [Genre.pop, .rock, .synthwave, .jazz, .house])
    func anInstrumentalGoesOnFromWhereItsOutroBegan(genre: Genre) throws {
        var brief = Fixtures.brief(genre, seconds: 90, requested: true)
        brief.maxSeconds = 300
        let original = SongComposer().compose(brief)
        let extended = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 11)])
        let longer = extended.score
        let start = try Self.continuationStart(of: original)
        #expect(extended.continuationStarts == [start])

        // Note for note the original up to its outro, every part.
        #expect(Self.prefix(longer, before: start) == Self.prefix(original, before: start))
        #expect(longer.sections.prefix(original.sections.count - 1) == original.sections.dropLast())
        // The same song: tempo, key, meter, band.
        #expect(longer.bpm == original.bpm && longer.key == original.key && longer.meter == original.meter)
        #expect(longer.parts.map(\.name) == original.parts.map(\.name))
        #expect(longer.parts.map(\.instrument) == original.parts.map(\.instrument))
        #expect(longer.title == original.title)
        // Longer, within the model's longest song, and ending on an outro.
        #expect(longer.bars >= original.bars + 4)
        #expect(longer.durationSeconds + Performer.ringOutSeconds <= 300)
        #expect(longer.sections.last?.kind == .outro)
        // The chorus comes back with its tune: the lead plays the new chorus exactly as the first one (the new
        // chorus is the song's last, which lifts with octave doublings on top of the same tune).
        let choruses = longer.sections.filter { $0.kind == .chorus }
        let added = try #require(choruses.last)
        #expect(longer.start(ofBar: added.startBar) >= start)
        let lead = try #require(longer.parts.first { $0.role == .lead }).name
        let firstChorus = try #require(original.sections.first { $0.kind == .chorus })
        #expect(!Self.notes(of: lead, in: added, longer).isEmpty)
        #expect(
            Analysis.withoutOctaveDoublings(Self.notes(of: lead, in: added, longer))
                == Self.notes(of: lead, in: firstChorus, original))
        // Every note of the continuation is in the song's key (chord tones of its own progressions).
        #expect(longer.chords.allSatisfy { $0.start + $0.duration <= longer.length })
    }

    @Test func theSameRequestGivesTheSameContinuationAndSeedsChooseItsShape() throws {
        let brief = Fixtures.brief(.pop, seconds: 90, requested: true)
        let one = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 1)]).score
        let again = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 1)]).score
        #expect(one == again)
        let shapes = Set(try (0..<12).map { seed in
            try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: seed)]).score.sections
                .map(\.label)
        })
        #expect(shapes.count >= 3, "seeds gave only \(shapes)")
    }

    @Test func aSungSongSingsItsChorusAgainWithTheSameTune() throws {
        var brief = Fixtures.brief(.pop, seconds: 300)
        brief.voice = .female
        brief.maxSeconds = 300
        let lyrics = LyricsParser(dictionary: dictionary).parse(Self.words)
        let original = SongComposer().compose(brief, lyrics: lyrics)
        let extended = try SongComposer().compose(brief, lyrics: lyrics, continuations: [Continuation(seed: 2)]).score
        let start = try Self.continuationStart(of: original)
        let before = try #require(original.vocal), after = try #require(extended.vocal)

        #expect(Self.prefix(extended, before: start) == Self.prefix(original, before: start))
        #expect(after.lead.filter { $0.note.start < start } == before.lead)
        #expect(after.lines.prefix(before.lines.count).map(\.text) == before.lines.map(\.text))
        // The continuation sings the chorus's words on the chorus's tune.
        let chorusLines = before.lines.filter { $0.sectionLabel == "Chorus" }
        let newLines = after.lines.filter { $0.start >= start }
        #expect(newLines.map(\.text).starts(with: chorusLines.map(\.text)))
        let firstChorus = try #require(original.sections.first { $0.kind == .chorus })
        let newChorus = try #require(extended.sections.last { $0.kind == .chorus })
        let tune = { (line: VocalLine, section: Section, score: Score) -> [Int] in
            let from = score.start(ofBar: section.startBar), to = score.start(ofBar: section.startBar + section.bars)
            return line.lead.filter { $0.note.start >= from && $0.note.start < to }.map(\.note.pitch.midi)
        }
        #expect(!tune(after, newChorus, extended).isEmpty)
        #expect(tune(after, newChorus, extended) == tune(before, firstChorus, original))
        // The whole song's words: the original's, then the chorus again.
        #expect(after.lyrics.sections.count > before.lyrics.sections.count)
        #expect(after.lyrics.taggedText.hasPrefix(before.lyrics.taggedText))
        #expect(extended.parts.filter { $0.role == .vocal }.map(\.name) == original.parts.filter { $0.role == .vocal }.map(\.name))
    }

    @Test func newLyricsAreSungInTheContinuation() throws {
        var brief = Fixtures.brief(.rock, seconds: 300)
        brief.voice = .male
        brief.maxSeconds = 300
        let parser = LyricsParser(dictionary: dictionary)
        let original = SongComposer().compose(brief, lyrics: parser.parse(Self.words))
        let extended = try SongComposer().compose(
            brief, lyrics: parser.parse(Self.words),
            continuations: [Continuation(lyrics: parser.parse(Self.moreWords), seed: 3)]).score
        let start = try Self.continuationStart(of: original)
        let vocal = try #require(extended.vocal)
        let sungAfter = vocal.lines.filter { $0.start >= start }.map(\.text)
        #expect(sungAfter == ["Engines fade and the city falls asleep", "Every promise that we made is ours to keep"])
        #expect(vocal.lyrics.taggedText.contains("[Verse 2]\nEngines fade"))
        #expect(extended.sections.last?.kind == .outro)
        #expect(Self.prefix(extended, before: start) == Self.prefix(original, before: start))
    }

    @Test func wordsNeedASinger() throws {
        let brief = Fixtures.brief(.pop, seconds: 90, requested: true)
        let words = LyricsParser(dictionary: dictionary).parse(Self.moreWords)
        #expect(throws: ContinuationError.self) {
            try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(lyrics: words, seed: 1)])
        }
    }

    @Test func aContinuationFitsTheLongestSongOrIsRefused() throws {
        var brief = Fixtures.brief(.pop, seconds: 150, requested: true)
        brief.maxSeconds = 200
        let fitted = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 5)]).score
        #expect(fitted.durationSeconds + Performer.ringOutSeconds <= 200)
        #expect(fitted.bars > SongComposer().compose(brief).bars)

        brief.maxSeconds = 155
        #expect(throws: ContinuationError.self) {
            try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 5)])
        }
    }

    @Test func aNewFeelMovesTheBandButKeepsTheTune() throws {
        let brief = Fixtures.brief(.pop, seconds: 90, requested: true)
        let feel = try #require(PromptParser().continuationFeel(for: "calm, soft and peaceful", continuing: brief))
        #expect(feel.energy < brief.energy)
        #expect(PromptParser().continuationFeel(for: "the rest of the song", continuing: brief) == nil)
        let plain = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 4)])
        let calmer = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(feel: feel, seed: 4)])
        let start = try #require(calmer.continuationStarts.first)
        #expect(plain.score.sections == calmer.score.sections)
        let lead = try #require(brief.instruments.first { $0.role == .lead })
        let name = try #require(calmer.score.parts.first { $0.instrument == lead.instrument }).name
        #expect(plain.score.parts.first { $0.name == name } == calmer.score.parts.first { $0.name == name })
        func loudness(_ score: Score) -> Double {
            let notes = score.parts.filter { $0.role != .lead }.flatMap(\.notes).filter { $0.start >= start }
            return Double(notes.map(\.velocity).reduce(0, +)) / Double(max(notes.count, 1))
        }
        #expect(loudness(calmer.score) < loudness(plain.score) - 3)
        #expect(Self.prefix(calmer.score, before: start) == Self.prefix(plain.score, before: start))
    }

    @Test func anExtensionCanBeExtendedAgain() throws {
        let brief = Fixtures.brief(.synthwave, seconds: 75, requested: true)
        let once = try SongComposer().compose(brief, lyrics: nil, continuations: [Continuation(seed: 1)])
        let twice = try SongComposer().compose(
            brief, lyrics: nil, continuations: [Continuation(seed: 1), Continuation(seed: 2)])
        #expect(twice.continuationStarts.first == once.continuationStarts.first)
        let second = try #require(twice.continuationStarts.last)
        #expect(second > (once.continuationStarts.first ?? 0))
        #expect(Self.prefix(twice.score, before: second) == Self.prefix(once.score, before: second))
        #expect(twice.score.bars > once.score.bars)
    }
}
