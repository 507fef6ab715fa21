@testable import Composer
import Foundation
import MusicTestSupport
import MusicTheory
import SongBrief
import SongLyrics
import Testing

/// Measures of a vocal line against the rules of setting words to a melody.
enum VocalAnalysis {
    struct Figures: CustomStringConvertible {
        var stressed = 0, stressedOnBeat = 0, stressedOnStrong = 0
        var intervals = 0, steps = 0, leaps = 0, resolvedLeaps = 0
        var lineEnds = 0, lineEndsOnChordTones = 0, lineEndsStable = 0
        var notes = 0, outOfRange = 0

        var stressOnBeat: Double { Double(stressedOnBeat) / Double(max(stressed, 1)) }
        var stressOnStrong: Double { Double(stressedOnStrong) / Double(max(stressed, 1)) }
        var stepShare: Double { Double(steps) / Double(max(intervals, 1)) }
        var description: String {
            "stressed on beats \(percent(stressOnBeat)) (downbeat/mid-bar \(percent(stressOnStrong))) of \(stressed), "
                + "steps \(percent(stepShare)) of \(intervals), leaps>5 \(leaps) resolved \(resolvedLeaps), "
                + "line ends on chord tones \(lineEndsOnChordTones)/\(lineEnds) stable \(lineEndsStable), "
                + "out of range \(outOfRange)/\(notes)"
        }
        private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded())) %" }

        static func + (a: Figures, b: Figures) -> Figures {
            var sum = a
            sum.stressed += b.stressed; sum.stressedOnBeat += b.stressedOnBeat; sum.stressedOnStrong += b.stressedOnStrong
            sum.intervals += b.intervals; sum.steps += b.steps; sum.leaps += b.leaps; sum.resolvedLeaps += b.resolvedLeaps
            sum.lineEnds += b.lineEnds; sum.lineEndsOnChordTones += b.lineEndsOnChordTones
            sum.lineEndsStable += b.lineEndsStable; sum.notes += b.notes; sum.outOfRange += b.outOfRange
            return sum
        }
    }

    static func offset(_ time: Rational, _ meter: Meter) -> Rational {
        time - meter.barLength * (time / meter.barLength).floor
    }

    /// The lead notes of each sung line (a line owns the notes that start inside its span).
    static func lineNotes(_ vocal: VocalLine) -> [[SungSyllable]] {
        vocal.lines.map { line in vocal.lead.filter { $0.note.start >= line.start && $0.note.start < line.end } }
            .filter { !$0.isEmpty }
    }

    static func figures(_ score: Score) -> Figures {
        guard let vocal = score.vocal else { return Figures() }
        var figures = Figures()
        let meter = score.meter
        let strong = Analysis.strongOffsets(meter)
        let tonic = score.key.tonic.value
        let stable: Set<Int> = [tonic, (tonic + (score.key.mode.isMinor ? 3 : 4)) % 12, (tonic + 7) % 12]
        for note in vocal.lead {
            figures.notes += 1
            if !vocal.voice.range.contains(note.note.pitch.midi) { figures.outOfRange += 1 }
            guard !note.isContinuation,
                  VocalMelodyWriter.isStressed(note.syllable, word: note.word, syllableCount: note.syllableCount),
                  note.syllableCount == 1 || note.syllable.stress == .primary else { continue }
            figures.stressed += 1
            let position = offset(note.note.start, meter)
            if meter.pulses.contains(position) { figures.stressedOnBeat += 1 }
            if strong.contains(position) { figures.stressedOnStrong += 1 }
        }
        for line in lineNotes(vocal) {
            let pitches = line.map(\.note.pitch.midi)
            for index in 1..<max(pitches.count, 1) {
                let move = pitches[index] - pitches[index - 1]
                figures.intervals += 1
                if abs(move) <= 2 { figures.steps += 1 }
                if abs(move) > 5, index + 1 < pitches.count {
                    figures.leaps += 1
                    let next = pitches[index + 1] - pitches[index]
                    if next * move < 0 { figures.resolvedLeaps += 1 }
                }
            }
            if let last = line.last, let chord = Analysis.chord(at: last.note.start, in: score) {
                figures.lineEnds += 1
                let pitchClass = last.note.pitch.midi % 12
                if chord.pitchClasses.map(\.value).contains(pitchClass) { figures.lineEndsOnChordTones += 1 }
                if stable.contains(pitchClass) { figures.lineEndsStable += 1 }
            }
        }
        return figures
    }
}

