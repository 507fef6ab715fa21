import Foundation
import SeededRandom

/// Sings a `SungTrack` with the spectrum of the spoken phrase it maps onto, at 44.1 kHz.
///
/// A clustergen voice describes each 5 ms frame by mel-cepstra (its spectral envelope, defined up to 8 kHz for
/// 16 kHz recordings) and five band voicing strengths (how much of each band is pulses and how much noise).
/// Flite's own vocoder excites an MLSA filter with pulses on whole 16 kHz samples, which jitters high voices by
/// up to a sample per period. Here every glottal pulse is the envelope's minimum-phase impulse response,
/// computed from the cepstrum by one inverse FFT at 44.1 kHz and delayed by the pulse's exact fractional
/// position, so harmonics stay clean at any pitch and the envelope (formants) stays where the voice has it
/// whatever the sung pitch. The noise part is white noise from a seeded generator filtered by the same envelope
/// frame by frame (overlap-added FFT frames). Above the voice's band the envelope continues downwards as a
/// gentle slope of mostly noise ("air").
struct Vocoder {
    static let sampleRate = 44_100.0
    static let pulseSize = 1_024
    static let noiseSize = 512
    static let noiseHop = 128
    /// Slope of the envelope continued above the voice's band: nepers per octave (-16 dB).
    static let airSlope = -1.8
    /// The air starts this far (nepers) below the voice's level at the reference frequency.
    static let airOffset = -0.3
    /// Share of every voiced band sung as noise instead of pulses. A sung note, far above the speaking pitch,
    /// shows the envelope only at its widely spaced harmonics; breath noise between them fills the envelope in,
    /// and the vowels and voiced consonants become much easier to tell apart (docs/modules/voice.md).
    static let aspiration: Float = 0.25
    /// The aspiration starts above the fundamental and the first harmonics (which carry the pitch), from 1 kHz,
    /// fully from 2 kHz.
    static let aspirationBand = 1_000.0...2_000.0
    /// Band centres (Hz) of the mixed excitation's five voicing strengths.
    static let bandCentres: [Double] = [500, 1_500, 3_000, 5_000, 7_000]

    let model: VoiceModel
    let order: Int
    private let pulses: SpectralTransform
    private let noise: SpectralTransform
    private let bins: Int
    /// Bins below the voice's own band edge (where the cepstrum defines the envelope).
    private let bandBins: Int
    /// cos(m * warped(omega_k)) and sin(...) for the band's bins, bin-major.
    private let cosines: [Double]
    private let sines: [Double]
    /// Per bin: the pulse's fractional-delay phase slope, the brightness tilt, and the band interpolation.
    private let binRadians: [Float]
    private let tilt: [Float]
    private let bandWeights: [(low: Int, high: Int, fraction: Float)]
    private let taper: [Float]
    /// Flite's MLSA filter (a Pade approximation of the same envelope) sounds 3-4 dB brighter above 2 kHz than
    /// the exact envelope; this restores that presence, which carries the consonants.
    private let presence: [Float]
    static let presenceGain = 0.4
    private let noiseWindow: [Float]
    /// Per bin: how much of `aspiration` applies there.
    private let aspirationRamp: [Float]

