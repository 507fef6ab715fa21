import Composer
import MusicTheory
import SongBrief
import Testing

@Suite("Melody")
struct MelodyTests {
    static let meters: [Meter] = [.fourFour, .threeFour, .sixEight]

    @Test("melody notes on strong beats are chord tones", arguments: Genre.allCases)
    func strongBeatsAreChordTones(genre: Genre) throws {
        for meter in Self.meters {
            let score = SongComposer().compose(Fixtures.brief(genre, meter: meter))
            let lead = try #require(Analysis.lead(score))
            let strong = lead.notes.filter {
                Analysis.strongOffsets(meter).contains(Analysis.offsetInBar($0.start, meter))
            }
            #expect(strong.count > 10, "\(genre) \(meter)")
            let chordTones = strong.filter { Analysis.chord(at: $0.start, in: score)?.contains($0.pitch.pitchClass) == true }
            #expect(Double(chordTones.count) >= 0.8 * Double(strong.count),
                    "\(genre) \(meter): \(chordTones.count) of \(strong.count) strong-beat notes are chord tones")
        }
    }

    @Test("leaps wider than a fifth turn back by step", arguments: Genre.allCases)
    func leapsResolve(genre: Genre) throws {
        let score = SongComposer().compose(Fixtures.brief(genre, seed: 11))
        let notes = try #require(Analysis.lead(score)).notes
        let pitches = notes.map(\.pitch.midi)
        var leaps = 0
        var resolved = 0
        for index in 1..<(pitches.count - 1) {
            // A new phrase after a rest may start anywhere; leaps inside a phrase must turn back.
            guard notes[index].start - notes[index - 1].end < 1 else { continue }
            let leap = pitches[index] - pitches[index - 1]
            guard abs(leap) > 7 else { continue }
            leaps += 1
            let next = pitches[index + 1] - pitches[index]
            if next * leap < 0, abs(next) <= 4 { resolved += 1 }
        }
        #expect(Double(resolved) >= 0.75 * Double(leaps), "\(genre): \(resolved) of \(leaps) leaps resolved")
        // Mostly stepwise: the median interval is at most a third.
        let intervals = zip(pitches, pitches.dropFirst()).map { abs($1 - $0) }.sorted()
        #expect(intervals[intervals.count / 2] <= 4)
    }

    @Test("every chorus sings the same tune", arguments: [Genre.pop, .rock, .jazz, .house, .trap, .orchestral, .blues])
    func chorusesRepeat(genre: Genre) throws {
        let score = SongComposer().compose(Fixtures.brief(genre, seconds: 210))
        let lead = try #require(Analysis.lead(score))
        let choruses = score.sections.filter { $0.kind == .chorus }
        #expect(choruses.count >= 2)
        let tunes = choruses.map { section in
            Analysis.notes(of: lead, in: section, score: score).map { ($0.pitch.midi, $0.start - score.start(ofBar: section.startBar)) }
        }
        let first = try #require(tunes.first)
        #expect(!first.isEmpty)
        for tune in tunes.dropFirst() {
            #expect(tune.map(\.0) == first.map(\.0))
            #expect(tune.map(\.1) == first.map(\.1))
        }
    }

    @Test("the lead rests in the intro, sings in verses and choruses, and stays in its range")
    func leadShape() throws {
        for genre in [Genre.pop, .synthwave, .lofi, .latin] {
            let score = SongComposer().compose(Fixtures.brief(genre))
            let lead = try #require(Analysis.lead(score))
            let intro = try #require(score.sections.first { $0.kind == .intro })
            #expect(Analysis.notes(of: lead, in: intro, score: score).isEmpty)
            for section in score.sections where section.kind == .verse || section.kind == .chorus {
                let notes = Analysis.notes(of: lead, in: section, score: score)
                #expect(notes.count >= section.bars, "\(genre) \(section.label)")
                // Not a wall of notes: the lead leaves room to breathe in every section.
                let sounding = notes.reduce(Rational.zero) { $0 + $1.duration }
                #expect(sounding < score.meter.barLength * section.bars)
            }
            let pitches = lead.notes.map(\.pitch.midi)
            #expect((pitches.max() ?? 0) - (pitches.min() ?? 0) <= 24)
        }
    }

    @Test("phrases end on long notes, and the song's last melody note is the tonic")
    func cadences() throws {
        for key in [Key(.c, .major), Key(.b, .minor)] {
            let score = SongComposer().compose(Fixtures.brief(.pop, key: key))
            let lead = try #require(Analysis.lead(score))
            let last = try #require(lead.notes.last)
            #expect(last.pitch.pitchClass == key.tonic)
            #expect(last.duration >= score.meter.barLength / Rational(2))
        }
    }
}
