import CWebP

/// The only code touching libwebp: still WebP (lossy or lossless) to RGBA and back. Buffers libwebp allocates
/// are released with `WebPFree` before returning.
public enum WebPCodec {
    /// Width and height from the bitstream header, without decoding; nil when libwebp cannot read it.
    public static func size(of bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard !bytes.isEmpty else { return nil }
        var width: Int32 = 0, height: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { WebPGetInfo($0.baseAddress, $0.count, &width, &height) }
        guard ok != 0, width > 0, height > 0 else { return nil }
        return (Int(width), Int(height))
    }

    /// Decodes a still WebP to 8-bit RGBA; animations are refused (libwebp's simple decoder reads no frames).
    public static func decode(_ bytes: [UInt8], maxPixels: Int) throws(ImageDecodingError) -> RGBAImage {
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { WebPGetFeatures($0.baseAddress, $0.count, &features) }
        guard status == VP8_STATUS_OK else { throw .damaged(.webp, reason: describe(status)) }
        guard features.has_animation == 0 else { throw .animated(.webp) }
        guard features.width > 0, features.height > 0 else { throw .damaged(.webp, reason: "no pixels") }
        let (featureWidth, featureHeight) = (Int(features.width), Int(features.height))
        guard featureWidth * featureHeight <= maxPixels else {
            throw .tooManyPixels(width: featureWidth, height: featureHeight, limit: maxPixels)
        }
        var width: Int32 = 0, height: Int32 = 0
        let decoded = bytes.withUnsafeBufferPointer { WebPDecodeRGBA($0.baseAddress, $0.count, &width, &height) }
        guard let decoded else { throw .damaged(.webp, reason: "the bitstream is truncated or corrupt") }
        defer { WebPFree(decoded) }
        guard width > 0, height > 0 else { throw .damaged(.webp, reason: "no pixels") }
        let pixels = Array(UnsafeBufferPointer(start: decoded, count: Int(width) * Int(height) * 4))
        return RGBAImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    /// A lossless WebP of the pixels.
    public static func encodeLossless(_ image: RGBAImage) -> [UInt8] {
        encode(image) { pixels, output in
            WebPEncodeLosslessRGBA(pixels, Int32(image.width), Int32(image.height), Int32(image.width * 4), output)
        }
    }

    /// A lossy (VP8) WebP of the pixels, `quality` 0...100.
    public static func encodeLossy(_ image: RGBAImage, quality: Float = 85) -> [UInt8] {
        encode(image) { pixels, output in
            WebPEncodeRGBA(
                pixels, Int32(image.width), Int32(image.height), Int32(image.width * 4), min(100, max(0, quality)),
                output)
        }
    }

    private static func encode(
        _ image: RGBAImage,
        _ body: (UnsafePointer<UInt8>, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int
    ) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        let size = image.pixels.withUnsafeBufferPointer { pixels in
            body(pixels.baseAddress!, &output)
        }
        guard let output else { return [] }
        defer { WebPFree(output) }
        return size > 0 ? Array(UnsafeBufferPointer(start: output, count: size)) : []
    }

    private static func describe(_ status: VP8StatusCode) -> String {
        switch status {
        case VP8_STATUS_OUT_OF_MEMORY: "out of memory"
        case VP8_STATUS_INVALID_PARAM: "invalid parameter"
        case VP8_STATUS_BITSTREAM_ERROR: "bitstream error"
        case VP8_STATUS_UNSUPPORTED_FEATURE: "unsupported feature"
        case VP8_STATUS_SUSPENDED: "suspended"
        case VP8_STATUS_USER_ABORT: "aborted"
        case VP8_STATUS_NOT_ENOUGH_DATA: "not enough data"
        default: "status \(status.rawValue)"
        }
    }
}
