/// The `Content-Type` of every kind of file Tunesmith stores and serves (track media and uploaded images), by
/// file extension: the one table for serving `/media/...` and for recording an upload's type.
public enum MediaContentType {
    private static let byExtension: [String: String] = [
        "mp3": "audio/mpeg",
        "mid": "audio/midi", "midi": "audio/midi",
        "wav": "audio/wav",
        "json": "application/json",
        "lrc": "text/plain; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
    ]

    /// The type for a file extension (any case); `application/octet-stream` for one not in the table.
    public static func forExtension(_ fileExtension: String) -> String {
        byExtension[fileExtension.lowercased()] ?? "application/octet-stream"
    }
}
