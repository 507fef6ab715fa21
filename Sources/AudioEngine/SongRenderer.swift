import Composer
import Foundation
import NIOConcurrencyHelpers

/// Which files to make besides the MP3.
public struct RenderOutputs: Sendable, Hashable {
    public var wav: Bool
    public var midi: Bool
    public var sheet: Bool
    /// One 16-bit WAV per part (and "vocals"), after its channel strip, at the mastering gain, without reverb.
    public var stems: Bool

    public init(wav: Bool = false, midi: Bool = true, sheet: Bool = true, stems: Bool = false) {
        self.wav = wav
        self.midi = midi
        self.sheet = sheet
        self.stems = stems
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
    /// On request: a 16-bit stereo WAV per part keyed by the part's name, plus "vocals" when there is a vocal.
    public var stems: [String: Data] = [:]
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

    public init(
        soundFont: SoundFontLocation = .resolve(), sampleRate: Int = StereoBuffer.standardSampleRate,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, mastering: Mastering = Mastering()
    ) {
        self.soundFont = soundFont
        self.sampleRate = sampleRate
        self.workers = max(1, workers)
        self.mastering = mastering
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
        let band = BandRenderer(soundFont: soundFont, workers: workers, reverb: Reverb())
        let mix: StereoBuffer
        var dryStems: [(name: String, left: [Float], right: [Float])] = []
        if performance.vocal == nil && !outputs.stems {
            mix = try band.render(
                performance, sampleRate: sampleRate,
                progress: { progress($0 * Self.synthesisShare) }, isCancelled: isCancelled)
        } else {
            (mix, dryStems) = try renderWithVocal(
                performance, band: band, stems: outputs.stems, progress: progress, isCancelled: isCancelled)
        }
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
        // Stems at the gain mastering gave the mix, so they sit at the song's level (the limiter is not applied).
        var stems: [String: Data] = [:]
        let stemGain = Float(amplitude(decibels: mastered.report.gainDB))
        for stem in dryStems {
            var name = stem.name.isEmpty ? "part" : stem.name
            var suffix = 2
            while stems[name] != nil {
                name = "\(stem.name)-\(suffix)"
                suffix += 1
            }
            var buffer = StereoBuffer(left: stem.left, right: stem.right, sampleRate: sampleRate)
            buffer.scale(by: stemGain)
            stems[name] = WAVWriter.data(for: buffer)
        }
        progress(1)
        return RenderedSong(
            mp3: mp3, wav: wav, midi: midi, sheet: sheet, mastered: mastered.buffer, mastering: mastered.report,
            timings: timings, stems: stems)
    }

    /// The band and the vocal rendered side by side (the voice on a thread of its own while the band's lanes
    /// use the others), then mixed: the vocal's level set against the band, the band ducked under the lead,
    /// the vocal's send into the shared reverb. Also the path for stems of an instrumental.
    private func renderWithVocal(
        _ performance: Performance, band: BandRenderer, stems: Bool,
        progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) throws -> (StereoBuffer, [(name: String, left: [Float], right: [Float])]) {
        let frames = Int((performance.durationSeconds * Double(sampleRate)).rounded(.up))
        let vocalResult = VocalResult()
        let group = DispatchGroup()
        if let vocal = performance.vocal, performance.durationSeconds.isFinite, performance.durationSeconds > 0,
           performance.durationSeconds <= BandRenderer.longestSeconds
        {
            let sampleRate = sampleRate
            DispatchQueue.global().async(group: group) {
                vocalResult.store(Result {
                    guard sampleRate == SingingVoice.sampleRate else {
                        throw RenderError.voiceUnavailable("the voice sings at \(SingingVoice.sampleRate) Hz only")
                    }
                    return try VocalTrack.render(vocal, frames: frames) { isCancelled() || vocalResult.bandFailed }
                })
            }
        }
        let dry: (bus: MixBus, stems: [StemBuffer])
        do {
            dry = try band.renderDry(
                performance, sampleRate: sampleRate, stems: stems,
                progress: { progress($0 * Self.synthesisShare) }, isCancelled: isCancelled)
        } catch {
            vocalResult.bandFailed = true
            group.wait()
            throw error
        }
        group.wait()
        if isCancelled() { throw CancellationError() }
        var ducking: [Float]?
        var vocalStem: (name: String, left: [Float], right: [Float])?
        if let result = vocalResult.result {
            let vocal = try result.get()
            let gain = VocalMixer.levelGain(vocal: vocal, band: dry.bus, sampleRate: sampleRate)
            let duck = VocalMixer.duckingGain(lead: vocal.leadLevel, frames: frames, sampleRate: sampleRate)
            if stems { vocalStem = ("vocals", vocal.left.map { $0 * gain }, vocal.right.map { $0 * gain }) }
            VocalMixer.mix(vocal, gain: gain, ducking: duck, into: dry.bus)
            ducking = duck
        }
        var stemOutputs: [(name: String, left: [Float], right: [Float])] = []
        for (index, stem) in dry.stems.enumerated() {
            var left = Array(UnsafeBufferPointer(start: stem.left, count: stem.frames))
            var right = Array(UnsafeBufferPointer(start: stem.right, count: stem.frames))
            if let ducking {
                for frame in 0..<min(frames, ducking.count) {
                    left[frame] *= ducking[frame]
                    right[frame] *= ducking[frame]
                }
            }
            stemOutputs.append((performance.parts[index].name, left, right))
        }
        if let vocalStem { stemOutputs.append(vocalStem) }
        return (band.finish(dry.bus, sampleRate: sampleRate), stemOutputs)
    }
}

/// The vocal thread's result, handed to the rendering thread, and the band's failure, seen by the vocal thread.
private final class VocalResult: Sendable {
    private let stored = NIOLockedValueBox<Result<VocalTrack, any Error>?>(nil)
    private let failed = NIOLockedValueBox(false)

    var result: Result<VocalTrack, any Error>? { stored.withLockedValue { $0 } }
    func store(_ result: Result<VocalTrack, any Error>) { stored.withLockedValue { $0 = result } }
    var bandFailed: Bool {
        get { failed.withLockedValue { $0 } }
        set { failed.withLockedValue { $0 = newValue } }
    }
}
