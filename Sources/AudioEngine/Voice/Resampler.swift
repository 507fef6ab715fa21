import Foundation

/// Doubles the sample rate (espeak-ng's 22 050 Hz to the mix's 44 100 Hz) with a windowed-sinc half-band
/// interpolator: every input sample is kept, and each new sample between two is the band-limited
/// interpolation of its 32 neighbours (sinc at half-sample offsets, Blackman window), so nothing is imaged
/// above the old Nyquist frequency as it would be by repeating samples.
enum Resampler {
    static let halfTaps = 16
    /// Weights for the sample halfway between x[n] and x[n+1]: taps for x[n - 15] ... x[n + 16].
    static let halfwayTaps: [Float] = {
        let count = 2 * halfTaps
        var taps = (0..<count).map { index -> Double in
            let offset = Double(index - halfTaps + 1) - 0.5  // distance from the halfway point
            let sinc = sin(Double.pi * offset) / (Double.pi * offset)
            let position = (offset + Double(halfTaps)) / Double(2 * halfTaps)  // 0...1 across the window
            let window = 0.42 - 0.5 * cos(2 * Double.pi * position) + 0.08 * cos(4 * Double.pi * position)
            return sinc * window
        }
        let sum = taps.reduce(0, +)
        taps = taps.map { $0 / sum }  // unity gain at DC
        return taps.map(Float.init)
    }()

    static func upsampleByTwo(_ input: [Float]) -> [Float] {
        let count = input.count
        guard count > 0 else { return [] }
        var output = [Float](repeating: 0, count: 2 * count)
        let taps = halfwayTaps
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for n in 0..<count {
                    y[2 * n] = x[n]
                    var sum: Float = 0
                    let first = n - halfTaps + 1
                    if first >= 0 && first + 2 * halfTaps <= count {
                        for tap in 0..<(2 * halfTaps) { sum += x[first + tap] * taps[tap] }
                    } else {
                        for tap in 0..<(2 * halfTaps) {
                            let index = first + tap
                            if index >= 0 && index < count { sum += x[index] * taps[tap] }
                        }
                    }
                    y[2 * n + 1] = sum
                }
            }
        }
        return output
    }
}
