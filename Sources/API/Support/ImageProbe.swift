/// The image formats `POST /files` accepts.
enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, gif, webp

    init?(mimeType: String) {
        guard let format = Self.allCases.first(where: { $0.mimeType == mimeType }) else { return nil }
        self = format
    }

    var mimeType: String { "image/\(rawValue)" }
    var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
}

/// What the first bytes of an image say: its real format and pixel size. Only headers are read (never the
/// pixels), so a huge or hostile file costs nothing to check.
struct ImageProbe: Sendable, Hashable {
    var format: ImageFormat
    var width: Int
    var height: Int

    /// nil when the bytes are not a well-formed header of any accepted format.
    init?(_ bytes: some Collection<UInt8>) {
        let bytes = Array(bytes.prefix(1 << 20))
        if let size = Self.png(bytes) {
            (format, width, height) = (.png, size.0, size.1)
        } else if let size = Self.jpeg(bytes) {
            (format, width, height) = (.jpeg, size.0, size.1)
        } else if let size = Self.gif(bytes) {
            (format, width, height) = (.gif, size.0, size.1)
        } else if let size = Self.webp(bytes) {
            (format, width, height) = (.webp, size.0, size.1)
        } else {
            return nil
        }
    }

    /// Which format the magic bytes announce, even if the rest of the header is broken.
    static func claimedFormat(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.starts(with: pngSignature) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return .gif }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        return nil
    }

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Signature, then the IHDR chunk (length 13) with big-endian width and height.
    private static func png(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 24, b.starts(with: pngSignature), bigEndian32(b, 8) == 13,
            Array(b[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        return (bigEndian32(b, 16), bigEndian32(b, 20))
    }

    /// Walks the marker segments up to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC).
    private static func jpeg(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var index = 2
        while index + 1 < b.count {
            guard b[index] == 0xFF else { return nil }
            var marker = b[index + 1]
            index += 2
            // Fill bytes: any number of 0xFF before a marker.
            while marker == 0xFF, index < b.count {
                marker = b[index]
                index += 1
            }
            switch marker {
            case 0x01, 0xD0...0xD7:
                continue  // standalone markers, no length
            case 0xD9, 0xDA:
                return nil  // end of image or start of scan before any frame header
            default:
                guard index + 1 < b.count else { return nil }
                let length = bigEndian16(b, index)
                guard length >= 2 else { return nil }
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    guard length >= 7, index + 6 < b.count else { return nil }
                    return (bigEndian16(b, index + 5), bigEndian16(b, index + 3))
                }
                index += length
            }
        }
        return nil
    }

    /// `GIF87a`/`GIF89a`, then the logical screen's little-endian width and height.
    private static func gif(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 10, claimedFormat(b) == .gif else { return nil }
        return (Int(b[6]) | Int(b[7]) << 8, Int(b[8]) | Int(b[9]) << 8)
    }

    /// RIFF/WEBP, then the first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended, canvas size).
    private static func webp(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 25, claimedFormat(b) == .webp else { return nil }
        switch String(decoding: b[12..<16], as: UTF8.self) {
        case "VP8 " where b.count >= 30:
            // Frame tag (3 bytes), then the start code 9D 01 2A and 14-bit sizes.
            guard b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A else { return nil }
            return (littleEndian16(b, 26) & 0x3FFF, littleEndian16(b, 28) & 0x3FFF)
        case "VP8L":
            guard b[20] == 0x2F else { return nil }
            let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X" where b.count >= 30:
            let width = Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16
            let height = Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16
            return (width + 1, height + 1)
        default:
            return nil
        }
    }

    private static func bigEndian32(_ b: [UInt8], _ at: Int) -> Int {
        Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
    }

    private static func bigEndian16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) << 8 | Int(b[at + 1]) }
    private static func littleEndian16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
}
