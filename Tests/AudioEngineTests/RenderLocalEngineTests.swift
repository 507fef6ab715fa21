import AudioEngine
import Composer
import Foundation
import LocalEngine
import Synchronization
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
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let furthest = Mutex(0.0)
        let request = request()
        let task = Task {
            try await engine.generate(
                request,
                progress: { fraction in
                    furthest.withLock { $0 = max($0, fraction) }
                    if fraction > 0.1 { signal.yield() }
                })
        }
        for await _ in started { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // Counted in progress, not wall time (which flakes under load): two minutes of music must not finish.
        let reached = furthest.withLock { $0 }
        #expect(reached < 0.4, "rendering went on to \(reached) after cancellation at 0.1")
    }
}
