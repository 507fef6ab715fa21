import CEbur128
import Foundation

/// Integrated loudness (EBU R128 / ITU-R BS.1770) and true peak of a stereo signal.
public struct LoudnessMeasurement: Sendable, Hashable {
    /// Integrated loudness in LUFS; `-infinity` for silence.
    public var integratedLUFS: Double
    /// Maximum true peak over both channels in dBTP (4x oversampled), when it was measured.
    public var truePeakDBTP: Double?
}

/// Owns one libebur128 state. libebur128 is the reference-quality open implementation of R128 (K-weighting,
/// gating, true-peak oversampling): a measurement others can reproduce, which a hand-written meter is not.
public final class LoudnessMeter {
    private static let chunkFrames = 8_192
    private static let success = Int32(EBUR128_SUCCESS.rawValue)

    private var state: UnsafeMutablePointer<ebur128_state>
    private let measuresTruePeak: Bool
    private let scratch: UnsafeMutablePointer<Float>

    public init(sampleRate: Int = StereoBuffer.standardSampleRate, truePeak: Bool) throws {
        let mode = Int32(EBUR128_MODE_I.rawValue | (truePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : 0))
        guard let state = ebur128_init(2, UInt(sampleRate), mode) else {
            throw RenderError.loudnessMeter("ebur128_init failed")
        }
        self.state = state
        measuresTruePeak = truePeak
        scratch = .allocate(capacity: Self.chunkFrames * 2)
    }

    deinit {
        var pointer: UnsafeMutablePointer<ebur128_state>? = state
        ebur128_destroy(&pointer)
        scratch.deallocate()
    }

    /// Feeds `count` frames of planar audio (libebur128 wants interleaved frames, so it is interleaved in chunks).
    public func add(left: UnsafePointer<Float>, right: UnsafePointer<Float>, count: Int) throws {
        var start = 0
        while start < count {
            let length = min(Self.chunkFrames, count - start)
            for index in 0..<length {
                scratch[2 * index] = left[start + index]
                scratch[2 * index + 1] = right[start + index]
            }
            guard ebur128_add_frames_float(state, scratch, length) == Self.success else {
                throw RenderError.loudnessMeter("ebur128_add_frames_float failed")
            }
            start += length
        }
    }

    /// Integrated loudness of everything added so far.
    public func integratedLoudness() throws -> Double {
        var loudness = 0.0
        guard ebur128_loudness_global(state, &loudness) == Self.success else {
            throw RenderError.loudnessMeter("ebur128_loudness_global failed")
        }
        return loudness
    }

    /// Largest true peak over both channels, linear.
    public func truePeak() throws -> Double {
        guard measuresTruePeak else { throw RenderError.loudnessMeter("meter was created without true peak") }
        var peak = 0.0
        for channel in 0..<2 {
            var channelPeak = 0.0
            guard ebur128_true_peak(state, UInt32(channel), &channelPeak) == Self.success else {
                throw RenderError.loudnessMeter("ebur128_true_peak failed")
            }
            peak = max(peak, channelPeak)
        }
        return peak
    }

    /// Measures a whole buffer, splitting it in two halves measured on two threads. The halves' gating blocks are
    /// combined by `ebur128_loudness_global_multiple`, so the result is the integrated loudness of the whole
    /// song; only the three overlapping 400 ms blocks that straddle the split are lost (< 0.01 LU).
    public static func measure(_ buffer: StereoBuffer, truePeak: Bool) throws -> LoudnessMeasurement {
        let frames = buffer.frames
        let halves = frames >= buffer.sampleRate * 4 ? 2 : 1
        let meters = try (0..<halves).map { _ in try LoudnessMeter(sampleRate: buffer.sampleRate, truePeak: truePeak) }
        let failure = FirstError()
        buffer.left.withUnsafeBufferPointer { left in
            buffer.right.withUnsafeBufferPointer { right in
                guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return }
                parallelFor(halves) { half in
                    let start = frames * half / halves
                    let end = frames * (half + 1) / halves
                    do {
                        try meters[half].add(left: leftBase + start, right: rightBase + start, count: end - start)
                    } catch {
                        failure.record(error)
                    }
                }
            }
        }
        try failure.rethrow()
        var states: [UnsafeMutablePointer<ebur128_state>?] = meters.map { $0.state }
        var loudness = 0.0
        let status = states.withUnsafeMutableBufferPointer {
            ebur128_loudness_global_multiple($0.baseAddress, $0.count, &loudness)
        }
        guard status == Self.success else {
            throw RenderError.loudnessMeter("ebur128_loudness_global_multiple failed")
        }
        var peakDB: Double?
        if truePeak {
            let linear = try meters.map { try $0.truePeak() }.max() ?? 0
            peakDB = 20 * log10(max(linear, 1e-12))
        }
        withExtendedLifetime(meters) {}
        return LoudnessMeasurement(integratedLUFS: loudness, truePeakDBTP: peakDB)
    }
}

/// Collects the first error thrown on any of several threads.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func record(_ error: any Error) {
        lock.withLock { if self.error == nil { self.error = error } }
    }

    var hasError: Bool { lock.withLock { error != nil } }

    func rethrow() throws {
        if let error = lock.withLock({ error }) { throw error }
    }
}
