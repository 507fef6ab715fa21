import Foundation

/// Pitch periods of espeak-ng's monotone speech: the fundamental found by autocorrelation, then one mark per
/// glottal pulse, each placed on the waveform's peak near where the previous mark plus one period predicts it.
enum PitchMarks {
    /// The fundamental (Hz) of the loudest stretch of `samples`, by normalised autocorrelation over lags for
    /// `range`. The first lag whose correlation comes within 10 % of the best wins, so an octave-low (double
    /// period) lag, which correlates as well, never beats the true period.
    static func fundamental(of samples: [Float], sampleRate: Int, range: ClosedRange<Double>) -> Double {
        let window = min(samples.count, sampleRate / 10)
        guard window > 0 else { return 0 }
        // The loudest window (of 10 ms steps) is in the vowel.
        var bestStart = 0, bestEnergy: Float = -1
        var start = 0
        while start + window <= samples.count {
            var energy: Float = 0
            for index in start..<(start + window) { energy += samples[index] * samples[index] }
            if energy > bestEnergy {
                bestEnergy = energy
                bestStart = start
            }
            start += sampleRate / 100
        }
        return fundamental(of: samples, in: bestStart..<(bestStart + window), sampleRate: sampleRate, range: range)
    }

    static func fundamental(of samples: [Float], in span: Range<Int>, sampleRate: Int, range: ClosedRange<Double>) -> Double {
        let shortest = max(2, Int(Double(sampleRate) / range.upperBound))
        let longest = Int(Double(sampleRate) / range.lowerBound)
        guard span.count > longest * 2 else { return 0 }
        var correlations: [(lag: Int, value: Double)] = []
        samples.withUnsafeBufferPointer { x in
            for lag in shortest...longest {
                var product: Double = 0, first: Double = 0, second: Double = 0
                for index in span.lowerBound..<(span.upperBound - lag) {
                    let a = Double(x[index]), b = Double(x[index + lag])
                    product += a * b
                    first += a * a
                    second += b * b
                }
                correlations.append((lag, product / max(1e-12, (first * second).squareRoot())))
            }
        }
        guard let best = correlations.max(by: { $0.value < $1.value }), best.value > 0 else { return 0 }
        // First local maximum within 10 % of the best.
        var chosen = best.lag
        for index in correlations.indices.dropFirst().dropLast() {
            let value = correlations[index].value
            if value >= best.value * 0.9, value >= correlations[index - 1].value, value >= correlations[index + 1].value {
                chosen = correlations[index].lag
                break
            }
        }
        // Parabolic interpolation around the chosen lag for a fractional period.
        let index = chosen - shortest
        var lag = Double(chosen)
        if index > 0, index < correlations.count - 1 {
            let a = correlations[index - 1].value, b = correlations[index].value, c = correlations[index + 1].value
            let denominator = a - 2 * b + c
            if abs(denominator) > 1e-12 { lag += 0.5 * (a - c) / denominator }
        }
        return Double(sampleRate) / lag
    }

    /// One mark per period over `samples`: on the strongest peak near each predicted position in voiced
    /// stretches, at exactly one period's spacing where the signal is quiet or noisy (there the marks only
    /// serve to cut evenly spaced grains).
    static func marks(in samples: [Float], period: Double) -> [Int] {
        guard period >= 2, samples.count > Int(period) * 2 else { return [] }
        var marks: [Int] = []
        let search = max(1, Int(period * 0.15))
        // Start on the largest peak of the first period.
        var position = Double(samples.indices.prefix(Int(period)).max { abs(samples[$0]) < abs(samples[$1]) } ?? 0)
        samples.withUnsafeBufferPointer { x in
            while Int(position) < x.count {
                let predicted = Int(position.rounded())
                let low = max(0, predicted - search), high = min(x.count - 1, predicted + search)
                var peak = predicted, peakValue: Float = -1
                if low <= high {
                    for index in low...high where x[index] > peakValue {
                        peakValue = x[index]
                        peak = index
                    }
                }
                // Snap to the peak only where there is a clear pulse; otherwise keep the even spacing.
                let next = peakValue > 0.01 ? Double(peak) : position
                marks.append(min(x.count - 1, Int(next.rounded())))
                position = next + period
            }
        }
        return marks
    }
}
