import AudioEngine
import Composer
import Foundation
import LocalEngine
import NIOConcurrencyHelpers
import Testing
import TunesmithCore

/// A song writer that always returns the hand-made test song (the real one is exercised by the composer's tests).
private struct FixedSongWriter: SongWriter {
    var bars: Int
    func write(_ request: GenerationRequest) throws -> ComposedSong {
        let score = TestSong.score(bars: bars)
        return ComposedSong(score: score, performance: TestSong.performance(of: score))
    }
}

@Suite("Local engine")
struct RenderLocalEngineTests {
    private func request() -> GenerationRequest {
        GenerationRequest(model: .default, prompt: "test", instrumental: true, lyrics: nil, images: [], seed: 1, maxSeconds: 300)
    }

    @Test func generatesMP3MIDIAndSheet() async throws {
        let engine = LocalEngine(writer: FixedSongWriter(bars: 2), renderer: TestSong.renderer())
        #expect(engine.provider == "local")
        let song = try await engine.generate(request(), progress: { _ in })
        #expect(Set(song.media.keys) == [.mp3, .midi, .sheet])
        #expect(song.title == "Test Song")
        #expect(song.bpm == 120)
        #expect(song.key == "E minor")
        #expect(abs(song.durationSeconds - 5) < 0.01)
        #expect(MP3Frames(try #require(song.media[.mp3])).count > 150)
    }

    @Test func taskCancellationStopsTheRender() async throws {
        let engine = LocalEngine(writer: FixedSongWriter(bars: 64), renderer: TestSong.renderer())
        // The task is cancelled from the progress callback itself, so how fast the test's own task gets
        // scheduled on a loaded machine does not matter; what is measured is how far rendering goes on after.
        let state = NIOLockedValueBox<(task: Task<GeneratedSong, any Error>?, cancelledAt: Double?, furthest: Double)>((nil, nil, 0))
        let request = request()
        let task = Task {
            try await engine.generate(
                request,
                progress: { fraction in
                    state.withLockedValue { state in
                        state.furthest = max(state.furthest, fraction)
                        if fraction > 0.1, state.cancelledAt == nil, let task = state.task {
                            state.cancelledAt = fraction
                            task.cancel()
                        }
                    }
                })
        }
        state.withLockedValue { $0.task = task }
        await #expect(throws: CancellationError.self) { try await task.value }
        let snapshot = state.withLockedValue { (cancelledAt: $0.cancelledAt, furthest: $0.furthest) }
        let cancelledAt = try #require(snapshot.cancelledAt, "the render never reported progress past 0.1")
        let reached = snapshot.furthest
        // Two minutes of music: a render that ignored the cancel would run on to 1.0.
        #expect(reached - cancelledAt < 0.2, "rendering went on from \(cancelledAt) to \(reached) after cancellation")
    }
}
