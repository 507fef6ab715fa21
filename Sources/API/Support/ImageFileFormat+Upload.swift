import ImageAnalysis
import TunesmithCore

/// The image formats `POST /files` accepts are the ones the image decoders read; uploads are named and typed
/// by them.
extension ImageFileFormat {
    /// The format a declared `Content-Type` names, or nil for any type the decoders do not read.
    init?(mimeType: String) {
        guard let format = Self.allCases.first(where: { $0.mimeType == mimeType }) else { return nil }
        self = format
    }

    var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    var mimeType: String { MediaContentType.forExtension(fileExtension) }
}
