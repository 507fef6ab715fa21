import Foundation
import NIOCore
import TunesmithCore

/// Where media files live: finished tracks' files and uploaded images, addressed by relative paths
/// (`tracks/<asset>/<attempt>/track.mp3`, `upload/<uuid>.png`: what `TrackResult.media` and `Upload.path` hold
/// and what a signed media link names). Two backends: `MediaFiles` (a folder, possibly on a volume every node
/// mounts) and `PostgresMediaStore` (chunks in the database).
///
/// Paths are refused (`MediaPathError`) when empty, absolute, or holding empty or dot-led components or NUL.
/// A write is atomic: a reader sees the whole old file or the whole new one.
public protocol MediaStore: Sendable {
    func write(_ data: Data, to path: String) async throws
    /// The file's size in bytes, nil when there is no file at `path`.
    func size(of path: String) async throws -> Int?
    /// Hands the bytes of `range` of the file to `consume`, in order, in pieces. Throws `MediaNotFound` when
    /// the file is gone.
    func read(_ path: String, range: ClosedRange<Int>, into consume: (ByteBuffer) async throws -> Void) async throws
    /// Removes one file; nothing happens when it does not exist.
    func remove(_ path: String) async throws
    /// Removes every file below `folder` (a track attempt's folder).
    func removeFolder(_ folder: String) async throws
    /// Runs `body` with local files holding `paths` (the engine reads reference images from files), in order.
    /// Throws `MediaNotFound` naming the first path that has no file.
    func withLocalFiles<Result: Sendable>(_ paths: [String], _ body: ([URL]) async throws -> Result) async throws
        -> Result
}

/// No file at a media path.
public struct MediaNotFound: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public var description: String { "no media file at \(path)" }
}

/// The layout of media paths, shared by every backend.
public enum MediaPaths {
    static let tracksFolder = "tracks"
    static let uploadFolder = "upload"

    /// One attempt of a track: a claim's own folder `tracks/<asset>/<attempt>`, so a worker that lost its lease
    /// can never overwrite (or, cleaning up, delete) the files of the attempt that won.
    public static func attemptFolder(assetID: Int64, attempt: String) -> String {
        "\(tracksFolder)/\(assetID)/\(attempt)"
    }

    /// A finished track's file of `kind` in its attempt's folder: `track.<ext>`, and the stems `stems.zip` (the
    /// name a download keeps).
    public static func track(assetID: Int64, attempt: String, kind: MediaKind) -> String {
        "\(attemptFolder(assetID: assetID, attempt: attempt))/\(kind == .stems ? "stems" : "track").\(kind.fileExtension)"
    }

    /// A fresh path for an uploaded file: `upload/<uuid>.<ext>`.
    public static func newUpload(fileExtension: String) -> String {
        "\(uploadFolder)/\(UUID().uuidString.lowercased()).\(fileExtension)"
    }

    /// The path's components, or nil when it is not a plain relative path below the media root. Names starting
    /// with a dot (`.`, `..`, and the temporary files of writes in progress) are never addressable.
    package static func components(of relative: String) -> [String]? {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0") else { return nil }
        let components = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { return nil }
        return components
    }
}
