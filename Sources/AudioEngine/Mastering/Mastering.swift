import Foundation

/// What mastering measured and did.
public struct MasteringReport: Sendable, Hashable, Codable {
    /// Integrated loudness of the mix before mastering (LUFS).
    public var inputLUFS: Double
    /// Gain applied before the limiter (dB).
    public var gainDB: Double
    /// Measured on the mastered audio.
    public var outputLUFS: Double
    public var truePeakDBTP: Double
    public var samplePeak: Double
    /// How many limiter passes it took (1, or 2 after a loudness correction).
    public var passes: Int
}

/// The mastered song and how it got there.
public struct MasteredAudio: Sendable {
    public var buffer: StereoBuffer
    public var report: MasteringReport
}

/// Brings a mix to a streaming loudness target: -14 LUFS integrated with the true peak at or below -1 dBTP.
///
/// Measure (libebur128), gain to the target, true-peak limit, then measure the result: limiting lowers the
/// loudness of peaky mixes a little, so when the result misses the target by more than 0.25 LU the gain is
/// corrected once and the limiter rerun from the unlimited mix. A final true-peak check scales the output down if
/// the reference meter still sees more than the ceiling (the limiter's interpolator is shorter than libebur128's).
public struct Mastering: Sendable {
    public var targetLUFS: Double
    public var ceilingDBTP: Double

    public init(targetLUFS: Double = -14, ceilingDBTP: Double = -1) {
        self.targetLUFS = targetLUFS
        self.ceilingDBTP = ceilingDBTP
    }

    public func master(_ mix: StereoBuffer, isCancelled: @Sendable () -> Bool = { false }) throws -> MasteredAudio {
        let input = try LoudnessMeasurement(measuring: mix, truePeak: false)
        guard input.integratedLUFS.isFinite else {
            // Silence (or nearly): there is nothing to bring up; hand it back untouched.
            return MasteredAudio(
                buffer: mix,
                report: MasteringReport(
                    inputLUFS: input.integratedLUFS, gainDB: 0, outputLUFS: input.integratedLUFS,
                    truePeakDBTP: -.infinity, samplePeak: Double(mix.samplePeak), passes: 0))
        }
        if isCancelled() { throw CancellationError() }
        let limiter = TruePeakLimiter(ceilingDBTP: ceilingDBTP - 0.3)
        var gainDB = targetLUFS - input.integratedLUFS
        var output = limiter.process(mix, gain: amplitude(decibels: gainDB))
        var measured = try LoudnessMeasurement(measuring: output, truePeak: true)
        var passes = 1
        if abs(measured.integratedLUFS - targetLUFS) > 0.25 {
            if isCancelled() { throw CancellationError() }
            gainDB += targetLUFS - measured.integratedLUFS
            output = limiter.process(mix, gain: amplitude(decibels: gainDB))
            measured = try LoudnessMeasurement(measuring: output, truePeak: true)
            passes = 2
        }
        var truePeak = measured.truePeakDBTP ?? 0
        var loudness = measured.integratedLUFS
        let safeCeiling = ceilingDBTP - 0.1
        if truePeak > safeCeiling {
            // A plain gain change moves loudness and true peak by exactly the same number of dB.
            let trim = safeCeiling - truePeak
            output.scale(by: Float(amplitude(decibels: trim)))
            truePeak += trim
            loudness += trim
            gainDB += trim
        }
        return MasteredAudio(
            buffer: output,
            report: MasteringReport(
                inputLUFS: input.integratedLUFS, gainDB: gainDB, outputLUFS: loudness, truePeakDBTP: truePeak,
                samplePeak: Double(output.samplePeak), passes: passes))
    }
}
