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
    /// Where each continuation begins, in seconds (`GenerationRequest.continuations`); empty for a new song.
    public var continuationStarts: [Double] = []
    /// What the song was made from, as its sheet records it (nil when the writer does not know it).
    public var source: SongSource? = nil

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
            if let continued = request.continuedMIDI { try Self.checkComposesAgain(request, midi: continued, writer: writer) }
            if isCancelled() { throw CancellationError() }
            progress(Self.composingShare)
            let rendered = try renderer.render(
                score: song.score, performance: song.performance,
                outputs: RenderOutputs(wav: false, midi: true, sheet: false, stems: request.stems),
                progress: { progress(Self.composingShare + (1 - Self.composingShare) * $0) },
                isCancelled: isCancelled)
            let sheet = SourcedSongSheet(
                sheet: SongSheet(score: song.score, lengthSeconds: rendered.durationSeconds), source: song.source)
            var media: [MediaKind: Data] = [.mp3: rendered.mp3]
            media[.midi] = rendered.midi
            media[.sheet] = try sheet.jsonData()
            media[.lrc] = song.lrc(lengthSeconds: rendered.durationSeconds)
            if request.stems { media[.stems] = try StemFiles.zip(of: rendered, score: song.score) }
            let score = song.score
            var generated = GeneratedSong(
                title: score.title, lyrics: song.lyrics, durationSeconds: rendered.durationSeconds, bpm: score.bpm,
                key: score.key.description, genre: score.brief.genre.displayName, media: media)
            generated.imageInfluence = score.brief.imageInfluence.flatMap { JSONValue(encoding: $0) }
            return generated
        }
    }

    /// A continuation goes on from the song the user heard: the song this request continues must compose to the
    /// same notes as when it was made (its stored MIDI file), else this version of the engine would continue
    /// another song.
    static func checkComposesAgain(_ request: GenerationRequest, midi: URL, writer: any SongWriter) throws {
        var original = request
        original.continuations = Array(request.continuations.dropLast())
        original.continuedMIDI = nil
        guard let stored = try? Data(contentsOf: midi) else {
            throw SongNotContinuable(reason: "the original's MIDI file is no longer stored")
        }
        guard MIDIWriter.data(for: try writer.write(original).score) == stored else {
            throw SongNotContinuable(
                reason: "this version of the engine composes it differently from when it was made")
        }
    }
}

/// The song an extension continues cannot be composed again exactly; the job fails with this reason.
public struct SongNotContinuable: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var reason: String
    public var description: String { "The original song cannot be continued: \(reason)." }
    public var errorDescription: String? { description }
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
