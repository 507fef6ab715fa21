import Foundation
import TunesmithCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The media folder: finished tracks' files and uploads, addressed by paths relative to it (the paths stored
/// in `TrackResult.media` and `Upload.path`, and the path part of a signed media link).
///
/// A relative path never leaves the folder: absolute paths, `.`/`..` (any dot-name) components and symlinks
/// pointing outside are refused. Writes are atomic: a reader sees the old file or the whole new one, never a part.
public struct MediaFiles: Sendable, Hashable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    static let tracksFolder = "tracks"
    static let uploadFolder = "upload"

    /// Where a finished track's file of `kind` goes: `tracks/<assetID>/track.<ext>` (the stems:
    /// `tracks/<assetID>/stems.zip`, the name a download keeps).
    public static func trackPath(assetID: Int64, kind: MediaKind) -> String {
        "\(tracksFolder)/\(assetID)/\(kind == .stems ? "stems" : "track").\(kind.fileExtension)"
    }

    /// A fresh path for an uploaded file: `upload/<uuid>.<ext>`.
    public static func newUploadPath(fileExtension: String) -> String {
        "\(uploadFolder)/\(UUID().uuidString.lowercased()).\(fileExtension)"
    }

    /// Writes `data` to `relative`, creating its folders: into a temporary file in the same folder, synced
    /// to disk, then renamed over the final name (rename is atomic within a file system).
    public func write(_ data: Data, to relative: String) throws {
        guard let components = Self.components(of: relative) else { throw MediaPathError(path: relative) }
        var folder = root.path
        try FileIO.makeFolder(folder, mustBeReal: false)
        for name in components.dropLast() {
            folder += "/" + name
            // A symlinked folder inside the media folder could point anywhere: refuse it.
            try FileIO.makeFolder(folder, mustBeReal: true)
        }
        let final = folder + "/" + components[components.count - 1]
        let temporary = folder + "/.\(components[components.count - 1]).\(UUID().uuidString).tmp"
        do {
            try FileIO.writeSynced(data, to: temporary, permissions: 0o644)
            guard rename(temporary, final) == 0 else {
                throw FileIO.Error(operation: "rename", path: final, code: errno)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        // Make the rename itself durable.
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// The file at `relative` if it exists, is a regular file and really lies inside the media folder
    /// (after resolving symlinks); nil otherwise.
    public func url(for relative: String) -> URL? {
        guard Self.components(of: relative) != nil,
            let realRoot = FileIO.realPath(root.path),
            let realFile = FileIO.realPath(root.path + "/" + relative),
            realFile.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/")
        else { return nil }
        var status = stat()
        guard stat(realFile, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return URL(fileURLWithPath: realFile)
    }

    /// The path's components, or nil when it is not a plain relative path below the folder. Names starting
    /// with a dot (`.`, `..`, and the temporary files of writes in progress) are never addressable.
    static func components(of relative: String) -> [String]? {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0") else { return nil }
        let components = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { return nil }
        return components
    }
}

/// A media path that is absolute, empty, or climbs out of the media folder.
public struct MediaPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var description: String { "unsafe media path \"\(path)\"" }
}

/// The POSIX calls behind atomic, durable file writes.
enum FileIO {
    struct Error: Swift.Error, CustomStringConvertible {
        var operation: String
        var path: String
        var code: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// Creates `data` at `path` (which must not exist yet), fully written and synced before returning.
    static func writeSynced(_ data: Data, to path: String, permissions: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, permissions)
        guard descriptor >= 0 else { throw Error(operation: "create", path: path, code: errno) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            guard let start = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, start + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Error(operation: "write", path: path, code: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw Error(operation: "fsync", path: path, code: errno) }
    }

    /// Makes sure `path` is a folder; with `mustBeReal`, a symlink there is refused rather than followed.
    static func makeFolder(_ path: String, mustBeReal: Bool) throws {
        if mkdir(path, 0o755) == 0 { return }
        guard errno == EEXIST else { throw Error(operation: "mkdir", path: path, code: errno) }
        var status = stat()
        let found = mustBeReal ? lstat(path, &status) : stat(path, &status)
        guard found == 0 else { throw Error(operation: "stat", path: path, code: errno) }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw MediaPathError(path: path) }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
