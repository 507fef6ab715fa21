import Foundation

/// Turns the bytes of a reference image into pixels: recognises the format from its magic bytes and hands
/// it to the decoder for that format (stb_image for PNG/JPEG/GIF, libwebp for WebP).
public struct ImageDecoder: Sendable {
    /// Decoding allocates 4 bytes a pixel; this caps it (the default fits a 4096 x 4096 upload, 64 MiB).
    public var maxPixels: Int

    public init(maxPixels: Int = 4_096 * 4_096) {
        self.maxPixels = maxPixels
    }

    public func decode(_ bytes: [UInt8]) throws(ImageDecodingError) -> RGBAImage {
        guard let format = ImageFileFormat(magic: bytes) else { throw .unsupportedFormat }
        switch format {
        case .png, .jpeg, .gif: return try StbImage.decode(bytes, format: format, maxPixels: maxPixels)
        case .webp: return try WebPCodec.decode(bytes, maxPixels: maxPixels)
        }
    }

    public func decode(contentsOf url: URL) throws(ImageDecodingError) -> RGBAImage {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw .unreadable(path: url.lastPathComponent, reason: error.localizedDescription)
        }
        return try decode(bytes)
    }
}

/// What an image's header says: its format and pixel size.
public struct ImageHeader: Sendable, Hashable {
    public var format: ImageFileFormat
    public var width: Int
    public var height: Int
}

extension ImageDecoder {
    /// The format and pixel size, read by the same decoders from the header alone (no pixel memory), so a caller
    /// can refuse an image by its size before paying for its pixels.
    public func header(of bytes: [UInt8]) throws(ImageDecodingError) -> ImageHeader {
        guard let format = ImageFileFormat(magic: bytes) else { throw .unsupportedFormat }
        let size: (width: Int, height: Int)?
        switch format {
        case .png, .jpeg, .gif: size = StbImage.size(of: bytes)
        case .webp: size = WebPCodec.size(of: bytes)
        }
        guard let size else { throw .damaged(format, reason: "the header is damaged or truncated") }
        return ImageHeader(format: format, width: size.width, height: size.height)
    }
}
