import Foundation

/// A feed-forward peak compressor, linked across both channels. The gain is computed once per 16-frame block
/// and interpolated across it, which keeps the per-sample work to one multiply while still catching drum
/// transients within a third of a millisecond.
struct Compressor {
    static let blockSize = 16

    let thresholdDB: Float
    let ratio: Float
    let makeupGain: Float
    private let attack: Float
    private let release: Float
    private var envelope: Float = 0
    private var gain: Float = 1

    init(thresholdDB: Double, ratio: Double, attackMs: Double, releaseMs: Double, makeupDB: Double, sampleRate: Int) {
        self.thresholdDB = Float(thresholdDB)
        self.ratio = Float(ratio)
        self.makeupGain = Float(amplitude(decibels: makeupDB))
        let blockRate = Double(sampleRate) / Double(Self.blockSize)
        attack = Float(exp(-1 / (attackMs / 1000 * blockRate)))
        release = Float(exp(-1 / (releaseMs / 1000 * blockRate)))
    }

    mutating func process(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int) {
        var start = 0
        while start < count {
            let length = min(Self.blockSize, count - start)
            var peak: Float = 0
            for index in start..<(start + length) { peak = max(peak, abs(left[index]), abs(right[index])) }
            let coefficient = peak > envelope ? attack : release
            envelope = peak + coefficient * (envelope - peak)
            let levelDB = 20 * log10(max(envelope, 1e-9))
            let overDB = max(0, levelDB - thresholdDB)
            let target = powf(10, -overDB * (1 - 1 / ratio) / 20) * makeupGain
            let step = (target - gain) / Float(length)
            var current = gain
            for index in start..<(start + length) {
                current += step
                left[index] *= current
                right[index] *= current
            }
            gain = target
            start += length
        }
    }
}