@Suite struct VocalMelodyTests {
    let dictionary: PronouncingDictionary
    let parser: LyricsParser

    init() throws {
        dictionary = try TestDictionary.load()
        parser = LyricsParser(dictionary: dictionary)
    }

    static let userLyrics = """
        [Intro]
        [Verse 1]
        Headlights on the empty road tonight
        Every sign is pointing back to you
        [spoken] I keep the radio low
        Counting all the miles I left behind

        [Chorus]
        Hold on (hold on), we're running out of time
        Hold on, the city's burning bright
        Nothing but the neon in our eyes
        Hold on (hold on) till the morning light

        [Verse 2]
        Yesterday was easy, now it's gone
        Every window flashing gold and blue
        (oh oh oh)
        Maybe I was wrong to let you go

        [Chorus]
        Hold on (hold on), we're running out of time
        Hold on, the city's burning bright
        Nothing but the neon in our eyes
        Hold on (hold on) till the morning light

        [Guitar Solo]
        [Solo]
        [Bridge]
        And if the night should fall apart
        I'll find you in the dark

        [Chorus]
        Hold on (hold on), we're running out of time
        Hold on, the city's burning bright
        Nothing but the neon in our eyes
        Hold on (hold on) till the morning light
        """

    static func brief(_ genre: Genre, voice: VoiceType = .female, seed: UInt64 = 7, bpm: Int? = nil,
                      meter: Meter = .fourFour, key: Key? = nil) -> Brief {
        var brief = Fixtures.brief(genre, key: key, meter: meter, bpm: bpm, seed: seed)
        brief.voice = voice
        brief.maxSeconds = 300
        return brief
    }

    func userSong(_ genre: Genre = .pop, voice: VoiceType = .female, seed: UInt64 = 7) -> Score {
        SongComposer().compose(Self.brief(genre, voice: voice, seed: seed), lyrics: parser.parse(Self.userLyrics))
    }

    func writtenSong(_ genre: Genre, voice: VoiceType = .female, seed: UInt64 = 7, bpm: Int? = nil,
                     meter: Meter = .fourFour, key: Key? = nil) -> Score {
        let brief = Self.brief(genre, voice: voice, seed: seed, bpm: bpm, meter: meter, key: key)
        return SongComposer().compose(brief, lyrics: LyricWriter(dictionary: dictionary).write(for: brief).lyrics)
    }

    /// Songs across genres, tempos, meters, keys and both voices.
    var corpus: [Score] {
        [userSong(), userSong(.rock, voice: .male, seed: 3), userSong(.rnb, seed: 11)]
            + [Genre.pop, .rock, .country, .hipHop, .house, .synthwave, .folk, .jazz, .metal, .reggae, .lofi, .drumAndBass]
            .enumerated().map { index, genre in
                writtenSong(genre, voice: index % 2 == 0 ? .female : .male, seed: UInt64(20 + index))
            }
            + [writtenSong(.folk, meter: .threeFour, key: Key(.d, .major)),
               writtenSong(.country, voice: .male, meter: .sixEight),
               writtenSong(.pop, bpm: 160), writtenSong(.rnb, bpm: 68, key: Key(.fSharp, .minor))]
    }

    // MARK: Words -> notes

