import Composer
import MusicTheory
import SongBrief
import Testing

@Suite("Composition")
struct CompositionTests {
    @Test("every genre composes in 4/4, 3/4, 6/8 and 12/8", arguments: Genre.allCases)
    func everyGenreEveryMeter(genre: Genre) {
        for meter in [Meter.fourFour, .threeFour, .sixEight, .twelveEight] {
            let score = SongComposer().compose(Fixtures.brief(genre, meter: meter))
            #expect(score.meter == meter)
            #expect(score.parts.allSatisfy { !$0.notes.isEmpty }, "\(genre) \(meter)")
            for part in score.parts {
                #expect(part.notes.allSatisfy { $0.duration > .zero && $0.start >= .zero && (1...127).contains($0.velocity) })
                #expect(part.notes.allSatisfy { $0.start < score.length })
            }
        }
    }

    @Test("out-of-range briefs are brought into range instead of crashing")
    func wildBriefs() {
        var brief = Fixtures.brief(.pop)
        brief.bpm = 5000
        brief.meter = Meter(0, 3)
        brief.density = .nan
        brief.energy = -4
        brief.registerShift = 90
        brief.targetSeconds = .infinity
        brief.instruments = []
        let score = SongComposer().compose(brief)
        #expect(score.bpm == 300)
        #expect(score.meter == .fourFour)
        #expect(!score.parts.isEmpty && score.parts.allSatisfy { !$0.notes.isEmpty })
        #expect(score.parts.flatMap(\.notes).allSatisfy { (0...127).contains($0.pitch.midi) && (1...127).contains($0.velocity) })
        for meter in [Meter(5, 4), Meter(7, 8), Meter(2, 2)] {
            brief.meter = meter
            brief.bpm = 100
            #expect(!SongComposer().compose(brief).parts.isEmpty, "\(meter)")
        }
    }

    @Test("the same brief gives the same score; another seed gives other notes")
    func determinism() {
        for genre in [Genre.pop, .jazz, .trap, .ambient] {
            let brief = Fixtures.brief(genre)
            #expect(SongComposer().compose(brief) == SongComposer().compose(brief))
            var other = brief
            other.seed += 1
            let a = SongComposer().compose(brief).parts.flatMap(\.notes)
            let b = SongComposer().compose(other).parts.flatMap(\.notes)
            #expect(a != b, "\(genre)")
        }
    }

    @Test("choruses are fuller than verses", arguments: Genre.allCases)
    func chorusLift(genre: Genre) throws {
        let score = SongComposer().compose(Fixtures.brief(genre))
        #expect(Analysis.notesPerBar(score, kind: .chorus) > Analysis.notesPerBar(score, kind: .verse), "\(genre)")
        let lead = try #require(Analysis.lead(score))
        func meanPitch(_ kind: SectionKind) -> Double {
            let notes = score.sections.filter { $0.kind == kind }.flatMap { Analysis.notes(of: lead, in: $0, score: score) }
            return Double(notes.reduce(0) { $0 + $1.pitch.midi }) / Double(max(notes.count, 1))
        }
        #expect(meanPitch(.chorus) > meanPitch(.verse), "\(genre): the chorus melody sits higher")
    }

    @Test("every requested instrument plays in at least two sections", arguments: Genre.allCases)
    func everyInstrumentPlays(genre: Genre) {
        let band: [InstrumentChoice] = [
            .init(.drumKit, .drums), .init(.fingerBass, .bass), .init(.acousticPiano, .chords), .init(.flute, .lead),
            .init(.warmPad, .pad), .init(.strings, .strings), .init(.trumpet, .brass), .init(.marimba, .arpeggio),
            .init(.cello, .counterMelody), .init(.drumKit, .percussion), .init(.acousticGuitar, .chords),
            .init(.violin, .lead),
        ]
        for seconds in [40.0, 180] {
            let score = SongComposer().compose(Fixtures.brief(genre, seconds: seconds, requested: seconds < 60, instruments: band))
            #expect(score.parts.count == band.count)
            #expect(Set(score.parts.map(\.name)).count == score.parts.count)
            for part in score.parts {
                #expect(part.name.allSatisfy { $0.isLowercase || $0.isNumber }, "\(part.name)")
                let sections = score.sections.filter { !Analysis.notes(of: part, in: $0, score: score).isEmpty }
                #expect(sections.count >= 2, "\(genre) \(seconds) s: \(part.name) plays in \(sections.map(\.label))")
            }
        }
    }

