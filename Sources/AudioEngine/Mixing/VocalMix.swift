import Composer
import Foundation

/// The vocal's own channel: sung lead and backing, treated (high-pass, a little presence, compression,
/// doubling, pan) into a stereo dry signal plus a mono reverb send, at a fixed reference level.
struct VocalTrack: Sendable {
    var left: [Float]
    var right: [Float]
    var send: [Float]
    /// The lead alone after treatment (mono): drives the band's ducking.
    var leadLevel: [Float]

    /// Lead RMS over its sung stretches before mixing: -20 dBFS.
    static let referenceRMS: Float = 0.1
    static let backingGainDB = -6.0
    static let leadSend: Float = 0.22
    static let backingSend: Float = 0.35

    /// Sings and treats `vocal`; `isCancelled` is polled between words.
    static func render(_ vocal: VocalPerformance, frames: Int, isCancelled: () -> Bool) throws -> VocalTrack {
        let singer = SingingVoice(voice: vocal.voice)
        var lead = try singer.render(vocal.lead, frames: frames, isCancelled: isCancelled)
        var backing = vocal.backing.isEmpty ? [Float](repeating: 0, count: frames)
            : try singer.render(vocal.backing, frames: frames, isCancelled: isCancelled)
        normalise(&lead, to: referenceRMS)
        normalise(&backing, to: referenceRMS * Float(amplitude(decibels: backingGainDB)))
        let sampleRate = SingingVoice.sampleRate
        // Lead and backing share the filters: the biquads run both channels at once.
        var highPass = Biquad.highPass(cutoff: 100, sampleRate: sampleRate)
        var presence = Biquad.highShelf(frequency: 4_000, gainDB: 2, sampleRate: sampleRate)
        lead.withUnsafeMutableBufferPointer { leadPointer in
            backing.withUnsafeMutableBufferPointer { backingPointer in
                let l = leadPointer.baseAddress!, b = backingPointer.baseAddress!
                highPass.process(left: l, right: b, count: frames)
                presence.process(left: l, right: b, count: frames)
            }
        }
        compress(&lead)
        compress(&backing)

        var left = [Float](repeating: 0, count: frames)
        var right = [Float](repeating: 0, count: frames)
        var send = [Float](repeating: 0, count: frames)
        // Doubling: two quieter copies 14 and 21 ms late, their delays swaying slowly (a few cents of detune),
        // one leaning left and one right; the backing is spread the same way, wider.
        let doubleGain = Float(amplitude(decibels: -11))
        let firstDouble = ModulatedDelay(base: 0.014, depth: 0.0012, rate: 0.23, sampleRate: sampleRate, frames: frames)
        let secondDouble = ModulatedDelay(base: 0.021, depth: 0.0015, rate: 0.31, sampleRate: sampleRate, frames: frames)
        let backingDelay = ModulatedDelay(base: 0.012, depth: 0.001, rate: 0.19, sampleRate: sampleRate, frames: frames)
        lead.withUnsafeBufferPointer { lead in
            backing.withUnsafeBufferPointer { backing in
                for index in 0..<frames {
                    let voice = lead[index]
                    let one = firstDouble.read(lead, at: index) * doubleGain
                    let two = secondDouble.read(lead, at: index) * doubleGain
                    let harmony = backing[index], harmonyLate = backingDelay.read(backing, at: index)
                    left[index] = voice + one * 0.85 + two * 0.35 + harmony * 0.8 + harmonyLate * 0.35
                    right[index] = voice + one * 0.35 + two * 0.85 + harmony * 0.35 + harmonyLate * 0.8
                    send[index] = voice * leadSend + (one + two) * 0.5 * leadSend + (harmony + harmonyLate) * 0.5 * backingSend
                }
            }
        }
        return VocalTrack(left: left, right: right, send: send, leadLevel: lead)
    }

    /// Scales `samples` so that their RMS over sung 1024-sample blocks is `target`.
    static func normalise(_ samples: inout [Float], to target: Float) {
        let block = 1_024
        var sum: Double = 0, count = 0
        samples.withUnsafeBufferPointer { x in
            var start = 0
            while start + block <= x.count {
                var energy: Double = 0
                for index in start..<(start + block) { energy += Double(x[index] * x[index]) }
                if energy / Double(block) > 1e-6 {  // louder than -60 dBFS: sung
                    sum += energy
                    count += block
                }
                start += block
            }
        }
        guard count > 0, sum > 0 else { return }
        let gain = target / Float((sum / Double(count)).squareRoot())
        for index in samples.indices { samples[index] *= gain }
    }

    /// 3:1 above -26 dBFS (the lead sits at -20 dBFS RMS), 5 ms / 100 ms: evens out syllables and words.
    static func compress(_ samples: inout [Float]) {
        var compressor = Compressor(
            thresholdDB: -26, ratio: 3, attackMs: 5, releaseMs: 100, makeupDB: 0, sampleRate: SingingVoice.sampleRate)
        var scratch = [Float](repeating: 0, count: samples.count)
        samples.withUnsafeMutableBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { y in
                compressor.process(left: x.baseAddress!, right: y.baseAddress!, count: x.count)
            }
        }
    }
}

/// A delay line read with linear interpolation, its delay swaying sinusoidally. The sway is slow, so its sine is
/// tabulated every 32 samples and interpolated in between.
private struct ModulatedDelay {
    let base: Double
    let depth: Double
    private let sway: [Double]

    init(base: Double, depth: Double, rate: Double, sampleRate: Int, frames: Int) {
        self.base = base * Double(sampleRate)
        self.depth = depth * Double(sampleRate)
        let omega = 2 * Double.pi * rate / Double(sampleRate) * 32
        sway = (0...(frames / 32 + 1)).map { sin(omega * Double($0)) }
    }

