import Foundation

/// Why a WAV file could not be read.
public enum WAVReadError: Error, Equatable, CustomStringConvertible {
    case notRIFFWave
    case missingChunk(String)
    case unsupportedFormat(formatTag: Int, bitsPerSample: Int)
    case invalidHeader(String)

    public var description: String {
        switch self {
        case .notRIFFWave: "not a RIFF/WAVE file"
        case .missingChunk(let id): "WAV file has no '\(id)' chunk"
        case .unsupportedFormat(let tag, let bits):
            "unsupported WAV encoding (format tag \(tag), \(bits) bits); expected 16/24-bit PCM or 32-bit float"
        case .invalidHeader(let reason): "invalid WAV header: \(reason)"
        }
    }
}

extension AudioBuffer {
    /// Reads a 16- or 24-bit integer PCM or 32-bit float WAV file (plain or WAVE_FORMAT_EXTENSIBLE).
    public static func readWAV(url: URL) throws -> AudioBuffer {
        try decodeWAV(Data(contentsOf: url))
    }

    /// Decodes WAV bytes already in memory.
    public static func decodeWAV(_ data: Data) throws -> AudioBuffer {
        let bytes = [UInt8](data)
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8)
        else { throw WAVReadError.notRIFFWave }

        var format: (tag: Int, channels: Int, sampleRate: Int, bits: Int)?
        var payload: Range<Int>?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(littleEndianUInt32(bytes, at: offset + 4))
            let body = offset + 8
            // Writers that stream sometimes leave the data size at 0 or 0xFFFFFFFF: take the rest of the file.
            let end = min(body + size, bytes.count)
            switch id {
            case "fmt ":
                guard end - body >= 16 else { throw WAVReadError.invalidHeader("fmt chunk shorter than 16 bytes") }
                var tag = Int(littleEndianUInt16(bytes, at: body))
                if tag == 0xFFFE, end - body >= 26 {
                    // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the sub-format GUID's first two bytes.
                    tag = Int(littleEndianUInt16(bytes, at: body + 24))
                }
                format = (
                    tag,
                    Int(littleEndianUInt16(bytes, at: body + 2)),
                    Int(littleEndianUInt32(bytes, at: body + 4)),
                    Int(littleEndianUInt16(bytes, at: body + 14))
                )
            case "data":
                payload = body..<((size == 0 || size == 0xFFFF_FFFF) ? bytes.count : end)
            default:
                break
            }
            if format != nil, payload != nil { break }
            offset = body + size + (size & 1)
        }
        guard let format else { throw WAVReadError.missingChunk("fmt ") }
        guard let payload else { throw WAVReadError.missingChunk("data") }
        guard format.channels > 0 else { throw WAVReadError.invalidHeader("zero channels") }
        guard format.sampleRate > 0 else { throw WAVReadError.invalidHeader("zero sample rate") }

        let samples: [Float]
        switch (format.tag, format.bits) {
        case (1, 16):
            samples = decode(bytes, payload, width: 2) { Float(Int16(bitPattern: littleEndianUInt16($0, at: $1))) / 32768 }
        case (1, 24):
            samples = decode(bytes, payload, width: 3) { bytes, at in
                let raw = Int32(bytes[at]) | Int32(bytes[at + 1]) << 8 | Int32(Int8(bitPattern: bytes[at + 2])) << 16
                return Float(raw) / 8_388_608
            }
        case (3, 32):
            samples = decode(bytes, payload, width: 4) { Float(bitPattern: littleEndianUInt32($0, at: $1)) }
        default:
            throw WAVReadError.unsupportedFormat(formatTag: format.tag, bitsPerSample: format.bits)
        }
        // Drop a trailing partial frame so the interleaving stays aligned.
        let whole = samples.count - samples.count % format.channels
        return AudioBuffer(
            samples: whole == samples.count ? samples : Array(samples[0..<whole]),
            channels: format.channels,
            sampleRate: Double(format.sampleRate)
        )
    }

    private static func decode(
        _ bytes: [UInt8], _ range: Range<Int>, width: Int, sample: ([UInt8], Int) -> Float
    ) -> [Float] {
        let count = range.count / width
        var out = [Float](repeating: 0, count: count)
        for index in 0..<count { out[index] = sample(bytes, range.lowerBound + index * width) }
        return out
    }
}

private func littleEndianUInt16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
}

private func littleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
}