    @Test("the lead is the loudest intention in the mix and the bass sits centred")
    func mixIntent() throws {
        let score = SongComposer().compose(Fixtures.brief(.pop))
        let lead = try #require(score.parts.first { $0.role == .lead })
        for part in score.parts where part.role != .lead {
            #expect(part.mix.gainDB <= lead.mix.gainDB)
        }
        #expect(score.parts.first { $0.role == .bass }?.mix.pan == 0)
    }

    @Test("every genre keeps a steady pulse: some part starts a note on nearly every beat", arguments: Genre.allCases)
    func steadyPulse(genre: Genre) {
        for meter in [Meter.fourFour, .sixEight] {
            let score = SongComposer().compose(Fixtures.brief(genre, meter: meter))
            let onsets = Set(score.parts.flatMap { $0.notes.map(\.start) })
            let beats = (0..<(score.bars - 1)).flatMap { bar in meter.pulses.map { score.start(ofBar: bar) + $0 } }
            let covered = beats.filter { onsets.contains($0) }.count
            #expect(Double(covered) >= 0.97 * Double(beats.count), "\(genre) \(meter): \(covered) of \(beats.count)")
        }
    }

    @Test("drum grooves carry each genre's signature")
    func drumSignatures() throws {
        func drums(_ genre: Genre) throws -> (Score, [Note]) {
            let score = SongComposer().compose(Fixtures.brief(genre))
            let part = try #require(score.parts.first { $0.role == .drums })
            let chorus = try #require(score.sections.first { $0.kind == .chorus })
            // The groove itself, without the fill in the chorus's last bar.
            let fillBar = score.start(ofBar: chorus.startBar + chorus.bars - 1)
            return (score, Analysis.notes(of: part, in: chorus, score: score).filter { $0.start < fillBar })
        }
        func hits(_ notes: [Note], _ key: Int, _ score: Score) -> Set<Rational> {
            Set(notes.filter { $0.pitch.midi == key }.map { Analysis.offsetInBar($0.start, score.meter) })
        }
        for genre in [Genre.house, .techno, .disco] {
            let (score, notes) = try drums(genre)
            #expect([0, 1, 2, 3].allSatisfy { hits(notes, 36, score).contains(Rational($0)) }, "\(genre) four on the floor")
        }
        let (trap, trapNotes) = try drums(.trap)
        let hatSteps = hits(trapNotes, 42, trap)
        #expect(hatSteps.contains { $0.denominator >= 4 }, "trap hats in 16ths or finer")
        #expect(hits(trapNotes, 38, trap) == [2], "trap snare on the half-time backbeat")
        let (rock, rockNotes) = try drums(.rock)
        #expect(hits(rockNotes, 38, rock).isSuperset(of: [1, 3]), "rock backbeat on 2 and 4")
        let (reggae, reggaeNotes) = try drums(.reggae)
        #expect(hits(reggaeNotes, 36, reggae).contains(2) && !hits(reggaeNotes, 36, reggae).contains(Rational(1, 2)),
                "one drop: kick on 3")
        let (jazz, jazzNotes) = try drums(.jazz)
        #expect(hits(jazzNotes, 51, jazz).isSuperset(of: [0, 1, 2, 3]), "jazz ride on every beat")
        #expect(hits(jazzNotes, 44, jazz).isSuperset(of: [1, 3]), "jazz hi-hat on 2 and 4")
        let (metal, metalNotes) = try drums(.metal)
        #expect(hits(metalNotes, 36, metal).count >= 12, "metal double kick")
        let (ambient, ambientNotes) = try drums(.ambient)
        #expect(hits(ambientNotes, 70, ambient).count >= 8, "ambient shaker pulse in 8ths")
    }

    @Test("sections start with a crash and end with a fill; the song ends on one ringing hit")
    func fillsAndEnding() throws {
        let score = SongComposer().compose(Fixtures.brief(.rock))
        let drums = try #require(score.parts.first { $0.role == .drums })
        for section in score.sections.dropFirst() {
            let start = score.start(ofBar: section.startBar)
            #expect(drums.notes.contains { $0.start == start && $0.pitch.midi == 49 }, "\(section.label)")
            let fillStart = start - score.meter.barLength / Rational(2)
            let fill = drums.notes.filter { $0.start >= fillStart && $0.start < start && [38, 41, 43, 45, 48].contains($0.pitch.midi) }
            #expect(fill.count >= 4, "fill before \(section.label)")
        }
        let lastBar = score.start(ofBar: score.bars - 1)
        let ending = drums.notes.filter { $0.start >= lastBar }
        #expect(Set(ending.map(\.start)) == [lastBar])
        // Every pitched part holds the final tonic chord through the last bar.
        for part in score.parts where part.role == .bass || part.role == .pad || part.role == .chords {
            let held = part.notes.filter { $0.start == lastBar }
            #expect(!held.isEmpty && held.allSatisfy { $0.end == score.length }, "\(part.name)")
        }
    }

    @Test("the title comes from the prompt's theme words and is deterministic")
    func title() {
        var brief = Fixtures.brief(.synthwave)
        brief.prompt = "a dreamy synthwave track about driving through the neon city at night, 100 bpm"
        let title = SongComposer().compose(brief).title
        #expect(title == "Neon City Drive")
        brief.prompt = "make me a chill beat"
        let fallback = SongComposer().compose(brief).title
        #expect(!fallback.isEmpty)
        #expect(fallback == SongComposer().compose(brief).title)
    }
}

