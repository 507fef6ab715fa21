/// The `Content-Type` of every kind of file Tunesmith stores and serves (track media, uploaded images and the
/// studio page's files), by file extension: the one table for serving `/media/...` and `/studio/...` and for
/// recording an upload's type.
public enum MediaContentType {
    private static let byExtension: [String: String] = [
        "mp3": "audio/mpeg",
        "mid": "audio/midi", "midi": "audio/midi",
        "wav": "audio/wav",
        "json": "application/json",
        "lrc": "text/plain; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "zip": "application/zip",
        "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "svg": "image/svg+xml",
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
    ]

    /// The type for a file extension (any case); `application/octet-stream` for one not in the table.
    public static func forExtension(_ fileExtension: String) -> String {
        byExtension[fileExtension.lowercased()] ?? "application/octet-stream"
    }
}
