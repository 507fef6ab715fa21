import ImageAnalysis

/// Synthetic pictures with known answers, and a tiny GIF writer (stb writes PNG/JPEG and libwebp writes WebP,
/// but neither library writes GIF).
enum TestPictures {
    static func solid(_ r: UInt8, _ g: UInt8, _ b: UInt8, side: Int = 32) -> RGBAImage {
        RGBAImage(width: side, height: side, red: r, green: g, blue: b)
    }

    /// Black on the left to white on the right.
    static func gradient(width: Int = 64, height: Int = 16) -> RGBAImage {
        RGBAImage(width: width, height: height) { x, _ in
            let v = UInt8(x * 255 / (width - 1))
            return (v, v, v, 255)
        }
    }

    /// Black and white squares of `cell` pixels.
    static func checkerboard(side: Int = 64, cell: Int = 8) -> RGBAImage {
        RGBAImage(width: side, height: side) { x, y in
            let v: UInt8 = (x / cell + y / cell) % 2 == 0 ? 0 : 255
            return (v, v, v, 255)
        }
    }

    /// Sunset colours: yellow to orange to red, bright and saturated.
    static func warmBright(side: Int = 64) -> RGBAImage {
        RGBAImage(width: side, height: side) { x, y in
            (255, UInt8(230 - (x + y) * 90 / (2 * side)), UInt8(60 - (x + y) * 40 / (2 * side)), 255)
        }
    }

    /// Night: dark, cool, greyish blue with a little variation.
    static func darkCool(side: Int = 64) -> RGBAImage {
        RGBAImage(width: side, height: side) { x, _ in
            (UInt8(22 + x % 4), UInt8(30 + x % 4), UInt8(52 + x % 4), 255)
        }
    }

    /// A GIF89a of an image with at most 256 distinct colours. LZW is written the simple valid way: every pixel
    /// as a literal code at 9 bits, with a clear code before the decoder's table would grow to 10 bits.
    static func gif(_ image: RGBAImage) -> [UInt8] {
        var palette: [[UInt8]] = []
        var indices: [UInt8] = []
        for i in 0..<(image.width * image.height) {
            let colour = Array(image.pixels[(i * 4)..<(i * 4 + 3)])
            if let found = palette.firstIndex(of: colour) {
                indices.append(UInt8(found))
            } else {
                precondition(palette.count < 256, "GIF test images take at most 256 colours")
                palette.append(colour)
                indices.append(UInt8(palette.count - 1))
            }
        }
        while palette.count < 256 { palette.append([0, 0, 0]) }
        var bytes = Array("GIF89a".utf8)
        bytes += le16(image.width) + le16(image.height) + [0xF7, 0, 0]  // global table of 256 colours
        bytes += palette.flatMap { $0 }
        bytes += [0x2C] + le16(0) + le16(0) + le16(image.width) + le16(image.height) + [0]
        bytes.append(8)  // minimum code size
        var bits = BitWriter()
        let clear = 256, end = 257
        bits.write(clear, 9)
        for (n, index) in indices.enumerated() {
            if n > 0 && n % 250 == 0 { bits.write(clear, 9) }
            bits.write(Int(index), 9)
        }
        bits.write(end, 9)
        let data = bits.flushed
        for start in stride(from: 0, to: data.count, by: 255) {
            let block = data[start..<min(data.count, start + 255)]
            bytes.append(UInt8(block.count))
            bytes += block
        }
        bytes += [0, 0x3B]
        return bytes
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        var buffer = 0, count = 0
        mutating func write(_ code: Int, _ width: Int) {
            buffer |= code << count
            count += width
            while count >= 8 {
                bytes.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }
        var flushed: [UInt8] { count > 0 ? bytes + [UInt8(buffer & 0xFF)] : bytes }
    }

    private static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
}
