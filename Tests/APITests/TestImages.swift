/// Tiny but well-formed images of each accepted format, built byte by byte (no image library in tests).
enum TestImages {
    /// An RGB PNG: signature, IHDR (with its CRC), one IDAT holding a stored zlib block of the rows, IEND.
    static func png(width: Int, height: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += chunk("IHDR", bigEndian32(width) + bigEndian32(height) + [8, 2, 0, 0, 0])
        // Tiny images only: one filter byte + 3 bytes a pixel per row, in one uncompressed deflate block.
        let raw = [UInt8](repeating: 0, count: min(height, 64) * (1 + 3 * min(width, 64)))
        let length = UInt16(raw.count)
        var zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        zlib += raw + bigEndian32(Int(adler32(raw)))
        bytes += chunk("IDAT", zlib)
        bytes += chunk("IEND", [])
        return bytes
    }

    /// A GIF89a with a 2-colour global table and one image of `width` x `height`.
    static func gif(width: Int, height: Int) -> [UInt8] {
        var bytes = Array("GIF89a".utf8)
        bytes += littleEndian16(width) + littleEndian16(height) + [0x80, 0, 0]
        bytes += [0, 0, 0, 255, 255, 255]
        bytes += [0x2C] + littleEndian16(0) + littleEndian16(0) + littleEndian16(width) + littleEndian16(height) + [0]
        bytes += [0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]
        return bytes
    }

    /// A baseline JPEG's marker structure: SOI, APP0/JFIF, DQT, SOF0 with the size, DHT, SOS, EOI.
    static func jpeg(width: Int, height: Int) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        bytes += [0xFF, 0xC0, 0x00, 0x0B, 0x08] + bigEndian16(height) + bigEndian16(width) + [0x01, 0x01, 0x11, 0x00]
        bytes += [0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00]
        bytes += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x00, 0xFF, 0xD9]
        return bytes
    }

    enum WebPKind { case lossy, lossless, extended }

    static func webp(width: Int, height: Int, kind: WebPKind = .lossless) -> [UInt8] {
        var payload: [UInt8]
        let fourCC: String
        switch kind {
        case .lossy:
            fourCC = "VP8 "
            payload = [0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A] + littleEndian16(width) + littleEndian16(height)
            payload += [UInt8](repeating: 0, count: 8)
        case .lossless:
            fourCC = "VP8L"
            let bits = (width - 1) | (height - 1) << 14
            payload = [0x2F, UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24 & 0xFF)]
            payload += [0, 0, 0]
        case .extended:
            fourCC = "VP8X"
            payload = [0, 0, 0, 0] + littleEndian24(width - 1) + littleEndian24(height - 1)
        }
        let chunkBytes = Array(fourCC.utf8) + littleEndian32(payload.count) + payload
        return Array("RIFF".utf8) + littleEndian32(4 + chunkBytes.count) + Array("WEBP".utf8) + chunkBytes
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian32(data.count) + typed + bigEndian32(Int(crc32(typed)))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
    private static func bigEndian16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    private static func littleEndian16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    private static func littleEndian24(_ value: Int) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF)]
    }
    private static func littleEndian32(_ value: Int) -> [UInt8] {
        littleEndian24(value) + [UInt8(value >> 24 & 0xFF)]
    }
}
