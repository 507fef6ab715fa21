import MusicTheory
import SeededRandom
import SongBrief

/// Plays a score: converts exact musical time to seconds at the brief's tempo, swings off-beats where the
/// genre swings, and humanises timing and velocity the way players drift: slowly (a smoothed random walk per
/// part, so consecutive notes are late or early together), drums tighter than keys, accents on strong beats.
/// Deterministic: the drift comes from the brief's seed.
public struct Performer {
    /// Seconds the final chord rings after the last bar.
    public static let ringOutSeconds = 2.5

    public init() {}

    public func perform(_ score: Score) -> Performance {
        let style = GenreStyle(score.brief.genre)
        let secondsPerQuarter = 60.0 / Double(max(score.bpm, 1))
        let swing = score.meter.isCompound ? 0.5 : style.swing
        let swingUnit: Rational = style.swingsSixteenths ? Rational(1, 4) : Rational(1, 2)
        var parts: [PerformedPart] = []
        var lastEnd = 0.0
        let pulses = Set(score.meter.pulses.map(\.doubleValue))
        let barLength = score.meter.barLength.doubleValue
        // The sung parts go to the singing voice (`Performance.vocal`), not to the instrument renderer.
        for part in score.parts where !(score.vocal != nil && part.role == .vocal) {
            let feel = Feel(role: part.role)
            let quarters = max(score.length.doubleValue, 1) + 8
            let timing = Drift(seed: score.brief.seed, stream: "timing.\(part.name)", steps: Int(quarters * 4) + 1)
            let loudness = Drift(seed: score.brief.seed, stream: "velocity.\(part.name)", steps: Int(quarters) + 1)
            var notes: [PerformedNote] = []
            notes.reserveCapacity(part.notes.count)
            for note in part.notes {
                let start = swung(note.start, swing: swing, unit: swingUnit)
                let end = swung(note.end, swing: swing, unit: swingUnit)
                let offset = timing.value(at: start * 4) * feel.timingSeconds
                let startSeconds = max(start * secondsPerQuarter + offset, 0)
                let length = max((end - start) * secondsPerQuarter * feel.legato, 0.03)
                let accent = accent(at: note.start.doubleValue, barLength: barLength, pulses: pulses) * feel.accent
                let velocity = Double(note.velocity) + accent + loudness.value(at: start) * feel.velocitySpread
                notes.append(PerformedNote(start: startSeconds, duration: length, key: note.pitch.midi,
                                           velocity: min(max(Int(velocity.rounded()), 1), 127)))
                lastEnd = max(lastEnd, startSeconds + length)
            }
            notes.sort { ($0.start, $0.key) < ($1.start, $1.key) }
            parts.append(PerformedPart(name: part.name, instrument: part.instrument, role: part.role, mix: part.mix,
                                       notes: notes))
        }
        let vocal = score.vocal.map {
            sing($0, seed: score.brief.seed, secondsPerQuarter: secondsPerQuarter, swing: swing, unit: swingUnit,
                 quarters: score.length.doubleValue, barLength: barLength, pulses: pulses)
        }
        let vocalEnd = (vocal?.lead ?? []).map(\.end).max() ?? 0
        let songEnd = score.length.doubleValue * secondsPerQuarter
        return Performance(parts: parts, durationSeconds: max(songEnd + Self.ringOutSeconds, lastEnd + 1, vocalEnd + 1),
                           vocal: vocal)
    }

