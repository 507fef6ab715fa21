import Foundation

/// Stereo audio as two planar channels of 32-bit floats (nominal range -1...1).
///
/// Planar rather than interleaved because every stage (EQ, reverb, limiter, LAME) works per channel and simple
/// loops over one contiguous channel vectorise well.
public struct StereoBuffer: Sendable, Hashable {
    public static let standardSampleRate = 44_100

    public var left: [Float]
    public var right: [Float]
    public let sampleRate: Int

    public init(frames: Int, sampleRate: Int = StereoBuffer.standardSampleRate) {
        left = [Float](repeating: 0, count: frames)
        right = [Float](repeating: 0, count: frames)
        self.sampleRate = sampleRate
    }

    public init(left: [Float], right: [Float], sampleRate: Int = StereoBuffer.standardSampleRate) {
        precondition(left.count == right.count, "channels must have the same length")
        self.left = left
        self.right = right
        self.sampleRate = sampleRate
    }

    public var frames: Int { left.count }
    public var durationSeconds: Double { Double(frames) / Double(sampleRate) }

    /// The largest absolute sample value over both channels.
    public var samplePeak: Float {
        var peak: Float = 0
        for value in left { peak = max(peak, abs(value)) }
        for value in right { peak = max(peak, abs(value)) }
        return peak
    }

    /// Multiplies every sample by `gain`.
    public mutating func scale(by gain: Float) {
        for index in left.indices { left[index] *= gain }
        for index in right.indices { right[index] *= gain }
    }
}

/// Converts decibels to a linear amplitude factor.
@inline(__always) func amplitude(decibels: Double) -> Double { pow(10, decibels / 20) }
