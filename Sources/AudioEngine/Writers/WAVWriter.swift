import Foundation

/// Writes a canonical 44-byte-header RIFF/WAVE file: 16-bit signed PCM, little-endian, interleaved stereo.
public enum WAVWriter {
    /// The file as bytes. Samples are dithered (triangular PDF, +-1 LSB) before rounding to 16 bits, from a fixed
    /// seed so that the same audio always gives the same file.
    public static func data(for buffer: StereoBuffer) -> Data {
        let channels = 2, bitsPerSample = 16
        let blockAlign = channels * bitsPerSample / 8
        let dataSize = buffer.frames * blockAlign
        var data = Data(capacity: 44 + dataSize)
        data.append(contentsOf: Array("RIFF".utf8))
        data.appendLittleEndian(UInt32(truncatingIfNeeded: 36 + dataSize))
        data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8))
        data.appendLittleEndian(UInt32(16))                  // fmt chunk size
        data.appendLittleEndian(UInt16(1))                   // PCM
        data.appendLittleEndian(UInt16(channels))
        data.appendLittleEndian(UInt32(buffer.sampleRate))
        data.appendLittleEndian(UInt32(buffer.sampleRate * blockAlign))  // byte rate
        data.appendLittleEndian(UInt16(blockAlign))
        data.appendLittleEndian(UInt16(bitsPerSample))
        data.append(contentsOf: Array("data".utf8))
        data.appendLittleEndian(UInt32(truncatingIfNeeded: dataSize))

        var samples = [Int16](repeating: 0, count: buffer.frames * 2)
        var noise = DitherNoise()
        for frame in 0..<buffer.frames {
            samples[2 * frame] = quantise(buffer.left[frame], dither: noise.next())
            samples[2 * frame + 1] = quantise(buffer.right[frame], dither: noise.next())
        }
        samples.withUnsafeBytes { bytes in
            // WAV is little-endian; so is every platform Swift runs on, but say so rather than assume.
            if Int16(1).littleEndian == 1 {
                data.append(contentsOf: bytes)
            } else {
                for sample in samples { data.appendLittleEndian(UInt16(bitPattern: sample)) }
            }
        }
        return data
    }

    public static func write(_ buffer: StereoBuffer, to url: URL) throws {
        try data(for: buffer).write(to: url, options: .atomic)
    }

    @inline(__always) private static func quantise(_ sample: Float, dither: Float) -> Int16 {
        let scaled = (sample * 32_767 + dither).rounded()
        return Int16(max(-32_768, min(32_767, scaled.isFinite ? scaled : 0)))
    }
}

/// Triangular dither noise in LSB units (-1...1) from a fixed-seed xorshift generator.
private struct DitherNoise {
    private var state: UInt32 = 0x9E37_79B9

    mutating func next() -> Float {
        uniform() - uniform()
    }

    private mutating func uniform() -> Float {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Float(state >> 8) / Float(1 << 24)
    }
}

extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
