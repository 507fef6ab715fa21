import Foundation
import LoudnessMetering

/// Integrated loudness (EBU R128 / ITU-R BS.1770) and true peak of a stereo signal.
public struct LoudnessMeasurement: Sendable, Hashable {
    /// Integrated loudness in LUFS; `-infinity` for silence.
    public var integratedLUFS: Double
    /// Maximum true peak over both channels in dBTP (4x oversampled), when it was measured.
    public var truePeakDBTP: Double?

    /// Measures a whole buffer, splitting it in two halves measured on two threads. The halves' gating blocks are
    /// pooled (`LoudnessMeter.integratedLoudness(of:)`), so the result is the integrated loudness of the whole
    /// song; only the three overlapping 400 ms blocks that straddle the split are lost (< 0.01 LU).
    public init(measuring buffer: StereoBuffer, truePeak: Bool) throws {
        let frames = buffer.frames
        let halves = frames >= buffer.sampleRate * 4 ? 2 : 1
        let meters = try (0..<halves).map { _ in
            try Self.meter(LoudnessMeter(channels: 2, sampleRate: buffer.sampleRate, measures: truePeak ? .truePeak : []))
        }
        let failure = FirstError()
        buffer.left.withUnsafeBufferPointer { left in
            buffer.right.withUnsafeBufferPointer { right in
                guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return }
                parallelFor(halves) { half in
                    let start = frames * half / halves
                    let end = frames * (half + 1) / halves
                    do {
                        try Self.add(left: leftBase + start, right: rightBase + start, count: end - start, to: meters[half])
                    } catch {
                        failure.record(error)
                    }
                }
            }
        }
        try failure.rethrow()
        integratedLUFS = try Self.meter(LoudnessMeter.integratedLoudness(of: meters))
        if truePeak {
            let linear = try meters.map { meter in try Self.meter(meter.truePeak()) }.max() ?? 0
            truePeakDBTP = 20 * log10(max(linear, 1e-12))
        }
    }

    private static let chunkFrames = 8_192

    /// Feeds `count` frames of planar audio (libebur128 wants interleaved frames, so it is interleaved in chunks).
    private static func add(
        left: UnsafePointer<Float>, right: UnsafePointer<Float>, count: Int, to meter: LoudnessMeter
    ) throws {
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunkFrames * 2)
        defer { scratch.deallocate() }
        var start = 0
        while start < count {
            let length = min(chunkFrames, count - start)
            for index in 0..<length {
                scratch[2 * index] = left[start + index]
                scratch[2 * index + 1] = right[start + index]
            }
            try Self.meter(meter.add(interleaved: UnsafeBufferPointer(rebasing: scratch[0..<(2 * length)])))
            start += length
        }
    }

    /// A libebur128 failure as the render error callers know.
    private static func meter<Value>(
        _ body: @autoclosure () throws(LoudnessMeterError) -> Value
    ) throws(RenderError) -> Value {
        do {
            return try body()
        } catch {
            throw .loudnessMeter(error.description)
        }
    }
}
