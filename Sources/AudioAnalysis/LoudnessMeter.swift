import CEbur128

/// A libebur128 meter (integrated loudness, sample and true peak); owns the C state.
final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?
    let channels: Int

    init(channels: Int, sampleRate: Int) throws {
        let mode = EBUR128_MODE_I.rawValue | EBUR128_MODE_TRUE_PEAK.rawValue | EBUR128_MODE_HISTOGRAM.rawValue
        guard let state = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(mode)) else {
            throw AudioAnalysisError.libraryFailure("libebur128 rejected \(channels) channels at \(sampleRate) Hz")
        }
        self.state = state
        self.channels = channels
    }

    deinit { ebur128_destroy(&state) }

    func add(interleaved samples: [Float]) throws {
        let frames = samples.count / channels
        let status = samples.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress, frames) }
        try check(status, "adding frames")
    }

    /// Integrated loudness in LUFS (-inf for silence).
    func integratedLoudness() throws -> Double {
        var value = 0.0
        try check(ebur128_loudness_global(state, &value), "integrated loudness")
        return value
    }

    /// Highest true peak over all channels, linear.
    func truePeak() throws -> Double {
        try (0..<channels).map { channel in
            var value = 0.0
            try check(ebur128_true_peak(state, UInt32(channel), &value), "true peak")
            return value
        }.max() ?? 0
    }

    /// Highest sample peak over all channels, linear.
    func samplePeak() throws -> Double {
        try (0..<channels).map { channel in
            var value = 0.0
            try check(ebur128_sample_peak(state, UInt32(channel), &value), "sample peak")
            return value
        }.max() ?? 0
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status == Int32(EBUR128_SUCCESS.rawValue) else {
            throw AudioAnalysisError.libraryFailure("libebur128 failed at \(what) (error \(status))")
        }
    }
}
