import Composer
import MusicTheory
import SongBrief
import Testing

@Suite("Performer")
struct PerformerTests {
    @Test("notes are sorted, velocities in range, and the song rings out after the last bar")
    func shape() {
        for genre in Genre.allCases {
            let score = SongComposer().compose(Fixtures.brief(genre))
            let performance = Performer().perform(score)
            #expect(performance.parts.map(\.name) == score.parts.map(\.name))
            for part in performance.parts {
                #expect(zip(part.notes, part.notes.dropFirst()).allSatisfy { $0.start <= $1.start })
                #expect(part.notes.allSatisfy { (1...127).contains($0.velocity) && $0.duration > 0 && $0.start >= 0 })
            }
            let ringOut = performance.durationSeconds - score.durationSeconds
            #expect(ringOut >= 2 && ringOut <= 3.5, "\(genre): \(ringOut)")
        }
    }

    @Test("straight genres play on the beat: offsets are small, bounded and drift smoothly")
    func humanisation() throws {
        let score = SongComposer().compose(Fixtures.brief(.pop))
        let performance = Performer().perform(score)
        for (part, played) in zip(score.parts, performance.parts) {
            let offsets = zip(part.notes, played.notes).map { written, performed in
                performed.start - written.start.doubleValue * 60 / Double(score.bpm)
            }
            let limit = part.role == .drums ? 0.005 : 0.015
            #expect(offsets.allSatisfy { abs($0) <= limit }, "\(part.name)")
            #expect(offsets.contains { abs($0) > 0.0003 }, "\(part.name) is humanised")
            #expect(lagOneAutocorrelation(offsets) > 0.5, "\(part.name): \(lagOneAutocorrelation(offsets))")
            let velocities = zip(part.notes, played.notes).map { Double($1.velocity - $0.velocity) }
            #expect(velocities.contains { $0 != velocities[0] })
        }
    }

    @Test("swing delays the off-beat eighths of a lo-fi groove and leaves beats in place")
    func swing() throws {
        let score = SongComposer().compose(Fixtures.brief(.lofi))
        let performance = Performer().perform(score)
        let index = try #require(score.parts.firstIndex { $0.role == .drums })
        let secondsPerQuarter = 60 / Double(score.bpm)
        var offBeat: [Double] = []
        var onBeat: [Double] = []
        for (written, performed) in zip(score.parts[index].notes, performance.parts[index].notes) {
            let offset = performed.start - written.start.doubleValue * secondsPerQuarter
            let within = Analysis.offsetInBar(written.start, score.meter)
            if within.denominator == 1 { onBeat.append(offset) }
            if within.denominator == 2 { offBeat.append(offset) }
        }
        let expected = (0.62 - 0.5) * 2 * 0.5 * secondsPerQuarter
        #expect(abs(offBeat.reduce(0, +) / Double(offBeat.count) - expected) < 0.01)
        #expect(onBeat.allSatisfy { abs($0) < 0.006 })
    }

    @Test("performing is deterministic")
    func determinism() {
        let score = SongComposer().compose(Fixtures.brief(.funk))
        #expect(Performer().perform(score) == Performer().perform(score))
    }

    private func lagOneAutocorrelation(_ values: [Double]) -> Double {
        guard values.count > 2 else { return 1 }
        let mean = values.reduce(0, +) / Double(values.count)
        let centred = values.map { $0 - mean }
        let numerator = zip(centred, centred.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        let denominator = centred.reduce(0) { $0 + $1 * $1 }
        return numerator / max(denominator, 1e-12)
    }
}
