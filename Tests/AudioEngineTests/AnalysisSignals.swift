import AudioAnalysis
import Foundation

/// Deterministic test signals for the analysis tests: pulses, chords with harmonics, sines.
enum AnalysisSignals {
    static let sampleRate = 44_100.0

    static func frequency(midi: Int) -> Double { 440 * pow(2, Double(midi - 69) / 12) }

    /// A kick-like thump (pitch falling 120 -> 45 Hz) on every beat and a short noise tick on every off-beat.
    static func pulse(bpm: Double, seconds: Double) -> AudioBuffer {
        let count = Int(seconds * sampleRate)
        var samples = [Float](repeating: 0, count: count)
        let beat = 60 / bpm
        var noise = SplitMix(seed: 7)
        var onset = 0.0
        var index = 0
        while onset < seconds {
            let start = Int(onset * sampleRate)
            let isBeat = index % 2 == 0
            let length = Int((isBeat ? 0.25 : 0.04) * sampleRate)
            var phase = 0.0
            for offset in 0..<length where start + offset < count {
                let t = Double(offset) / sampleRate
                if isBeat {
                    let hz = 45 + 75 * exp(-t / 0.03)
                    phase += 2 * .pi * hz / sampleRate
                    samples[start + offset] += Float(0.8 * exp(-t / 0.08) * sin(phase))
                } else {
                    samples[start + offset] += Float(0.15 * exp(-t / 0.01) * noise.nextSignedUnit())
                }
            }
            onset += beat / 2
            index += 1
        }
        return AudioBuffer(samples: samples, channels: 1, sampleRate: sampleRate)
    }

    /// Chords as MIDI note lists, each held for `secondsPerChord`, every note with five decaying harmonics.
    static func chords(_ progression: [[Int]], secondsPerChord: Double, repeats: Int) -> AudioBuffer {
        let chordSamples = Int(secondsPerChord * sampleRate)
        var samples: [Float] = []
        samples.reserveCapacity(chordSamples * progression.count * repeats)
        for _ in 0..<repeats {
            for chord in progression {
                var block = [Float](repeating: 0, count: chordSamples)
                for note in chord {
                    let f0 = frequency(midi: note)
                    for harmonic in 1...5 {
                        let amplitude = 0.08 / Double(harmonic)
                        let step = 2 * .pi * f0 * Double(harmonic) / sampleRate
                        for i in 0..<chordSamples {
                            // A short attack and release so chord changes do not click.
                            let t = Double(i) / sampleRate
                            let envelope = min(1, t / 0.02, (secondsPerChord - t) / 0.05)
                            block[i] += Float(amplitude * envelope * sin(step * Double(i)))
                        }
                    }
                }
                samples += block
            }
        }
        return AudioBuffer(samples: samples, channels: 1, sampleRate: sampleRate)
    }

    /// The same sine in every channel.
    static func sine(hz: Double, amplitude: Double, seconds: Double, channels: Int, sampleRate: Double) -> AudioBuffer {
        let frames = Int(seconds * sampleRate)
        var samples = [Float](repeating: 0, count: frames * channels)
        for frame in 0..<frames {
            let value = Float(amplitude * sin(2 * .pi * hz * Double(frame) / sampleRate))
            for channel in 0..<channels { samples[frame * channels + channel] = value }
        }
        return AudioBuffer(samples: samples, channels: channels, sampleRate: sampleRate)
    }

    static func silence(seconds: Double, channels: Int = 1) -> AudioBuffer {
        AudioBuffer(
            samples: [Float](repeating: 0, count: Int(seconds * sampleRate) * channels),
            channels: channels, sampleRate: sampleRate
        )
    }

    static func concatenate(_ parts: [AudioBuffer]) -> AudioBuffer {
        AudioBuffer(samples: parts.flatMap(\.samples), channels: parts[0].channels, sampleRate: parts[0].sampleRate)
    }

    /// A WAV file: 16-bit PCM or 32-bit float.
    static func wavData(_ audio: AudioBuffer, float: Bool) -> Data {
        let bytesPerSample = float ? 4 : 2
        let payload = audio.samples.count * bytesPerSample
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        data.append(contentsOf: Array("RIFF".utf8))
        append(UInt32(36 + payload))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16))
        append(UInt16(float ? 3 : 1))
        append(UInt16(audio.channels))
        append(UInt32(audio.sampleRate))
        append(UInt32(Int(audio.sampleRate) * audio.channels * bytesPerSample))
        append(UInt16(audio.channels * bytesPerSample))
        append(UInt16(bytesPerSample * 8))
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(payload))
        for sample in audio.samples {
            if float {
                append(sample.bitPattern)
            } else {
                append(Int16(max(-32768, min(32767, (sample * 32768).rounded()))))
            }
        }
        return data
    }
}

/// A tiny deterministic noise source (SplitMix64) so test signals are identical on every run.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func nextSignedUnit() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }
}