    init(model: VoiceModel, order: Int) throws {
        self.model = model
        self.order = order
        pulses = try SpectralTransform(size: Self.pulseSize)
        noise = try SpectralTransform(size: Self.noiseSize)
        bins = Self.pulseSize / 2 + 1
        let binHertz = Self.sampleRate / Double(Self.pulseSize)
        let nyquist = model.sampleRate / 2
        bandBins = min(bins, Int((nyquist * 0.999) / binHertz) + 1)
        var cosines = [Double](repeating: 0, count: bandBins * order)
        var sines = [Double](repeating: 0, count: bandBins * order)
        for bin in 0..<bandBins {
            let omega = 2 * Double.pi * Double(bin) * binHertz / model.sampleRate
            let warped = omega + 2 * atan(model.alpha * sin(omega) / (1 - model.alpha * cos(omega)))
            for m in 0..<order {
                cosines[bin * order + m] = cos(Double(m) * warped)
                sines[bin * order + m] = sin(Double(m) * warped)
            }
        }
        self.cosines = cosines
        self.sines = sines
        binRadians = (0..<bins).map { Float(2 * Double.pi * Double($0) / Double(Self.pulseSize)) }
        tilt = (0..<bins).map { Float(min(1, Double($0) * binHertz / nyquist)) }
        bandWeights = (0..<bins).map { bin in
            let hertz = Double(bin) * binHertz
            let centres = Self.bandCentres
            guard hertz > centres[0] else { return (0, 0, 0) }
            guard let high = centres.firstIndex(where: { $0 >= hertz }) else { return (centres.count - 1, centres.count - 1, 0) }
            let low = high - 1
            return (low, high, Float((hertz - centres[low]) / (centres[high] - centres[low])))
        }
        presence = (0..<bins).map { bin in
            let hertz = Double(bin) * binHertz
            let ramp = min(1, max(0, (hertz - 1_000) / 2_000))
            return Float(Self.presenceGain * ramp * ramp * (3 - 2 * ramp))
        }
        aspirationRamp = (0..<bins).map { bin in
            let band = Self.aspirationBand
            return Float(min(1, max(0, (Double(bin) * binHertz - band.lowerBound) / (band.upperBound - band.lowerBound))))
        }
        let tail = Self.pulseSize / 4
        taper = (0..<Self.pulseSize).map { index in
            index < Self.pulseSize - tail ? 1 : Float(0.5 + 0.5 * cos(Double.pi * Double(index - (Self.pulseSize - tail)) / Double(tail)))
        }
        noiseWindow = (0..<Self.noiseSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(Self.noiseSize))) }
    }

    /// The phrase's spectrum per frame at this vocoder's bins: log magnitude, minimum phase, pulse share.
    struct Envelopes {
        var frames: Int
        var logMagnitude: [Float]
        var phase: [Float]
        var periodic: [Float]
    }

    func envelopes(of phrase: SpokenPhrase) -> Envelopes {
        let frames = phrase.frameCount
        var logMagnitude = [Float](repeating: 0, count: frames * bins)
        var phase = [Float](repeating: 0, count: frames * bins)
        var periodic = [Float](repeating: 0, count: frames * bins)
        var cepstrum = [Double](repeating: 0, count: order)
        var magnitudes = [Double](repeating: 0, count: bandBins)
        let binHertz = Self.sampleRate / Double(Self.pulseSize)
        let nyquist = model.sampleRate / 2
        // Above 90 % of the band edge the recordings' anti-alias filter, not the voice, shaped the spectrum: from
        // there up the envelope follows a slope from the level around 75 % of the edge (6 kHz for 16 kHz voices).
        let referenceBin = Int(0.75 * nyquist / binHertz)
        let slopeBin = Int(0.9 * nyquist / binHertz)
        for frame in 0..<frames {
            for m in 0..<order { cepstrum[m] = Double(phrase.cepstra[frame * order + m]) }
            emphasiseFormants(&cepstrum)
            let base = frame * bins
            for bin in 0..<bandBins {
                var magnitude = 0.0, angle = 0.0
                let row = bin * order
                for m in 0..<order {
                    magnitude += cepstrum[m] * cosines[row + m]
                    angle -= cepstrum[m] * sines[row + m]
                }
                magnitudes[bin] = magnitude
                logMagnitude[base + bin] = Float(magnitude + log(model.gain)) + presence[bin]
                phase[base + bin] = Float(angle)
            }
            let reference = Float(magnitudes[(referenceBin - 3)...(referenceBin + 3)].reduce(0, +) / 7 + log(model.gain))
            let referenceHertz = Double(referenceBin) * binHertz
            for bin in slopeBin..<bins {
                logMagnitude[base + bin] = reference + Float(Self.airOffset + Self.airSlope * log2(Double(bin) * binHertz / referenceHertz))
                phase[base + bin] = phase[base + slopeBin - 1]
            }
            let strengths = phrase.strengths[(frame * phrase.bands)..<((frame + 1) * phrase.bands)]
            let first = strengths.startIndex
            for bin in 0..<bins {
                let weight = bandWeights[bin]
                let low = strengths[first + min(weight.low, phrase.bands - 1)], high = strengths[first + min(weight.high, phrase.bands - 1)]
                var share = low + (high - low) * weight.fraction
                // Above the band the pulses fade into noise by 12 kHz.
                let hertz = Double(bin) * binHertz
                if hertz > nyquist { share *= Float(max(0, 1 - (hertz - nyquist) / 4_000)) }
                periodic[base + bin] = share * (1 - Self.aspiration * aspirationRamp[bin])
            }
        }
        return Envelopes(frames: frames, logMagnitude: logMagnitude, phase: phase, periodic: periodic)
    }

    /// The voice's postfilter: coefficients 2... scaled by 1 + beta sharpen the formants; c0 keeps the energy.
    private func emphasiseFormants(_ cepstrum: inout [Double]) {
        guard model.beta > 0, order > 2 else { return }
        func energy(_ c: [Double]) -> Double {
            var sum = 0.0
            for bin in 0..<bandBins {
                var magnitude = 0.0
                for m in 0..<order { magnitude += c[m] * cosines[bin * order + m] }
                sum += exp(2 * magnitude)
            }
            return sum
        }
        let before = energy(cepstrum)
        for m in 2..<order { cepstrum[m] *= 1 + model.beta }
        let after = energy(cepstrum)
        if before > 0, after > 0 { cepstrum[0] += log(before / after) / 2 }
    }

    /// The track's parameters at `time`, interpolated between its frames where they join.
    private struct Moment {
        var source: Double
        var voiced: Bool
        var hertz: Double
        var level: Float
        var brightness: Float
    }

    private func moment(_ track: SungTrack, at time: Double) -> Moment? {
        let position = (time - track.start) / SungTrack.step
        guard position >= 0 else { return nil }
        let frame = Int(position)
        guard frame < track.count else { return nil }
        let fraction = position - Double(frame)
        guard frame + 1 < track.count, track.joinsNext[frame] else {
            guard track.level[frame] > 0 else { return nil }
            return Moment(
                source: track.source[frame], voiced: track.voiced[frame], hertz: track.hertz[frame],
                level: track.level[frame], brightness: track.brightness[frame])
        }
        let next = frame + 1
        let voiced = fraction < 0.5 ? track.voiced[frame] : track.voiced[next]
        let hertz = track.hertz[frame] > 0 && track.hertz[next] > 0
            ? track.hertz[frame] * pow(track.hertz[next] / track.hertz[frame], fraction) : max(track.hertz[frame], track.hertz[next])
        let f = Float(fraction)
        return Moment(
            source: track.source[frame] + (track.source[next] - track.source[frame]) * fraction, voiced: voiced, hertz: hertz,
            level: track.level[frame] + (track.level[next] - track.level[frame]) * f,
            brightness: track.brightness[frame] + (track.brightness[next] - track.brightness[frame]) * f)
    }

    /// Adds the sung phrase into `output` (song samples at 44.1 kHz). `seed` makes its noise repeatable.
    func sing(_ track: SungTrack, envelopes: Envelopes, seed: UInt64, into output: inout [Float]) {
        guard track.count > 1, envelopes.frames > 0 else { return }
        let startSample = max(0, Int((track.start * Self.sampleRate).rounded(.down)))
        let endSample = min(output.count, Int(((track.start + Double(track.count) * SungTrack.step) * Self.sampleRate).rounded(.up)))
        guard endSample > startSample else { return }
        // Flite's excitation in its own units (pulses of sqrt(period) at 16 kHz, unit noise) carried over to
        // 44.1 kHz with the same level per hertz; the result is scaled from Flite's 16-bit range to +-1.
        let rateRatio = Self.sampleRate / model.sampleRate
        let outputScale: Float = 1 / 32_768
        output.withUnsafeMutableBufferPointer { out in
            singPulses(track, envelopes, rateRatio: rateRatio, scale: outputScale, from: startSample, to: endSample, into: out)
            singNoise(track, envelopes, rateRatio: rateRatio, scale: outputScale, seed: seed, from: startSample, to: endSample, into: out)
        }
    }

    private func singPulses(
        _ track: SungTrack, _ envelopes: Envelopes, rateRatio: Double, scale: Float, from startSample: Int, to endSample: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        var time = Double(startSample) / Self.sampleRate
        let end = Double(endSample) / Self.sampleRate
        while time < end {
            guard let moment = moment(track, at: time), moment.voiced, moment.hertz > 0 else {
                // Next frame boundary: pulses restart where voicing does.
                let frame = ((time - track.start) / SungTrack.step).rounded(.down) + 1
                time = max(time + 1e-6, track.start + frame * SungTrack.step)
                continue
            }
            let position = time * Self.sampleRate
            let first = Int(position.rounded(.down))
            let delay = Float(position - Double(first))
            let amplitude = log(Float((model.sampleRate / moment.hertz).squareRoot() * rateRatio) * moment.level * scale)
            let (low, high, fraction) = envelopeFrames(envelopes, at: moment.source)
            let response = pulses.inverse { magnitude, phase in
                for bin in 0..<bins {
                    let a = low * bins + bin, b = high * bins + bin
                    let logMagnitude = envelopes.logMagnitude[a] + (envelopes.logMagnitude[b] - envelopes.logMagnitude[a]) * fraction
                    let share = envelopes.periodic[a] + (envelopes.periodic[b] - envelopes.periodic[a]) * fraction
                    magnitude[bin] = exp(logMagnitude + amplitude + tilt[bin] * moment.brightness) * share
                    phase[bin] = envelopes.phase[a] + (envelopes.phase[b] - envelopes.phase[a]) * fraction - binRadians[bin] * delay
                }
            }
            let count = min(Self.pulseSize, out.count - first)
            for index in 0..<max(0, count) { out[first + index] += response[index] * taper[index] }
            time += 1 / moment.hertz
        }
    }

    private func singNoise(
        _ track: SungTrack, _ envelopes: Envelopes, rateRatio: Double, scale: Float, seed: UInt64, from startSample: Int,
        to endSample: Int, into out: UnsafeMutableBufferPointer<Float>
    ) {
        let size = Self.noiseSize, hop = Self.noiseHop
        let firstFrame = startSample - size / 2
        let frames = (endSample - firstFrame) / hop + 1
        var generator = NoiseGenerator(seed: seed)
        // One white-noise signal for the whole phrase, filtered frame by frame (Hann in, Hann out, 75 % overlap:
        // the squared windows sum to 1.5).
        let noiseLevel = Float(rateRatio.squareRoot()) * scale / 1.5
        let white = (0..<(frames * hop + size)).map { _ in generator.nextGaussian() }
        let binStep = Self.pulseSize / size
        for frame in 0..<frames {
            let offset = frame * hop
            let centre = Double(firstFrame + offset + size / 2) / Self.sampleRate
            guard let moment = moment(track, at: centre) else { continue }
            let (low, high, fraction) = envelopeFrames(envelopes, at: moment.source)
            let level = log(moment.level * noiseLevel)
            let filtered = noise.filter({ samples in
                for index in 0..<size { samples[index] = white[offset + index] * noiseWindow[index] }
            }, modify: { magnitude, _ in
                for bin in 0..<(size / 2 + 1) {
                    let source = bin * binStep
                    let a = low * bins + source, b = high * bins + source
                    let logMagnitude = envelopes.logMagnitude[a] + (envelopes.logMagnitude[b] - envelopes.logMagnitude[a]) * fraction
                    let share = envelopes.periodic[a] + (envelopes.periodic[b] - envelopes.periodic[a]) * fraction
                                        magnitude[bin] *= exp(logMagnitude + level + tilt[source] * moment.brightness) * (1 - share)
                }
            })
            let base = firstFrame + offset
            for index in 0..<size where base + index >= 0 && base + index < out.count {
                out[base + index] += filtered[index] * noiseWindow[index]
            }
        }
    }

    private func envelopeFrames(_ envelopes: Envelopes, at source: Double) -> (Int, Int, Float) {
        let clamped = min(Double(envelopes.frames - 1), max(0, source))
        let low = Int(clamped)
        return (low, min(envelopes.frames - 1, low + 1), Float(clamped - Double(low)))
    }
}

/// Repeatable Gaussian noise: the project's seeded uniforms through the Box-Muller transform.
struct NoiseGenerator {
    private var uniforms: SeededGenerator
    private var spare: Float?

    init(seed: UInt64) { uniforms = SeededGenerator(seed: seed) }

    mutating func nextGaussian() -> Float {
        if let spare {
            self.spare = nil
            return spare
        }
        // Shifted by half a step so the logarithm never sees zero.
        let radius = (-2 * log(uniforms.unit() + 0x1p-54)).squareRoot()
        let angle = 2 * Double.pi * uniforms.unit()
        spare = Float(radius * sin(angle))
        return Float(radius * cos(angle))
    }
}
