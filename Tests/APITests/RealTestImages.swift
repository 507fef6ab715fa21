import ImageAnalysis

/// Complete images of each format, pixels and all, as a client would upload them: PNG and JPEG from
/// stb_image_write, WebP from libwebp's encoder, GIF from the small writer below (no library here writes GIF).
/// `TestImages` builds headers only, for the limits that are checked before any pixel is read.
enum RealTestImages {
    static func picture(width: Int, height: Int, opaque: Bool = true) -> RGBAImage {
        RGBAImage(width: width, height: height) { x, y in
            (UInt8(x * 255 / max(1, width - 1)), UInt8(y * 255 / max(1, height - 1)), 90, opaque || x % 2 == 0 ? 255 : 128)
        }
    }

    static func png(width: Int, height: Int) -> [UInt8] { StbImage.encodePNG(picture(width: width, height: height)) }
    static func jpeg(width: Int, height: Int) -> [UInt8] { StbImage.encodeJPEG(picture(width: width, height: height)) }
    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        WebPCodec.encodeLossless(picture(width: width, height: height))
    }
    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        WebPCodec.encodeLossy(picture(width: width, height: height))
    }
    /// Lossy with transparency: libwebp writes the extended layout (VP8X + ALPH + VP8).
    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        WebPCodec.encodeLossy(picture(width: width, height: height, opaque: false))
    }

    /// A GIF89a in two colours (a checkerboard): each pixel a literal 9-bit LZW code, with a clear code before
    /// the decoder's table would need 10-bit codes.
    static func gif(width: Int, height: Int) -> [UInt8] {
        var bytes = Array("GIF89a".utf8)
        bytes += le16(width) + le16(height) + [0xF7, 0, 0]
        bytes += [250, 120, 30, 20, 40, 200] + [UInt8](repeating: 0, count: 3 * 254)
        bytes += [0x2C] + le16(0) + le16(0) + le16(width) + le16(height) + [0, 8]
        var codes: [Int] = [256]
        for index in 0..<(width * height) {
            if index > 0 && index % 250 == 0 { codes.append(256) }
            codes.append((index % width / 2 + index / width / 2) % 2)
        }
        codes.append(257)
        var data: [UInt8] = []
        var buffer = 0, count = 0
        for code in codes {
            buffer |= code << count
            count += 9
            while count >= 8 {
                data.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }
        if count > 0 { data.append(UInt8(buffer & 0xFF)) }
        for start in stride(from: 0, to: data.count, by: 255) {
            let block = data[start..<min(data.count, start + 255)]
            bytes.append(UInt8(block.count))
            bytes += block
        }
        return bytes + [0, 0x3B]
    }

    private static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
}
