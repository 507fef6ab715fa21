import CEbur128

/// Why libebur128 refused a meter or a measurement.
public struct LoudnessMeterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

/// The one owner of libebur128 state in Tunesmith (mastering measures with it, so does the audio analysis).
/// libebur128 is the reference-quality open implementation of EBU R128 (K-weighting, gating, true-peak
/// oversampling): a measurement others can reproduce, which a hand-written meter is not. Not thread-safe: one
/// meter is fed by one thread at a time.
public final class LoudnessMeter {
    /// What a meter measures: integrated loudness always, peaks and the histogram on request (libebur128's modes).
    public struct Measures: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Highest sample per channel.
        public static let samplePeak = Measures(rawValue: Int32(EBUR128_MODE_SAMPLE_PEAK.rawValue))
        /// Highest inter-sample peak per channel (4x oversampled); includes the sample peak.
        public static let truePeak = Measures(rawValue: Int32(EBUR128_MODE_TRUE_PEAK.rawValue))
        /// Gating on a loudness histogram instead of a list of blocks (constant memory for long audio).
        public static let histogram = Measures(rawValue: Int32(EBUR128_MODE_HISTOGRAM.rawValue))
    }

    public let channels: Int
    private var state: UnsafeMutablePointer<ebur128_state>?

    public init(channels: Int, sampleRate: Int, measures: Measures = []) throws(LoudnessMeterError) {
        let mode = Int32(EBUR128_MODE_I.rawValue) | measures.rawValue
        guard let state = ebur128_init(UInt32(channels), UInt(sampleRate), mode) else {
            throw LoudnessMeterError(description: "libebur128 rejected \(channels) channels at \(sampleRate) Hz")
        }
        self.state = state
        self.channels = channels
    }

    deinit { ebur128_destroy(&state) }

    /// Feeds whole frames of interleaved samples.
    public func add(interleaved samples: UnsafeBufferPointer<Float>) throws(LoudnessMeterError) {
        try Self.check(ebur128_add_frames_float(state, samples.baseAddress, samples.count / channels), "adding frames")
    }

    /// Integrated loudness of everything added so far, in LUFS (-infinity for silence).
    public func integratedLoudness() throws(LoudnessMeterError) -> Double {
        var value = 0.0
        try Self.check(ebur128_loudness_global(state, &value), "integrated loudness")
        return value
    }

    /// The integrated loudness of several meters' audio taken as one programme (their gating blocks pooled), so
    /// parts of one signal can be measured on several threads.
    public static func integratedLoudness(of meters: [LoudnessMeter]) throws(LoudnessMeterError) -> Double {
        var states = meters.map(\.state)
        var value = 0.0
        let status = states.withUnsafeMutableBufferPointer {
            ebur128_loudness_global_multiple($0.baseAddress, $0.count, &value)
        }
        withExtendedLifetime(meters) {}
        try check(status, "integrated loudness of several meters")
        return value
    }

    /// Highest true peak over all channels, linear (needs `.truePeak`).
    public func truePeak() throws(LoudnessMeterError) -> Double {
        try peak(ebur128_true_peak, "true peak")
    }

    /// Highest sample peak over all channels, linear (needs `.samplePeak` or `.truePeak`).
    public func samplePeak() throws(LoudnessMeterError) -> Double {
        try peak(ebur128_sample_peak, "sample peak")
    }

    private func peak(
        _ read: (UnsafeMutablePointer<ebur128_state>?, UInt32, UnsafeMutablePointer<Double>?) -> Int32, _ what: String
    ) throws(LoudnessMeterError) -> Double {
        var highest = 0.0
        for channel in 0..<channels {
            var value = 0.0
            try Self.check(read(state, UInt32(channel), &value), what)
            highest = max(highest, value)
        }
        return highest
    }

    private static func check(_ status: Int32, _ what: String) throws(LoudnessMeterError) {
        guard status == Int32(EBUR128_SUCCESS.rawValue) else {
            throw LoudnessMeterError(description: "libebur128 failed at \(what) (error \(status))")
        }
    }
}
