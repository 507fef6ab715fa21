import Composer
import MusicTheory

/// Measurements the composer tests make on a score, the symbolic counterparts of the audio checks.
enum Analysis {
    static let majorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    static let minorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

    /// Duration- and velocity-weighted pitch-class histogram of every pitched note.
    static func histogram(_ score: Score) -> [Double] {
        var histogram = [Double](repeating: 0, count: 12)
        for part in score.parts where part.role != .drums && !(part.role == .percussion && part.instrument.isDrumKit) {
            for note in part.notes {
                histogram[note.pitch.pitchClass.value] += note.duration.doubleValue * Double(note.velocity) / 127
            }
        }
        return histogram
    }

    /// Krumhansl-Kessler key estimate: the key whose rotated profile correlates best with the histogram.
    static func estimatedKey(_ score: Score) -> Key {
        let histogram = histogram(score)
        var best = (score: -2.0, key: Key(.c, .major))
        for tonic in 0..<12 {
            for (profile, mode) in [(majorProfile, Mode.major), (minorProfile, Mode.minor)] {
                let rotated = (0..<12).map { profile[(($0 - tonic) % 12 + 12) % 12] }
                let r = correlation(histogram, rotated)
                if r > best.score { best = (r, Key(PitchClass(tonic), mode)) }
            }
        }
        return best.key
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let meanA = a.reduce(0, +) / Double(a.count)
        let meanB = b.reduce(0, +) / Double(b.count)
        var numerator = 0.0, sumA = 0.0, sumB = 0.0
        for (x, y) in zip(a, b) {
            numerator += (x - meanA) * (y - meanB)
            sumA += (x - meanA) * (x - meanA)
            sumB += (y - meanB) * (y - meanB)
        }
        return numerator / max((sumA * sumB).squareRoot(), 1e-12)
    }

    static func chord(at time: Rational, in score: Score) -> Chord? {
        score.chords.last { $0.start <= time }?.chord
    }

    /// Offsets (quarters from the bar start) of the strong beats: downbeat and mid-bar.
    static func strongOffsets(_ meter: Meter) -> [Rational] {
        let pulses = meter.pulses
        if meter.isCompound { return pulses.count >= 4 ? [pulses[0], pulses[2]] : [pulses[0]] }
        return meter.beatsPerBar % 2 == 0 ? [0, meter.barLength / Rational(2)] : [0]
    }

    static func offsetInBar(_ time: Rational, _ meter: Meter) -> Rational {
        time - meter.barLength * (time / meter.barLength).floor
    }

    /// The lead part as its tune: without the octave doublings a lifted last chorus adds (a note an octave above
    /// another note of the lead at the same onset), so the melody's own shape is what is measured.
    static func lead(_ score: Score) -> Part? {
        guard var lead = score.parts.first(where: { $0.role == .lead }) else { return nil }
        lead.notes = withoutOctaveDoublings(lead.notes)
        return lead
    }

    static func withoutOctaveDoublings(_ notes: [Note]) -> [Note] {
        let onsets = Set(notes.map { OnsetPitch(start: $0.start, midi: $0.pitch.midi) })
        return notes.filter { !onsets.contains(OnsetPitch(start: $0.start, midi: $0.pitch.midi - 12)) }
    }

    private struct OnsetPitch: Hashable {
        var start: Rational
        var midi: Int
    }

    static func notes(of part: Part, in section: Section, score: Score) -> [Note] {
        let start = score.start(ofBar: section.startBar)
        let end = score.start(ofBar: section.startBar + section.bars)
        return part.notes.filter { $0.start >= start && $0.start < end }
    }

    /// Pitched notes per bar across all parts in the sections of one kind.
    static func notesPerBar(_ score: Score, kind: SectionKind) -> Double {
        let sections = score.sections.filter { $0.kind == kind }
        let bars = sections.reduce(0) { $0 + $1.bars }
        let count = sections.reduce(0) { total, section in
            total + score.parts.reduce(0) { $0 + notes(of: $1, in: section, score: score).count }
        }
        return Double(count) / Double(max(bars, 1))
    }
}