    @inline(__always) func read(_ signal: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        let block = index >> 5, within = Double(index & 31) / 32
        let from = sway[block], to = sway[block + 1]
        let delay = base + depth * (from + (to - from) * within)
        let position = Double(index) - delay
        guard position >= 0 else { return 0 }
        let whole = Int(position)
        let fraction = Float(position - Double(whole))
        let next = min(signal.count - 1, whole + 1)
        return signal[whole] * (1 - fraction) + signal[next] * fraction
    }
}

/// Puts the vocal into the band: the lead's level is set against the band's where the voice sings, and the
/// band ducks under it.
enum VocalMixer {
    /// The lead sits this far above the band (K-weighting-like measure over the sung stretches), before ducking.
    static let leadAboveBandDB = 1.0
    /// How far the band dips while the lead sings.
    static let duckDB = 2.5

    /// The gain that puts `vocal` `leadAboveBandDB` above the band (both measured high-passed at 100 Hz with a
    /// +4 dB shelf above 1.5 kHz, roughly as the ear weighs loudness, over 16384-frame blocks where the lead sings).
    static func levelGain(vocal: VocalTrack, band: MixBus, sampleRate: Int) -> Float {
        let frames = min(band.frames, vocal.left.count)
        var highPass = Biquad.highPass(cutoff: 100, sampleRate: sampleRate)
        var shelf = Biquad.highShelf(frequency: 1_500, gainDB: 4, sampleRate: sampleRate)
        let block = 16_384
        var bandMono = [Float](repeating: 0, count: block), vocalMono = [Float](repeating: 0, count: block)
        var bandEnergies: [Double] = [], vocalEnergies: [Double] = []
        var start = 0
        while start < frames {
            let count = min(block, frames - start)
            for index in 0..<count {
                bandMono[index] = 0.5 * (band.left[start + index] + band.right[start + index])
                vocalMono[index] = 0.5 * (vocal.left[start + index] + vocal.right[start + index])
            }
            bandMono.withUnsafeMutableBufferPointer { b in
                vocalMono.withUnsafeMutableBufferPointer { v in
                    highPass.process(left: b.baseAddress!, right: v.baseAddress!, count: count)
                    shelf.process(left: b.baseAddress!, right: v.baseAddress!, count: count)
                }
            }
            var bandEnergy: Double = 0, vocalEnergy: Double = 0
            for index in 0..<count {
                bandEnergy += Double(bandMono[index] * bandMono[index])
                vocalEnergy += Double(vocalMono[index] * vocalMono[index])
            }
            bandEnergies.append(bandEnergy / Double(count))
            vocalEnergies.append(vocalEnergy / Double(count))
            start += count
        }
        let loudest = vocalEnergies.max() ?? 0
        guard loudest > 0 else { return 1 }
        var bandSum: Double = 0, vocalSum: Double = 0
        for (bandEnergy, vocalEnergy) in zip(bandEnergies, vocalEnergies) where vocalEnergy > loudest * 0.01 {
            bandSum += bandEnergy
            vocalSum += vocalEnergy
        }
        guard bandSum > 1e-10, vocalSum > 0 else { return 1 }
        let gainDB = 10 * log10(bandSum / vocalSum) + leadAboveBandDB
        return Float(amplitude(decibels: min(30, max(-30, gainDB))))
    }

    /// The band's gain per frame: down by up to `duckDB` while the lead sings, following a smoothed envelope of
    /// the lead (20 ms attack, 300 ms release, then 60 ms smoothing), so it breathes rather than pumps.
    static func duckingGain(lead: [Float], frames: Int, sampleRate: Int) -> [Float] {
        var gains = [Float](repeating: 1, count: frames)
        let block = 64
        let blockRate = Double(sampleRate) / Double(block)
        let attack = Float(exp(-1 / (0.020 * blockRate))), release = Float(exp(-1 / (0.300 * blockRate)))
        let smoothing = Float(exp(-1 / (0.060 * blockRate)))
        // Full ducking from half the lead's reference level up.
        let fullAt = VocalTrack.referenceRMS * 0.5
        let floorGain = Float(amplitude(decibels: -duckDB))
        var envelope: Float = 0, smoothed: Float = 1, previous: Float = 1
        var start = 0
        lead.withUnsafeBufferPointer { lead in
            while start < frames {
                let count = min(block, frames - start, max(0, lead.count - start))
                var sum: Float = 0
                for index in 0..<count { sum += abs(lead[start + index]) }
                let level = count > 0 ? sum / Float(count) : 0
                envelope = level + (level > envelope ? attack : release) * (envelope - level)
                let amount = min(1, envelope / fullAt)
                let target = 1 + (floorGain - 1) * amount
                smoothed = target + smoothing * (smoothed - target)
                let length = min(block, frames - start)
                let step = (smoothed - previous) / Float(length)
                for index in 0..<length { gains[start + index] = previous + step * Float(index + 1) }
                previous = smoothed
                start += length
            }
        }
        return gains
    }

    /// Ducks the band bus, then adds the vocal (`gain` applied) to its dry channels and reverb send.
    static func mix(_ vocal: VocalTrack, gain: Float, ducking: [Float], into bus: MixBus) {
        let frames = min(bus.frames, vocal.left.count, ducking.count)
        for index in 0..<frames {
            let duck = ducking[index]
            bus.left[index] = bus.left[index] * duck + vocal.left[index] * gain
            bus.right[index] = bus.right[index] * duck + vocal.right[index] * gain
            bus.send[index] = bus.send[index] * duck + vocal.send[index] * gain
        }
    }
}
