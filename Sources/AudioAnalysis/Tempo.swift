import Foundation

/// How a tempo figure was reached; `AudioAnalyzer.tempo(_:)` reports `bpm`, tests may print the rest.
public struct TempoEstimate: Sendable, Equatable {
    /// The final tempo, beats per minute.
    public var bpm: Double
    /// Median of aubio's beat tracker's running estimate over the detected beats (nil if it found none).
    public var beatTrackerBPM: Double?
    /// How strongly the onset envelope repeats at the final beat period (normalised autocorrelation, 0...1).
    public var periodicity: Double
}

extension AudioAnalyzer {
    /// Tempo in beats per minute.
    public func tempo(_ audio: AudioBuffer) throws -> Double { try tempoEstimate(audio).bpm }

    /// Tempo from aubio's beat tracker, made precise (and checked) with the autocorrelation of an onset envelope.
    ///
    /// aubio's tracker picks the metrical level well but its running estimate wobbles by a few percent; the
    /// autocorrelation of the whole track's onset envelope has a sharp peak at the beat period (and at its
    /// multiples, which pin it down to a fraction of a hop). When the tracker's period has no real peak there,
    /// the strongest autocorrelation peak wins instead.
    public func tempoEstimate(_ audio: AudioBuffer) throws -> TempoEstimate {
        try validate(audio)
        let mono = audio.monoMix
        let sampleRate = audio.sampleRate
        let tracked = try trackedBPM(mono, sampleRate: sampleRate)
        let envelope = try onsetEnvelope(mono, sampleRate: sampleRate)
        let acf = try autocorrelation(envelope.values)
        let framesPerMinute = 60 / envelope.secondsPerFrame

        // Candidate beat periods are searched between 40 and 240 bpm.
        let shortest = max(2, Int(framesPerMinute / 240))
        let longest = min(acf.count - 2, Int(framesPerMinute / 40) + 1)
        guard longest > shortest, acf[0] > 0 else {
            return TempoEstimate(bpm: tracked ?? 0, beatTrackerBPM: tracked, periodicity: 0)
        }
        let strongest = (shortest...longest).filter { isPeak(acf, $0) }.max { acf[$0] < acf[$1] }

        // The tracker usually picks the right metrical level but can lock onto a dotted pulse (3:2 or 4:3 against
        // the beat). Keep its period when it belongs to the strongest repetition's family (beat, half bar, bar);
        // otherwise compare it with that family's member nearest to it by how well each explains the envelope at
        // its first four multiples, and keep the tracker's unless the alternative is clearly better.
        var alternative: Int?
        if let strongest {
            let target = framesPerMinute / (tracked ?? 120)
            let family = [0.5, 1, 2, 4].compactMap { divisor -> Int? in
                divisor == 1 ? strongest : peak(in: acf, near: Double(strongest) / divisor, tolerance: 0.03)
            }
            alternative = family.min { abs(log(Double($0) / target)) < abs(log(Double($1) / target)) }
        }
        var period: Double?
        if let tracked, let local = peak(in: acf, near: framesPerMinute / tracked, tolerance: 0.05) {
            if let strongest, let alternative, !isMetricallyRelated(Double(local), Double(strongest)),
                combStrength(acf, period: Double(alternative)) > 1.1 * combStrength(acf, period: Double(local))
            {
                period = Double(alternative)
            } else {
                period = Double(local)
            }
        } else {
            period = alternative.map(Double.init)
        }
        guard let coarse = period else {
            return TempoEstimate(bpm: tracked ?? 0, beatTrackerBPM: tracked, periodicity: 0)
        }
        let precise = refinePeriod(acf, coarse: coarse)
        let periodicity = acf[Int(coarse)] / acf[0]
        return TempoEstimate(bpm: framesPerMinute / precise, beatTrackerBPM: tracked, periodicity: periodicity)
    }

    /// Median of aubio's bpm estimate over the beats it detects (skipping the first seconds while it settles).
    private func trackedBPM(_ mono: [Float], sampleRate: Double) throws -> Double? {
        let hopSize = 512
        let tracker = try AubioTempo(windowSize: 1024, hopSize: hopSize, sampleRate: Int(sampleRate.rounded()))
        let hop = try AubioVector(length: hopSize)
        var estimates: [Double] = []
        hop.forEachHop(of: mono) { start in
            if tracker.process(hop), Double(start) / sampleRate > 3 {
                let bpm = tracker.bpm
                if bpm > 0 { estimates.append(bpm) }
            }
        }
        guard !estimates.isEmpty else { return nil }
        return estimates.sorted()[estimates.count / 2]
    }

