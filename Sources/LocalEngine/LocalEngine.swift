import AudioEngine
import Composer
import Foundation
import NIOConcurrencyHelpers
import SongLyrics
import TunesmithCore

/// The music the engine is about to render: the composed score, how it is played, and the words sung.
public struct ComposedSong: Sendable {
    public var score: Score
    public var performance: Performance
    /// What is sung, as tagged text (`[Verse 1]` ...); nil for instrumentals.
    public var lyrics: String?

    public init(score: Score, performance: Performance, lyrics: String? = nil) {
        self.score = score
        self.performance = performance
        self.lyrics = lyrics
    }

    /// The LRC file of the sung lines (nil for instrumentals).
    public func lrc(lengthSeconds: Double) -> Data? {
        guard let vocal = performance.vocal, !vocal.lines.isEmpty else { return nil }
        return LRCWriter.data(title: score.title, lengthSeconds: lengthSeconds, lines: vocal.lines)
    }
}

/// Turns a request into a composed song (prompt -> brief -> score -> performance).
public protocol SongWriter: Sendable {
    func write(_ request: GenerationRequest) throws -> ComposedSong
}

/// The built-in engine (provider "local"): composes with `Composer` and renders with `AudioEngine`, entirely on
/// this machine's CPU.
///
/// Rendering is seconds of CPU-bound work, so it runs on a thread of its own (`RenderThread`), never on the
/// Swift concurrency pool, whose few threads also serve the HTTP server. Task cancellation is forwarded to the
/// render loop, which stops within a chunk (well under a second).
public struct LocalEngine: MusicEngine {
    public let provider = "local"
    public var writer: any SongWriter
    public var renderer: SongRenderer

    public init(writer: any SongWriter, renderer: SongRenderer = SongRenderer()) {
        self.writer = writer
        self.renderer = renderer
    }

    /// Share of the progress bar for composing (the rest is rendering).
    static let composingShare = 0.05

    public func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        let writer = self.writer, renderer = self.renderer
        return try await RenderThread.run { isCancelled in
            progress(0)
            let song = try writer.write(request)
            if isCancelled() { throw CancellationError() }
            progress(Self.composingShare)
            let rendered = try renderer.render(
                score: song.score, performance: song.performance,
                outputs: RenderOutputs(wav: false, midi: true, sheet: true),
                progress: { progress(Self.composingShare + (1 - Self.composingShare) * $0) },
                isCancelled: isCancelled)
            var media: [MediaKind: Data] = [.mp3: rendered.mp3]
            media[.midi] = rendered.midi
            media[.sheet] = rendered.sheet
            media[.lrc] = song.lrc(lengthSeconds: rendered.durationSeconds)
            let score = song.score
            var generated = GeneratedSong(
                title: score.title, lyrics: song.lyrics, durationSeconds: rendered.durationSeconds, bpm: score.bpm,
                key: score.key.description, genre: score.brief.genre.displayName, media: media)
            generated.imageInfluence = score.brief.imageInfluence.flatMap { JSONValue(encoding: $0) }
            return generated
        }
    }
}

/// Runs CPU-bound work on a dedicated thread and awaits it without blocking a concurrency-pool thread.
public enum RenderThread {
    /// Calls `work` on a new thread. `work` receives a cancellation check that turns true as soon as the awaiting
    /// task is cancelled; it should poll it and throw `CancellationError`.
    public static func run<Result: Sendable>(
        _ work: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool) throws -> Result
    ) async throws -> Result {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    do {
                        continuation.resume(returning: try work { flag.isCancelled })
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "tunesmith-render"
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            flag.cancel()
        }
    }
}

/// A one-way cancellation switch readable from any thread.
final class CancellationFlag: Sendable {
    private let cancelled = NIOLockedValueBox(false)

    func cancel() { cancelled.withLockedValue { $0 = true } }
    var isCancelled: Bool { cancelled.withLockedValue { $0 } }
}
