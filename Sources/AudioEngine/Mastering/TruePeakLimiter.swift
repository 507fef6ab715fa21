import Foundation

/// A look-ahead brick-wall limiter that keeps the *true* (inter-sample) peak under a ceiling.
///
/// Offline, the whole song is available, so "look-ahead" is just looking further along the array:
/// 1. peak detection, 4x oversampled: each frame's level is the largest of the sample and three interpolated
///    points before the next sample (an 8-tap-per-phase windowed-sinc interpolator), over both channels;
///    embarrassingly parallel, so it runs on two threads;
/// 2. the gain each frame needs (ceiling / peak, at most 1) is turned into a smooth gain curve: a sliding
///    minimum over the look-ahead window, an exponential release back to unity, then a moving average over the
///    same window. Every averaged point includes the frame's own requirement, so the curve never exceeds it,
///    and it ramps down over the look-ahead instead of stepping (no clicks);
/// 3. the input times the gain and the curve is written out (again on two threads).
struct TruePeakLimiter {
    var ceilingDBTP: Double = -1.3
    var lookaheadMs: Double = 1.5
    var releaseMs: Double = 60

    /// Returns `input * gain`, limited.
    func process(_ input: StereoBuffer, gain: Double) -> StereoBuffer {
        let frames = input.frames
        guard frames > 0 else { return input }
        let ceiling = Float(amplitude(decibels: ceilingDBTP))
        let window = max(1, Int(lookaheadMs / 1000 * Double(input.sampleRate)))
        let release = Float(exp(-1 / (releaseMs / 1000 * Double(input.sampleRate))))
        let inputGain = Float(gain)

        var required = [Float](repeating: 1, count: frames)
        var output = StereoBuffer(frames: frames, sampleRate: input.sampleRate)
        input.left.withUnsafeBufferPointer { left in
            input.right.withUnsafeBufferPointer { right in
                required.withUnsafeMutableBufferPointer { required in
                    guard let l = left.baseAddress, let r = right.baseAddress, let need = required.baseAddress else { return }
                    // Step 1: the gain each frame needs.
                    Self.parallelRanges(frames) { range in
                        Self.requiredGain(left: l, right: r, frames: frames, range: range, ceiling: ceiling / inputGain, into: need)
                    }
                    // Step 2: the smooth gain curve (serial: each value depends on the previous one).
                    Self.smooth(need, count: frames, window: window, release: release)
                    // Step 3: apply.
                    output.left.withUnsafeMutableBufferPointer { outLeft in
                        output.right.withUnsafeMutableBufferPointer { outRight in
                            guard let ol = outLeft.baseAddress, let or = outRight.baseAddress else { return }
                            Self.parallelRanges(frames) { range in
                                for index in range {
                                    let g = need[index] * inputGain
                                    ol[index] = l[index] * g
                                    or[index] = r[index] * g
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Splits `0..<count` in two and runs `body` on both halves concurrently.
    private static func parallelRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = count >= 65_536 ? 2 : 1
        parallelFor(parts) { part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }

    /// Interpolation filter: a Hann-windowed sinc, 8 taps per phase, for the points 1/4, 2/4, 3/4 between
    /// samples (taps at offsets -3...4).
    static let phases: [SIMD8<Float>] = (1...3).map { phase in
        let fraction = Double(phase) / 4
        var taps = SIMD8<Float>()
        for tap in 0..<8 {
            let t = Double(tap - 3) - fraction
            let sinc = sin(Double.pi * t) / (Double.pi * t)
            let hann = 0.5 + 0.5 * cos(Double.pi * t / 4.5)
            taps[tap] = Float(sinc * hann)
        }
        return taps
    }

    /// Lowers `need[i]` to the gain frame `i` needs to stay under `ceiling`, for frames in `range`.
    private static func requiredGain(
        left: UnsafePointer<Float>, right: UnsafePointer<Float>, frames: Int, range: Range<Int>, ceiling: Float,
        into need: UnsafeMutablePointer<Float>
    ) {
        let (p0, p1, p2) = (phases[0], phases[1], phases[2])
        let ceilingVector = SIMD8<Float>(repeating: ceiling)
        let one = SIMD8<Float>(repeating: 1)
        // Frames with all 8 neighbours inside the song take the vector path, 8 output frames at a time: each tap
        // is one unaligned 8-wide load multiplied by a broadcast coefficient.
        let interiorStart = max(range.lowerBound, 3)
        let interiorEnd = max(interiorStart, min(range.upperBound, frames - 4))
        for channel in [left, right] {
            var index = interiorStart
            while index + 8 <= interiorEnd {
                var a = SIMD8<Float>(), b = SIMD8<Float>(), d = SIMD8<Float>()
                for tap in 0..<8 {
                    let x = UnsafeRawPointer(channel + (index - 3 + tap)).loadUnaligned(as: SIMD8<Float>.self)
                    a += x * p0[tap]
                    b += x * p1[tap]
                    d += x * p2[tap]
                }
                let center = UnsafeRawPointer(channel + index).loadUnaligned(as: SIMD8<Float>.self)
                let peak = pointwiseMax(pointwiseMax(center.magnitudes, a.magnitudes), pointwiseMax(b.magnitudes, d.magnitudes))
                let gain = (ceilingVector / peak).replacing(with: one, where: peak .<= ceilingVector)
                let slot = UnsafeMutableRawPointer(need + index)
                let current = UnsafeRawPointer(slot).loadUnaligned(as: SIMD8<Float>.self)
                slot.storeBytes(of: pointwiseMin(current, gain), as: SIMD8<Float>.self)
                index += 8
            }
            // The rest (song edges, range tails): the same sums, treating frames outside the song as silence.
            let scalarIndices = Array(range.lowerBound..<interiorStart) + Array(index..<range.upperBound)
            for index in scalarIndices {
                var peak = abs(channel[index])
                for phase in [p0, p1, p2] {
                    var acc: Float = 0
                    for tap in 0..<8 where index + tap - 3 >= 0 && index + tap - 3 < frames {
                        acc += phase[tap] * channel[index + tap - 3]
                    }
                    peak = max(peak, abs(acc))
                }
                need[index] = min(need[index], peak > ceiling ? ceiling / peak : 1)
            }
        }
    }

    /// Turns per-frame requirements into the applied gain curve, in place (see the type's comment).
    private static func smooth(_ curve: UnsafeMutablePointer<Float>, count: Int, window: Int, release: Float) {
        // Sliding minimum over the last `window` frames (van Herk / Gil-Werman: prefix and suffix minima per block).
        let prefix = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let suffix = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer {
            prefix.deallocate()
            suffix.deallocate()
        }
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + window)
            prefix[blockStart] = curve[blockStart]
            for index in (blockStart + 1)..<max(blockStart + 1, blockEnd) { prefix[index] = min(prefix[index - 1], curve[index]) }
            suffix[blockEnd - 1] = curve[blockEnd - 1]
            for index in stride(from: blockEnd - 2, through: blockStart, by: -1) { suffix[index] = min(suffix[index + 1], curve[index]) }
            blockStart = blockEnd
        }
        // Hold the minimum, release exponentially back towards unity.
        var envelope: Float = 1
        for index in 0..<count {
            let first = index - window + 1
            let held = first <= 0 ? prefix[index] : min(suffix[first], prefix[index])
            envelope = min(held, 1 - (1 - envelope) * release)
            curve[index] = envelope
        }
        // Forward moving average over `window` frames (frames past the end count as unity gain).
        var sum: Double = 0
        for index in 0..<min(window, count) { sum += Double(curve[index]) }
        sum += Double(max(0, window - count))
        for index in 0..<count {
            let value = Float(sum / Double(window))
            let leaving = Double(curve[index])
            let entering = index + window < count ? Double(curve[index + window]) : 1
            curve[index] = value
            sum += entering - leaving
        }
    }
}
