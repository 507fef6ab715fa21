import Foundation

/// The file formats the decoders read, recognised by their first bytes (never by a name or a declared type).
public enum ImageFileFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case png, jpeg, gif, webp

    /// The format the magic bytes announce, or nil.
    public init?(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) {
            self = .gif
        } else if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }

    public var displayName: String { rawValue.uppercased() }
}

/// Why bytes could not be turned into pixels. Every hostile or broken input ends here, never in a crash.
public enum ImageDecodingError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// Not PNG, JPEG, GIF or WebP.
    case unsupportedFormat
    /// The decoder refused the data (truncated, forged, or a variant it does not read); `reason` is its word.
    case damaged(ImageFileFormat, reason: String)
    /// More pixels than the decoder is allowed to allocate.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// Animated WebP: only still images are analysed.
    case animated(ImageFileFormat)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedFormat:
            "the bytes are not a PNG, JPEG, GIF or WebP image"
        case .damaged(let format, let reason):
            "the \(format.displayName) data cannot be decoded (\(reason))"
        case .tooManyPixels(let width, let height, let limit):
            "the image is \(width)x\(height) px, more than the \(limit) pixels the decoder accepts"
        case .animated(let format):
            "animated \(format.displayName) images are not supported; use a still image"
        case .unreadable(let path, let reason):
            "\(path) cannot be read (\(reason))"
        }
    }

    public var errorDescription: String? { description }
}