    /// The vocal line in seconds: the band's tempo and swing, the same kind of slow correlated drift as a
    /// player (a singer is a touch looser than the drums), stressed syllables a little louder; each note is
    /// held until the next one begins (legato), never overlapping it.
    private func sing(
        _ line: VocalLine, seed: UInt64, secondsPerQuarter: Double, swing: Double, unit: Rational, quarters: Double,
        barLength: Double, pulses: Set<Double>
    ) -> VocalPerformance {
        let steps = Int((max(quarters, 1) + 8) * 4) + 1
        func perform(_ syllables: [SungSyllable], stream: String) -> [SungNote] {
            let timing = Drift(seed: seed, stream: "timing.\(stream)", steps: steps)
            let loudness = Drift(seed: seed, stream: "velocity.\(stream)", steps: steps / 4 + 1)
            var notes = syllables.map { sung -> SungNote in
                let start = swung(sung.note.start, swing: swing, unit: unit)
                let end = swung(sung.note.end, swing: swing, unit: unit)
                let startSeconds = max(start * secondsPerQuarter + timing.value(at: start * 4) * 0.006, 0)
                let accent = sung.isContinuation ? -3 : accent(at: sung.note.start.doubleValue, barLength: barLength, pulses: pulses) / 2
                let velocity = Double(sung.note.velocity) + accent + loudness.value(at: start) * 5
                return SungNote(
                    start: startSeconds, duration: max((end - start) * secondsPerQuarter, 0.05), key: sung.note.pitch.midi,
                    velocity: min(max(Int(velocity.rounded()), 1), 127), syllable: sung.syllable, word: sung.word,
                    syllableIndex: sung.syllableIndex, syllableCount: sung.syllableCount,
                    isContinuation: sung.isContinuation)
            }
            notes.sort { $0.start < $1.start }
            for index in notes.indices.dropLast() where notes[index].end > notes[index + 1].start {
                notes[index].duration = max(notes[index + 1].start - notes[index].start, 0.01)
            }
            return notes
        }
        let lead = perform(line.lead, stream: VocalLine.leadPartName)
        let backing = perform(line.backing, stream: VocalLine.backingPartName)
        // A line lasts from its first sung note to its last, as performed.
        let all = (lead + backing).sorted { $0.start < $1.start }
        let lines = line.lines.map { span -> SungLine in
            let spanStart = swung(span.start, swing: swing, unit: unit) * secondsPerQuarter
            let spanEnd = swung(span.end, swing: swing, unit: unit) * secondsPerQuarter
            let inside = all.filter { $0.start >= spanStart - 0.05 && $0.start < spanEnd }
            let start = inside.first?.start ?? spanStart
            let end = inside.map(\.end).max() ?? spanEnd
            return SungLine(text: span.text, sectionLabel: span.sectionLabel, start: start, end: end)
        }
        return VocalPerformance(voice: line.voice, lead: lead, backing: backing, lines: lines)
    }

    /// Score time in quarters with swing applied: an off-beat `unit` inside each pair is delayed so the pair
    /// divides `swing : 1 - swing` (0.5 straight, 2/3 a triplet shuffle). Positions between grid points
    /// move proportionally, so durations stay consistent.
    private func swung(_ time: Rational, swing: Double, unit: Rational) -> Double {
        let value = time.doubleValue
        guard swing != 0.5 else { return value }
        let pair = unit.doubleValue * 2
        let pairIndex = (value / pair).rounded(.down)
        let within = (value - pairIndex * pair) / pair
        let moved = within <= 0.5 ? within / 0.5 * swing : swing + (within - 0.5) / 0.5 * (1 - swing)
        return (pairIndex + moved) * pair
    }

    /// Extra velocity on the downbeat and the other felt pulses; off-beats a touch softer.
    private func accent(at time: Double, barLength: Double, pulses: Set<Double>) -> Double {
        let offset = time - barLength * (time / barLength).rounded(.down)
        if abs(offset) < 1e-9 { return 6 }
        if pulses.contains(offset) { return 3 }
        return -2
    }

    /// How tightly a role plays.
    private struct Feel {
        var timingSeconds: Double
        var velocitySpread: Double
        var accent: Double
        var legato: Double

        init(role: PartRole) {
            switch role {
            case .drums, .percussion: (timingSeconds, velocitySpread, accent, legato) = (0.003, 5, 0.6, 1)
            case .bass: (timingSeconds, velocitySpread, accent, legato) = (0.005, 5, 1, 0.95)
            case .lead, .vocal, .counterMelody: (timingSeconds, velocitySpread, accent, legato) = (0.008, 7, 1, 0.97)
            case .pad, .strings: (timingSeconds, velocitySpread, accent, legato) = (0.008, 4, 0.3, 1)
            case .chords, .arpeggio, .brass: (timingSeconds, velocitySpread, accent, legato) = (0.007, 6, 1, 0.92)
            }
        }
    }
}

/// A smoothed random walk in -1 ... 1: an AR(1) process sampled on a grid and interpolated between grid
/// points, so nearby notes share nearly the same drift (correlated, like a player, not white noise).
struct Drift {
    private var values: [Double]

    init(seed: UInt64, stream: String, steps: Int) {
        var random = SeededGenerator(seed: seed, stream: stream)
        let memory = 0.95
        let innovation = (1 - memory * memory).squareRoot()
        var current = 0.0
        values = (0..<max(steps, 2)).map { _ in
            let noise = (random.unit() + random.unit() + random.unit() - 1.5) * 2  // roughly normal, sd 1
            current = memory * current + innovation * noise
            return max(min(current / 2, 1), -1)
        }
    }

    /// The drift at a (fractional) grid position.
    func value(at position: Double) -> Double {
        let clamped = min(max(position, 0), Double(values.count - 1))
        let index = Int(clamped)
        let next = min(index + 1, values.count - 1)
        let fraction = clamped - Double(index)
        return values[index] * (1 - fraction) + values[next] * fraction
    }
}