    /// Log-magnitude spectral flux per 256-sample hop, mean-removed and half-wave rectified.
    private func onsetEnvelope(_ mono: [Float], sampleRate: Double) throws -> (values: [Double], secondsPerFrame: Double) {
        let hopSize = 256, windowSize = 1024
        let vocoder = try AubioPhaseVocoder(windowSize: windowSize, hopSize: hopSize)
        let spectrum = try AubioSpectrum(fftSize: windowSize)
        let flux = try AubioSpectralDescriptor(method: "specflux", fftSize: windowSize)
        let hop = try AubioVector(length: hopSize)
        var values: [Double] = []
        values.reserveCapacity(mono.count / hopSize + 1)
        hop.forEachHop(of: mono) { _ in
            vocoder.process(hop, into: spectrum)
            // Log compression (as librosa's onset strength does) keeps loud drums from hiding everything else.
            spectrum.compressLogarithmically(1000)
            values.append(Double(flux.value(of: spectrum)))
        }
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        return (values.map { max(0, $0 - mean) }, Double(hopSize) / sampleRate)
    }

    /// Linear autocorrelation through a zero-padded FFT.
    private func autocorrelation(_ values: [Double]) throws -> [Double] {
        var size = 2
        while size < 2 * values.count { size *= 2 }
        let fft = try AubioFFT(size: size)
        let frame = try AubioVector(length: size)
        let spectrum = try AubioSpectrum(fftSize: size)
        let output = try AubioVector(length: size)
        frame.data.update(repeating: 0, count: size)
        for (index, value) in values.enumerated() { frame.data[index] = Float(value) }
        fft.process(frame, into: spectrum)
        for bin in 0..<spectrum.binCount {
            let magnitude = spectrum.magnitudes[bin]
            spectrum.magnitudes[bin] = magnitude * magnitude
            spectrum.pointer.pointee.phas[bin] = 0
        }
        fft.inverse(spectrum, into: output)
        return (0..<values.count).map { Double(output[$0]) }
    }

    private func isPeak(_ acf: [Double], _ lag: Int) -> Bool {
        lag > 0 && lag < acf.count - 1 && acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] > 0
    }

    /// The highest local maximum within `tolerance` (relative) of `lag`.
    private func peak(in acf: [Double], near lag: Double, tolerance: Double) -> Int? {
        let low = max(1, Int((lag * (1 - tolerance)).rounded(.down)))
        let high = min(acf.count - 2, Int((lag * (1 + tolerance)).rounded(.up)))
        guard low <= high else { return nil }
        return (low...high).filter { isPeak(acf, $0) }.max { acf[$0] < acf[$1] }
    }

    /// Mean autocorrelation peak at the first four multiples of `period`: how well a pulse of that period explains
    /// the onset envelope.
    private func combStrength(_ acf: [Double], period: Double) -> Double {
        let values = (1...4).map { multiple -> Double in
            let target = period * Double(multiple)
            guard target < Double(acf.count - 2), let lag = peak(in: acf, near: target, tolerance: 0.02) else { return 0 }
            return acf[lag]
        }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Whether two periods differ by a factor of 1, 2, 3 or 4: one is a metrical level (beat, bar) of the other.
    private func isMetricallyRelated(_ a: Double, _ b: Double) -> Bool {
        let ratio = max(a, b) / min(a, b)
        return [1.0, 2, 3, 4].contains { abs(ratio / $0 - 1) < 0.05 }
    }

    /// Sub-frame beat period: the interpolated peaks at whole multiples of the period give a longer baseline.
    private func refinePeriod(_ acf: [Double], coarse: Double) -> Double {
        var estimates: [Double] = []
        var current = coarse
        for multiple in 1...8 {
            let target = current * Double(multiple)
            guard target < Double(acf.count - 2), let lag = peak(in: acf, near: target, tolerance: 0.03) else { break }
            // Parabolic interpolation through the peak and its neighbours.
            let (left, centre, right) = (acf[lag - 1], acf[lag], acf[lag + 1])
            let curvature = left - 2 * centre + right
            let offset = curvature < 0 ? 0.5 * (left - right) / curvature : 0
            estimates.append((Double(lag) + offset) / Double(multiple))
            current = estimates[estimates.count - 1]
        }
        // Later multiples are more precise; weight each by its multiple.
        guard !estimates.isEmpty else { return coarse }
        let weights = (1...estimates.count).map(Double.init)
        return zip(estimates, weights).map(*).reduce(0, +) / weights.reduce(0, +)
    }
}
