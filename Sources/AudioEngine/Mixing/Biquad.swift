import Foundation

/// A second-order IIR filter (RBJ "Audio EQ Cookbook" designs) running on both stereo channels at once: the
/// two channels share coefficients, so one SIMD2 recursion filters them together.
struct Biquad {
    private var b0: Float, b1: Float, b2: Float, a1: Float, a2: Float
    // Transposed direct form II state.
    private var z1 = SIMD2<Float>(repeating: 0)
    private var z2 = SIMD2<Float>(repeating: 0)

    private init(b0: Double, b1: Double, b2: Double, a0: Double, a1: Double, a2: Double) {
        self.b0 = Float(b0 / a0)
        self.b1 = Float(b1 / a0)
        self.b2 = Float(b2 / a0)
        self.a1 = Float(a1 / a0)
        self.a2 = Float(a2 / a0)
    }

    /// Butterworth-style high-pass (Q 0.707) at `cutoff` Hz.
    static func highPass(cutoff: Double, sampleRate: Int, q: Double = 0.707) -> Biquad {
        let w0 = 2 * Double.pi * cutoff / Double(sampleRate)
        let alpha = sin(w0) / (2 * q)
        let cosW0 = cos(w0)
        return Biquad(
            b0: (1 + cosW0) / 2, b1: -(1 + cosW0), b2: (1 + cosW0) / 2,
            a0: 1 + alpha, a1: -2 * cosW0, a2: 1 - alpha)
    }

    /// High shelf at `frequency` Hz raising (or, for negative gain, lowering) everything above it.
    static func highShelf(frequency: Double, gainDB: Double, sampleRate: Int) -> Biquad {
        let a = pow(10, gainDB / 40)
        let w0 = 2 * Double.pi * frequency / Double(sampleRate)
        let cosW0 = cos(w0)
        let alpha = sin(w0) / 2 * sqrt(2)  // shelf slope 1
        let rootA2Alpha = 2 * sqrt(a) * alpha
        return Biquad(
            b0: a * ((a + 1) + (a - 1) * cosW0 + rootA2Alpha),
            b1: -2 * a * ((a - 1) + (a + 1) * cosW0),
            b2: a * ((a + 1) + (a - 1) * cosW0 - rootA2Alpha),
            a0: (a + 1) - (a - 1) * cosW0 + rootA2Alpha,
            a1: 2 * ((a - 1) - (a + 1) * cosW0),
            a2: (a + 1) - (a - 1) * cosW0 - rootA2Alpha)
    }

    /// Filters `count` frames in place.
    mutating func process(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int) {
        var z1 = self.z1, z2 = self.z2
        let b0 = SIMD2(repeating: self.b0), b1 = SIMD2(repeating: self.b1), b2 = SIMD2(repeating: self.b2)
        let a1 = SIMD2(repeating: self.a1), a2 = SIMD2(repeating: self.a2)
        for index in 0..<count {
            let x = SIMD2(left[index], right[index])
            let y = b0 * x + z1
            z1 = b1 * x - a1 * y + z2
            z2 = b2 * x - a2 * y
            left[index] = y.x
            right[index] = y.y
        }
        // Denormals in a decaying tail cost far more than the filter itself; flush them.
        self.z1 = z1.replacing(with: 0, where: z1.magnitudes .< 1e-20)
        self.z2 = z2.replacing(with: 0, where: z2.magnitudes .< 1e-20)
    }
}