@Suite("Drums follow the prompt")
struct DrumChoiceTests {
    static func hasKit(_ score: Score) -> Bool { score.parts.contains { $0.instrument.isDrumKit } }

    @Test("a prompt that rules drums out gets no kit, and the song still plays", arguments: [
        "a lo-fi hip hop beat with soft piano, no drums",
        "a solo piano ballad",
        "an ambient piece without drums",
        "just an acoustic guitar, folk",
    ])
    func noDrums(_ prompt: String) {
        let brief = PromptParser().brief(for: prompt, seed: 3)
        #expect(brief.excludesDrums, "\(prompt)")
        let score = SongComposer().compose(brief)
        #expect(!Self.hasKit(score), "\(prompt): \(score.parts.map(\.name))")
        #expect(score.parts.filter { !$0.notes.isEmpty }.count >= 1)
        // Something still sounds on most beats: the pulse comes from the other parts.
        let onsets = Set(score.parts.flatMap(\.notes).map { ($0.start * 2).floor })
        let halfBeats = Int((score.length * 2).floor)
        #expect(Double(onsets.count) / Double(max(halfBeats, 1)) > 0.5, "\(prompt)")
    }

    @Test("other prompts keep (or add) a kit", arguments: [
        "a lo-fi hip hop beat with soft piano", "an ambient piece", "solo piano with drums", "a rock song",
    ])
    func drums(_ prompt: String) {
        let brief = PromptParser().brief(for: prompt, seed: 3)
        #expect(!brief.excludesDrums, "\(prompt)")
        #expect(Self.hasKit(SongComposer().compose(brief)), "\(prompt)")
    }
}
