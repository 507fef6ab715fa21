import CStbImage

/// The only code touching libstb (stb_image and stb_image_write): PNG, JPEG and GIF to RGBA and back.
/// Every buffer stb allocates is freed before the function returns; callers only ever see Swift arrays.
public enum StbImage {
    /// Width and height from the header, without decoding the pixels; nil when stb cannot read the header.
    public static func size(of bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max) else { return nil }
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { buffer in
            stbi_info_from_memory(buffer.baseAddress, Int32(buffer.count), &width, &height, &channels)
        }
        guard ok == 1, width > 0, height > 0 else { return nil }
        return (Int(width), Int(height))
    }

    /// Decodes a PNG, JPEG or GIF (its first frame) to 8-bit RGBA. The header is read first, so an image with
    /// more than `maxPixels` pixels is refused before any pixel memory is allocated.
    public static func decode(
        _ bytes: [UInt8], format: ImageFileFormat, maxPixels: Int
    ) throws(ImageDecodingError) -> RGBAImage {
        guard let size = size(of: bytes) else { throw .damaged(format, reason: failureReason()) }
        guard size.width * size.height <= maxPixels else {
            throw .tooManyPixels(width: size.width, height: size.height, limit: maxPixels)
        }
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            stbi_load_from_memory(buffer.baseAddress, Int32(buffer.count), &width, &height, &channels, 4)
        }
        guard let decoded else { throw .damaged(format, reason: failureReason()) }
        defer { stbi_image_free(decoded) }
        guard width > 0, height > 0 else { throw .damaged(format, reason: "no pixels") }
        let pixels = Array(UnsafeBufferPointer(start: decoded, count: Int(width) * Int(height) * 4))
        return RGBAImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    /// A PNG of the pixels (stb_image_write, zlib-compressed, RGBA).
    public static func encodePNG(_ image: RGBAImage) -> [UInt8] {
        write { function, context in
            image.pixels.withUnsafeBytes { pixels in
                stbi_write_png_to_func(
                    function, context, Int32(image.width), Int32(image.height), 4, pixels.baseAddress,
                    Int32(image.width * 4))
            }
        }
    }

    /// A baseline JPEG of the pixels (alpha is dropped), `quality` 1...100.
    public static func encodeJPEG(_ image: RGBAImage, quality: Int = 90) -> [UInt8] {
        write { function, context in
            image.pixels.withUnsafeBytes { pixels in
                stbi_write_jpg_to_func(
                    function, context, Int32(image.width), Int32(image.height), 4, pixels.baseAddress,
                    Int32(min(100, max(1, quality))))
            }
        }
    }

    /// stb's writers stream their output through a C callback; the bytes are collected in a Swift array.
    private final class Sink {
        var bytes: [UInt8] = []
    }

    private static func write(
        _ body: (_ function: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Void,
                 _ context: UnsafeMutableRawPointer) -> Int32
    ) -> [UInt8] {
        let sink = Sink()
        let ok = withExtendedLifetime(sink) {
            body({ context, data, size in
                guard let context, let data, size > 0 else { return }
                let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(size)))
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        return ok == 0 ? [] : sink.bytes
    }

    /// stb keeps the last failure per thread (thread-local in this build); short words like "bad IHDR len".
    private static func failureReason() -> String {
        guard let reason = stbi_failure_reason() else { return "unknown error" }
        return String(cString: reason)
    }
}
