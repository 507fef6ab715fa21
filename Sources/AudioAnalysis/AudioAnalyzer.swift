import Foundation
import LoudnessMetering

/// Measures rendered audio the way the reviewers' checker (`audio-report`) does: loudness and peaks per
/// EBU R128, tempo, key from a chromagram, internal silence gaps, and a pitch track for vocals.
///
/// Stateless; every method builds (and frees) the C objects it needs, so one value can be shared freely.
public struct AudioAnalyzer: Sendable {
    public init() {}

    /// Length in seconds.
    public func duration(_ audio: AudioBuffer) -> Double { audio.duration }
}

/// Loudness and peak figures of a whole track.
public struct LoudnessReport: Sendable, Equatable {
    /// EBU R128 / ITU BS.1770 gated integrated loudness, LUFS (-infinity for silence).
    public var integratedLUFS: Double
    /// Highest inter-sample peak (libebur128's 4x oversampling), dBTP.
    public var truePeakDBTP: Double
    /// Highest sample magnitude, dBFS.
    public var samplePeakDBFS: Double
    /// Samples at or beyond full scale (|x| >= 0.999, the checker's definition of clipping).
    public var clippedSamples: Int
}

/// A stretch of near silence inside a track.
public struct SilenceGap: Sendable, Equatable {
    /// Where the silence starts, seconds from the beginning.
    public var start: Double
    /// How long it lasts, seconds.
    public var duration: Double

    public var end: Double { start + duration }
}

/// aubio pitch detectors offered for `AudioAnalyzer.pitchTrack`.
public enum PitchMethod: String, Sendable, CaseIterable {
    case yin, yinfast, yinfft
}

/// One analysis frame of a pitch track.
public struct PitchFrame: Sendable, Equatable {
    /// Start of the frame, seconds.
    public var time: Double
    /// Detected fundamental, Hz; 0 when the frame is silent or unpitched.
    public var frequency: Double
    /// aubio's confidence in the estimate, 0...1.
    public var confidence: Double
}

extension AudioAnalyzer {
    /// Integrated loudness, true peak, sample peak and clipped-sample count via libebur128.
    public func loudness(_ audio: AudioBuffer) throws -> LoudnessReport {
        try validate(audio)
        do {
            let meter = try LoudnessMeter(
                channels: audio.channels, sampleRate: Int(audio.sampleRate.rounded()), measures: [.truePeak, .histogram])
            try audio.samples.withUnsafeBufferPointer { samples throws(LoudnessMeterError) in
                try meter.add(interleaved: samples)
            }
            return LoudnessReport(
                integratedLUFS: try meter.integratedLoudness(),
                truePeakDBTP: decibels(try meter.truePeak()),
                samplePeakDBFS: decibels(try meter.samplePeak()),
                clippedSamples: Self.clippedSamples(audio)
            )
        } catch {
            throw AudioAnalysisError.libraryFailure(error.description)
        }
    }

    private static func clippedSamples(_ audio: AudioBuffer) -> Int {
        audio.samples.withUnsafeBufferPointer { samples in
            var count = 0
            for sample in samples where abs(sample) >= 0.999 { count += 1 }
            return count
        }
    }

    /// Internal stretches where the mono mix's RMS (2048-sample frames, 512 hop, as the checker measures it)
    /// stays below `floorDB` for at least `minGap` seconds. Leading and trailing silence are not gaps.
    public func silenceGaps(_ audio: AudioBuffer, floorDB: Double = -50, minGap: Double = 1.5) -> [SilenceGap] {
        let mono = audio.monoMix
        let hop = 512, hopsPerFrame = 4
        guard audio.sampleRate > 0, mono.count >= hop * hopsPerFrame else { return [] }
        // Sum of squares per hop once, then each 2048-sample frame is four neighbouring hops.
        let hopCount = mono.count / hop
        var hopEnergy = [Double](repeating: 0, count: hopCount)
        mono.withUnsafeBufferPointer { samples in
            for index in 0..<hopCount {
                var sum: Double = 0
                for offset in (index * hop)..<(index * hop + hop) { sum += Double(samples[offset] * samples[offset]) }
                hopEnergy[index] = sum
            }
        }
        let frameCount = hopCount - hopsPerFrame + 1
        let floorEnergy = pow(10, floorDB / 10) * Double(hop * hopsPerFrame)
        let quiet = (0..<frameCount).map { frame in
            hopEnergy[frame..<(frame + hopsPerFrame)].reduce(0, +) < floorEnergy
        }
        guard let firstSound = quiet.firstIndex(of: false), let lastSound = quiet.lastIndex(of: false) else {
            return []
        }
        let secondsPerFrame = Double(hop) / audio.sampleRate
        var gaps: [SilenceGap] = []
        var runStart: Int?
        for frame in firstSound...lastSound {
            if quiet[frame] {
                if runStart == nil { runStart = frame }
            } else if let start = runStart {
                // A frame spans four hops, so a run of quiet frames is three hops shorter than the quiet audio.
                let seconds = Double(frame - start + hopsPerFrame - 1) * secondsPerFrame
                if seconds >= minGap {
                    gaps.append(SilenceGap(start: Double(start) * secondsPerFrame, duration: seconds))
                }
                runStart = nil
            }
        }
        return gaps
    }

    /// Fundamental frequency per frame of the mono mix.
    ///
    /// The default is aubio's "yinfast" (YIN computed through the FFT) rather than "yinfft": libaubio 0.4.9's
    /// yinfft reports zero confidence for most notes, so its frames could not be told voiced from unvoiced.
    public func pitchTrack(
        _ audio: AudioBuffer, method: PitchMethod = .yinfast, windowSize: Int = 2048, hopSize: Int = 512,
        silenceDB: Double = -50
    ) throws -> [PitchFrame] {
        try validate(audio)
        let mono = audio.monoMix
        let detector = try AubioPitch(
            method: method.rawValue, windowSize: windowSize, hopSize: hopSize,
            sampleRate: Int(audio.sampleRate.rounded()), silenceDB: silenceDB
        )
        let hop = try AubioVector(length: hopSize)
        var frames: [PitchFrame] = []
        frames.reserveCapacity(mono.count / hopSize + 1)
        hop.forEachHop(of: mono) { start in
            let (hz, confidence) = detector.process(hop)
            frames.append(PitchFrame(time: Double(start) / audio.sampleRate, frequency: hz, confidence: confidence))
        }
        return frames
    }

    func validate(_ audio: AudioBuffer) throws {
        guard audio.channels > 0 else { throw AudioAnalysisError.invalidFormat("zero channels") }
        guard audio.sampleRate >= 8000, audio.sampleRate <= 384_000 else {
            throw AudioAnalysisError.invalidFormat("sample rate \(audio.sampleRate) Hz")
        }
        guard audio.frameCount > 0 else { throw AudioAnalysisError.emptyAudio }
    }
}

func decibels(_ linear: Double) -> Double { linear > 0 ? 20 * log10(linear) : -.infinity }
