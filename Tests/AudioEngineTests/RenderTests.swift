@testable import AudioEngine
import Composer
import Foundation
import NIOConcurrencyHelpers
import Testing

@Suite("Rendering")
struct RenderTests {
    @Test func smallSongRendersNonSilentAtTheRightLengthAndLoudness() throws {
        let score = TestSong.score(bars: 4, bpm: 120)  // 8 s + 1 s ring-out
        let performance = TestSong.performance(of: score)
        let progress = ProgressLog()
        let song = try TestSong.renderer().render(
            score: score, performance: performance, outputs: RenderOutputs(wav: true, midi: true, sheet: true),
            progress: { progress.record($0) })
        #expect(song.mastered.frames == Int((performance.durationSeconds * 44_100).rounded(.up)))
        #expect(song.mastered.sampleRate == 44_100)
        // Non-silent throughout the body of the song (every half second has signal), silent-free start.
        for second in stride(from: 0.0, to: 8.0, by: 0.5) {
            let start = Int(second * 44_100)
            let window = song.mastered.left[start..<(start + 22_050)]
            let rms = (window.reduce(0) { $0 + Double($1 * $1) } / 22_050).squareRoot()
            #expect(rms > 0.01, "silence at \(second) s")
        }
        let measured = try LoudnessMeter.measure(song.mastered, truePeak: true)
        #expect(abs(measured.integratedLUFS + 14) <= 1)
        #expect(try #require(measured.truePeakDBTP) <= -1)
        #expect(song.mastered.samplePeak < 0.999)
        #expect(MP3Frames(song.mp3).count > 300)
        #expect(song.wav?.count == 44 + song.mastered.frames * 4)
        #expect(song.midi?.prefix(4) == Data("MThd".utf8))
        let sheet = try JSONDecoder().decode(SongSheet.self, from: try #require(song.sheet))
        #expect(sheet.sections.map(\.label) == ["Verse 1", "Chorus 1"])
        #expect(sheet.chords.map(\.chords) == [["Em"], ["C"], ["Am"], ["B"]])
        #expect(sheet.sections[1].startSeconds == 4)
        let values = progress.values
        #expect(values.first == 0 && values.last == 1)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func partsAreAudibleWhereTheyPlay() throws {
        // Only the bass plays, hard left: the right channel stays (nearly) silent, the left does not.
        var score = TestSong.score(bars: 2)
        score.parts = [score.parts[1]]
        score.parts[0].mix.pan = -1
        let song = try TestSong.renderer().render(score: score, performance: TestSong.performance(of: score))
        let left = song.mastered.left.reduce(0) { $0 + Double($1 * $1) }
        let right = song.mastered.right.reduce(0) { $0 + Double($1 * $1) }
        #expect(left > 100 * right)
    }

    @Test func sameInputGivesIdenticalMP3Bytes() throws {
        let score = TestSong.score(bars: 2)
        let performance = TestSong.performance(of: score)
        let first = try TestSong.renderer().render(score: score, performance: performance)
        let second = try TestSong.renderer().render(score: score, performance: performance)
        let third = try TestSong.renderer(workers: 1).render(score: score, performance: performance)
        // Compared as Bools: a byte diff of two MP3s is slow to compute and unreadable.
        let sameAudio = first.mastered.left == second.mastered.left && first.mastered.right == second.mastered.right
        #expect(sameAudio, "mastered audio differs between runs")
        #expect(Bool(first.mp3 == second.mp3), "MP3 bytes differ between runs")
        #expect(Bool(first.mp3 == third.mp3), "MP3 bytes differ between 1 and 2 worker threads")
    }

    @Test func cancellationStopsARenderPromptly() throws {
        let score = TestSong.score(bars: 64)  // two minutes of music
        let performance = TestSong.performance(of: score)
        // Progress is counted, not timed: wall-clock bounds flake on a loaded CI machine. The renderer polls
        // the flag every chunk (~93 ms of audio), so it must stop long before the song is done.
        let progress = NIOLockedValueBox<(cancelled: Bool, furthest: Double)>((false, 0))
        #expect(throws: CancellationError.self) {
            try TestSong.renderer().render(
                score: score, performance: performance,
                progress: { fraction in
                    progress.withLockedValue { state in
                        state.furthest = max(state.furthest, fraction)
                        if fraction > 0.05 { state.cancelled = true }
                    }
                },
                isCancelled: { progress.withLockedValue { $0.cancelled } })
        }
        let furthest = progress.withLockedValue { $0.furthest }
        #expect(furthest < 0.3, "rendering went on to \(furthest) after cancellation at 0.05")
    }

    @Test func missingSoundFontIsAClearError() {
        let renderer = SongRenderer(soundFont: SoundFontLocation(path: "/nonexistent/font.sf2"))
        let score = TestSong.score(bars: 1)
        #expect(throws: RenderError.soundFontMissing(path: "/nonexistent/font.sf2")) {
            try renderer.render(score: score, performance: TestSong.performance(of: score))
        }
    }

    @Test func soundFontLocationPrefersExplicitThenEnvironment() {
        #expect(SoundFontLocation.resolve(explicitPath: "/a.sf2", environment: ["TUNESMITH_SOUNDFONT": "/b.sf2"]).path == "/a.sf2")
        #expect(SoundFontLocation.resolve(explicitPath: nil, environment: ["TUNESMITH_SOUNDFONT": "/b.sf2"]).path == "/b.sf2")
        #expect(SoundFontLocation.resolve(explicitPath: nil, environment: [:]).path == SoundFontLocation.defaultPath)
    }

    @Test func noteEventsAreFrameExactWithOffsBeforeOns() {
        let part = PerformedPart(
            name: "lead", instrument: .flute, role: .lead, mix: PartMix(),
            notes: [PerformedNote(start: 0, duration: 0.5, key: 60, velocity: 90),
                    PerformedNote(start: 0.5, duration: 0.5, key: 60, velocity: 200)])
        let events = NoteEvent.events(for: part, sampleRate: 44_100, frames: 44_100)
        #expect(events.map(\.frame) == [0, 22_050, 22_050, 44_099])
        #expect(events.map(\.velocity) == [90, 0, 127, 0])
    }
}

/// Collects progress reports from any thread.
final class ProgressLog: Sendable {
    private let storage = NIOLockedValueBox<[Double]>([])
    func record(_ value: Double) { storage.withLockedValue { $0.append(value) } }
    var values: [Double] { storage.withLockedValue { $0 } }
}