    @Test func everyLeadSyllableGetsExactlyOneNotePlusContinuations() {
        for score in corpus {
            let vocal = try! #require(score.vocal)
            let expected = vocal.lyrics.lines.flatMap(\.leadWords).flatMap { word in
                word.syllables.map { "\(word.text)/\($0.text)" }
            }
            let sung = vocal.lead.filter { !$0.isContinuation }.map { "\($0.word)/\($0.syllable.text)" }
            #expect(sung == expected, "\(score.brief.genre)")
            // A continuation always follows a note of the same syllable.
            for (index, note) in vocal.lead.enumerated() where note.isContinuation {
                #expect(index > 0 && vocal.lead[index - 1].syllable == note.syllable)
            }
            // Lead notes never overlap.
            for (earlier, later) in zip(vocal.lead, vocal.lead.dropFirst()) {
                #expect(earlier.note.end <= later.note.start)
            }
        }
    }

    @Test func userLyricsAreSungWordForWordBracketsNeverBackingSeparately() {
        let score = userSong()
        let vocal = try! #require(score.vocal)
        let lyrics = parser.parse(Self.userLyrics)
        let leadWords = lyrics.lines.flatMap(\.leadWords).map(\.text)
        let sungLead = vocal.lead.filter { !$0.isContinuation && $0.syllableIndex == 0 }.map(\.word)
        #expect(sungLead == leadWords)
        let backingWords = lyrics.lines.flatMap(\.backingWords).map(\.text)
        #expect(vocal.backing.filter { !$0.isContinuation && $0.syllableIndex == 0 }.map(\.word) == backingWords)
        let allSung = Set((vocal.lead + vocal.backing).map { $0.word.lowercased() })
        for never in ["spoken", "guitar", "solo", "intro"] { #expect(!allSung.contains(never)) }
        #expect(vocal.lyrics.taggedText.contains("I keep the radio low"))
        #expect(!vocal.lyrics.taggedText.contains("spoken"))
    }

    @Test func formFollowsTheLyricSections() {
        let score = userSong()
        let lyrics = parser.parse(Self.userLyrics)
        // The lyrics open with their own intro; an outro is added after the last chorus.
        #expect(score.sections.map(\.label) == lyrics.sections.map(\.label) + ["Outro"])
        #expect(score.sections.map(\.kind) == lyrics.sections.map(\.kind) + [.outro])
        for (section, lyric) in zip(score.sections, lyrics.sections) {
            #expect(section.bars % 4 == 0, "\(section.label) \(section.bars) bars")
            let sung = score.vocal!.lead.filter {
                $0.note.start >= score.start(ofBar: section.startBar)
                    && $0.note.start < score.start(ofBar: section.startBar + section.bars)
            }
            #expect(sung.isEmpty == lyric.lines.isEmpty, "\(section.label)")
        }
        // Lines without a tag still get a form; written lyrics decide the form the same way.
        let brief = Self.brief(.pop)
        let written = LyricWriter(dictionary: dictionary).write(for: brief)
        let song = SongComposer().compose(brief, lyrics: written.lyrics)
        #expect(song.sections.map(\.label) == ["Intro"] + written.lyrics.sections.map(\.label) + ["Outro"])
    }

    @Test func lengthFollowsTheLyricsWithinMaxSeconds() {
        let lyrics = parser.parse(Self.userLyrics)
        var brief = Self.brief(.pop)
        let full = SongComposer().compose(brief, lyrics: lyrics)
        brief.maxSeconds = 60
        let short = SongComposer().compose(brief, lyrics: lyrics)
        #expect(short.durationSeconds + Performer.ringOutSeconds <= 60)
        #expect(short.sections.count < full.sections.count)
        // What is sung is what the vocal line says it sings.
        let words = short.vocal!.lyrics.lines.flatMap(\.leadWords).count
        #expect(short.vocal!.lead.filter { !$0.isContinuation && $0.syllableIndex == 0 }.count == words)
    }

    @Test("a stated length is kept within 10 % when the words would end early or run long", arguments: [30.0, 60.0, 150.0])
    func statedLengthHoldsForVocalSongs(_ seconds: Double) {
        for (index, genre) in [Genre.pop, .synthwave, .rock].enumerated() {
            var brief = Self.brief(genre, seed: UInt64(40 + index))
            brief.targetSeconds = seconds
            brief.lengthWasRequested = true
            let written = LyricWriter(dictionary: dictionary).write(for: brief).lyrics
            for lyrics in [written, parser.parse(Self.userLyrics)] {
                let score = SongComposer().compose(brief, lyrics: lyrics)
                let length = score.durationSeconds + Performer.ringOutSeconds
                #expect(abs(length / seconds - 1) <= 0.1, "\(genre) \(seconds) s: \(length) s, \(score.sections.map(\.label))")
                #expect(score.vocal != nil && !(score.vocal?.lead.isEmpty ?? true))
            }
        }
    }

    // MARK: Melody rules

    @Test func melodyRulesHoldAcrossGenresAndVoices() {
        var total = VocalAnalysis.Figures()
        for score in corpus {
            let figures = VocalAnalysis.figures(score)
            print("vocal \(score.brief.genre) \(score.bpm) bpm \(score.meter) \(score.vocal!.voice): \(figures)")
            #expect(figures.stressOnBeat >= 0.8, "\(score.brief.genre): \(figures)")
            #expect(figures.outOfRange == 0)
            #expect(figures.stepShare >= 0.6, "\(score.brief.genre): \(figures)")
            #expect(figures.resolvedLeaps == figures.leaps, "\(score.brief.genre): \(figures)")
            #expect(figures.lineEndsOnChordTones == figures.lineEnds, "\(score.brief.genre): \(figures)")
            total = total + figures
        }
        print("vocal rules over \(corpus.count) songs: \(total)")
    }

    @Test func lastLineOfASectionEndsOnTheTonicWhenTheChordHoldsIt() {
        for score in corpus {
            let vocal = score.vocal!
            for section in score.sections {
                let start = score.start(ofBar: section.startBar), end = score.start(ofBar: section.startBar + section.bars)
                guard let last = vocal.lead.last(where: { $0.note.start >= start && $0.note.start < end }),
                      let chord = Analysis.chord(at: last.note.start, in: score),
                      chord.coreTones.contains(score.key.tonic) else { continue }
                #expect(last.note.pitch.midi % 12 == score.key.tonic.value, "\(score.brief.genre) \(section.label)")
            }
        }
    }

    @Test func choruseswithTheSameWordsSingTheSameTune() {
        for score in [userSong(), writtenSong(.pop), writtenSong(.rock, voice: .male)] {
            let vocal = score.vocal!
            let choruses = score.sections.filter { $0.kind == .chorus }
            // Three written choruses; a song shorter than two minutes sings its last chorus again to get there.
            #expect(choruses.count >= 3)
            func tune(_ section: Section) -> [String] {
                let start = score.start(ofBar: section.startBar), end = score.start(ofBar: section.startBar + section.bars)
                return (vocal.lead + vocal.backing).filter { $0.note.start >= start && $0.note.start < end }.map {
                    "\($0.note.start - start) \($0.note.duration) \($0.note.pitch.midi) \($0.syllable.text)"
                }
            }
            let first = tune(choruses[0])
            #expect(!first.isEmpty)
            for chorus in choruses.dropFirst() { #expect(tune(chorus) == first) }
        }
    }

    /// Words are understood when they are sung near the pace they are spoken at: slow, stretched syllables and
    /// long held line endings are what a listener (and a recogniser) loses first (docs/modules/voice.md).
    @Test func wordsAreSungNearSpeakingPace() {
        for score in corpus {
            let vocal = score.vocal!
            let secondsPerQuarter = 60 / Double(score.bpm)
            // A syllable lasts from its note's start to the end of its last melisma note.
            var syllables: [(start: Rational, end: Rational)] = []
            for sung in vocal.lead {
                if sung.isContinuation, !syllables.isEmpty { syllables[syllables.count - 1].end = sung.note.end }
                else { syllables.append((sung.note.start, sung.note.end)) }
            }
            let lineEnds = Set(vocal.lines.map(\.end))
            let seconds = { (syllable: (start: Rational, end: Rational)) in
                (syllable.end - syllable.start).doubleValue * secondsPerQuarter
            }
            let inside = syllables.filter { !lineEnds.contains($0.end) }.map(seconds).sorted()
            let endings = syllables.filter { lineEnds.contains($0.end) }.map(seconds)
            let median = inside[inside.count / 2]
            let label = "\(score.brief.genre) \(score.bpm) bpm \(score.meter)"
            let longestEnding = endings.max() ?? 0
            print("pace \(label): median syllable \(Int(median * 1_000)) ms, longest ending \(Int(longestEnding * 1_000)) ms")
            #expect(median <= 0.4, "\(label)")
            // Held at most 0.6 s, or two grid steps where one is longer than that (0.75 s at 160 bpm).
            #expect(longestEnding <= 0.76, "\(label): \(longestEnding)")
        }
    }

    @Test func linesAreSeparatedByRestsAndShortLinesGetMelismas() {
        let score = userSong()
        let vocal = score.vocal!
        for (line, next) in zip(vocal.lines, vocal.lines.dropFirst()) {
            #expect(line.end <= next.start, "\(line.text)")
        }
        // "I'll find you in the dark" has 6 syllables over its bars: it holds notes as melismas.
        #expect(vocal.lead.contains { $0.isContinuation })
    }

    @Test func backingWordsEchoAThirdBelowAfterTheLead() {
        let vocal = userSong().vocal!
        #expect(!vocal.backing.isEmpty)
        for note in vocal.backing { #expect(vocal.voice.range.contains(note.note.pitch.midi)) }
        // "Hold on (hold on)": the echo comes after the lead's line and sings the lead's "hold on" a third below
        // (or a sixth above near the bottom of the range).
        let echo = vocal.backing.filter { $0.word.lowercased() == "hold" }
        #expect(echo.count == 6)  // two lines in each of three choruses
        for note in echo {
            let before = vocal.lead.last { $0.note.start < note.note.start }!
            #expect(note.note.start >= before.note.end)
            let sungHold = vocal.lead.last { $0.note.start < note.note.start && $0.word.lowercased() == "hold" }!
            let interval = sungHold.note.pitch.midi - note.note.pitch.midi
            #expect([3, 4].contains(interval) || [-8, -9].contains(interval), "\(interval)")
        }
    }

    @Test func voicesSingInTheirOwnRanges() {
        let female = userSong(voice: .female), male = userSong(voice: .male)
        let femaleMean = Double(female.vocal!.lead.map(\.note.pitch.midi).reduce(0, +)) / Double(female.vocal!.lead.count)
        let maleMean = Double(male.vocal!.lead.map(\.note.pitch.midi).reduce(0, +)) / Double(male.vocal!.lead.count)
        #expect(femaleMean - maleMean >= 9)
        #expect(female.vocal!.lead.allSatisfy { VoiceType.female.range.contains($0.note.pitch.midi) })
        #expect(male.vocal!.lead.allSatisfy { VoiceType.male.range.contains($0.note.pitch.midi) })
    }

    // MARK: The band around the voice

    @Test func theLeadInstrumentRestsWhereTheVoiceSings() {
        let score = userSong()
        let vocal = score.vocal!
        let leads = score.parts.filter { $0.role == .lead }
        #expect(!leads.isEmpty)
        for lead in leads {
            for note in lead.notes {
                #expect(!vocal.lines.contains { $0.start < note.end && note.start < $0.end }, "\(lead.name) at \(note.start)")
            }
            // It still plays: in the intro and the solo.
            let solo = score.sections.first { $0.kind == .solo }!
            #expect(lead.notes.contains { $0.start >= score.start(ofBar: solo.startBar) && $0.start < score.start(ofBar: solo.startBar + solo.bars) })
        }
        #expect(score.parts.contains { $0.name == VocalLine.leadPartName && $0.role == .vocal })
    }

    @Test func instrumentalBriefsHaveNoVocal() {
        var brief = Self.brief(.pop)
        brief.voice = nil
        let score = SongComposer().compose(brief, lyrics: parser.parse(Self.userLyrics))
        #expect(score.vocal == nil)
        #expect(!score.parts.contains { $0.role == .vocal })
        #expect(Performer().perform(score).vocal == nil)
        #expect(SongComposer().compose(Self.brief(.pop), lyrics: nil).vocal == nil)
    }

    // MARK: Performance

    @Test func performerSingsInTimeWithTheBand() {
        let score = userSong(.rnb)  // R&B swings its 16ths
        let performance = Performer().perform(score)
        let vocal = try! #require(performance.vocal)
        #expect(vocal.lead.count == score.vocal!.lead.count)
        #expect(vocal.backing.count == score.vocal!.backing.count)
        #expect(!performance.parts.contains { $0.role == .vocal })
        let secondsPerQuarter = 60 / Double(score.bpm)
        for (performed, written) in zip(vocal.lead, score.vocal!.lead) {
            #expect(performed.key == written.note.pitch.midi)
            // Swing moves an off-beat by at most a sixteenth's share; the drift by a few milliseconds.
            #expect(abs(performed.start - written.note.start.doubleValue * secondsPerQuarter) < 0.25 * secondsPerQuarter)
        }
        for (earlier, later) in zip(vocal.lead, vocal.lead.dropFirst()) { #expect(earlier.end <= later.start + 1e-9) }
        #expect(vocal.lines.count == score.vocal!.lines.count)
        for (line, next) in zip(vocal.lines, vocal.lines.dropFirst()) {
            #expect(line.start < line.end)
            #expect(line.start <= next.start)
        }
        #expect(performance.durationSeconds >= (vocal.lead.last?.end ?? 0))
        // The drift is correlated: neighbouring syllables move together (lag-1 correlation of the offsets).
        let offsets = zip(vocal.lead, score.vocal!.lead).filter { $0.1.note.start.denominator == 1 }.map {
            $0.0.start - $0.1.note.start.doubleValue * secondsPerQuarter
        }
        let mean = offsets.reduce(0, +) / Double(offsets.count)
        let lagged = zip(offsets, offsets.dropFirst()).map { ($0 - mean) * ($1 - mean) }.reduce(0, +)
        let variance = offsets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        #expect(lagged / variance > 0.5)
        #expect(offsets.allSatisfy { abs($0) < 0.01 })
    }

    @Test func vocalSongsAreDeterministic() {
        #expect(userSong(seed: 5) == userSong(seed: 5))
        #expect(Performer().perform(userSong(seed: 5)) == Performer().perform(userSong(seed: 5)))
        #expect(writtenSong(.house, seed: 9) == writtenSong(.house, seed: 9))
        #expect(userSong(seed: 5).vocal!.lead.map(\.note) != userSong(seed: 6).vocal!.lead.map(\.note))
    }

    @Test func oldBriefJSONStillDecodes() throws {
        var brief = Self.brief(.pop)
        brief.voice = nil
        brief.maxSeconds = nil
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(brief)) as! [String: Any]
        object.removeValue(forKey: "voice")
        object.removeValue(forKey: "maxSeconds")
        let decoded = try JSONDecoder().decode(Brief.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded == brief)
        var voiced = brief
        voiced.voice = .male
        #expect(try JSONDecoder().decode(Brief.self, from: JSONEncoder().encode(voiced)).voice == .male)
    }
}
