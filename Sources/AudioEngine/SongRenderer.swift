import Composer
import Foundation

/// Which files to make besides the MP3.
public struct RenderOutputs: Sendable, Hashable {
    public var wav: Bool
    public var midi: Bool
    public var sheet: Bool

    public init(wav: Bool = false, midi: Bool = true, sheet: Bool = true) {
        self.wav = wav
        self.midi = midi
        self.sheet = sheet
    }
}

/// Wall-clock seconds spent in each stage.
public struct RenderTimings: Sendable, Hashable, Codable {
    public var synthesisAndMix: Double = 0
    public var mastering: Double = 0
    public var encoding: Double = 0
    public var total: Double { synthesisAndMix + mastering + encoding }
}

/// Everything a render produced.
public struct RenderedSong: Sendable {
    public var mp3: Data
    public var wav: Data?
    public var midi: Data?
    public var sheet: Data?
    /// The mastered audio the MP3 was encoded from.
    public var mastered: StereoBuffer
    public var mastering: MasteringReport
    public var timings: RenderTimings
    public var durationSeconds: Double { mastered.durationSeconds }
}

/// Score + Performance in, finished files out: FluidSynth stems, mix, master, MP3 (plus WAV, MIDI and song
/// sheet on request). Synchronous and CPU-bound by design: callers run it on a thread of their own, and
/// `isCancelled` is polled between chunks so a cancelled song stops within a fraction of a second.
public struct SongRenderer: Sendable {
    public var soundFont: SoundFontLocation
    public var sampleRate: Int
    public var workers: Int
    public var mastering: Mastering
    public var pool: SynthesizerPool

    public init(
        soundFont: SoundFontLocation = .resolve(), sampleRate: Int = StereoBuffer.standardSampleRate,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, mastering: Mastering = Mastering(),
        pool: SynthesizerPool = .shared
    ) {
        self.soundFont = soundFont
        self.sampleRate = sampleRate
        self.workers = max(1, workers)
        self.mastering = mastering
        self.pool = pool
    }

    /// Share of the progress bar each stage gets, from measured stage times of 3-minute songs.
    private static let synthesisShare = 0.7
    private static let masteringShare = 0.1

    public func render(
        score: Score, performance: Performance, outputs: RenderOutputs = RenderOutputs(),
        progress: @escaping @Sendable (Double) -> Void = { _ in },
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> RenderedSong {
        var timings = RenderTimings()
        let clock = ContinuousClock()
        var mark = clock.now
        func lap() -> Double {
            let now = clock.now
            defer { mark = now }
            let elapsed = now - mark
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }

        progress(0)
        let band = BandRenderer(soundFont: soundFont, pool: pool, workers: workers, reverb: Reverb())
        let mix = try band.render(
            performance, sampleRate: sampleRate,
            progress: { progress($0 * Self.synthesisShare) }, isCancelled: isCancelled)
        timings.synthesisAndMix = lap()
        if isCancelled() { throw CancellationError() }

        let mastered = try mastering.master(mix, isCancelled: isCancelled)
        timings.mastering = lap()
        progress(Self.synthesisShare + Self.masteringShare)
        if isCancelled() { throw CancellationError() }

        let encodingStart = Self.synthesisShare + Self.masteringShare
        let mp3 = try MP3Encoder.encode(mastered.buffer, isCancelled: isCancelled) 
        timings.encoding = lap()
        progress(min(0.99, encodingStart + (1 - encodingStart) * 0.95))

        let wav = outputs.wav ? WAVWriter.data(for: mastered.buffer) : nil
        let midi = outputs.midi ? MIDIWriter.data(for: score) : nil
        let sheet = outputs.sheet ? try SongSheet(score: score, lengthSeconds: mastered.buffer.durationSeconds).jsonData() : nil
        progress(1)
        return RenderedSong(
            mp3: mp3, wav: wav, midi: midi, sheet: sheet, mastered: mastered.buffer, mastering: mastered.report,
            timings: timings)
    }
}
