import Foundation
import NIOCore
import NIOPosix
import TunesmithCore
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The filesystem `MediaStore`: a media folder (`<data-dir>/media` by default, or `--media-dir`, e.g. a volume
/// every node mounts), holding the files at their relative paths.
///
/// A relative path never leaves the folder: absolute paths, `.`/`..` (any dot-name) components and symlinks
/// pointing outside are refused. Writes are atomic: a temporary file in the same folder, `fsync`, `rename` over
/// the final name, `fsync` of the folder; a reader sees the old file or the whole new one, never a part.
///
/// Every file system call runs on `threadPool` (NIO's blocking-I/O pool by default), never on the Swift
/// concurrency pool: a multi-megabyte `fsync` would otherwise hold one of its few threads, which also serve the
/// HTTP requests.
public struct MediaFiles: MediaStore {
    public let root: URL
    let threadPool: NIOThreadPool
    private let fileSystem: FileSystem

    public init(root: URL, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.threadPool = threadPool
        fileSystem = FileSystem(threadPool: threadPool)
    }

    /// Creates the folder and its `tracks` and `upload` folders.
    public func prepare() throws {
        for folder in [MediaPaths.tracksFolder, MediaPaths.uploadFolder] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder, isDirectory: true), withIntermediateDirectories: true)
        }
    }

    public func write(_ data: Data, to relative: String) async throws {
        guard let components = MediaPaths.components(of: relative) else { throw MediaPathError(path: relative) }
        try await threadPool.runIfActive { [root] in try Self.writeNow(data, components: components, root: root) }
    }

    /// Writes `data` at `components` below `root`, creating its folders: into a temporary file in the same
    /// folder, synced to disk, then renamed over the final name (rename is atomic within a file system).
    private static func writeNow(_ data: Data, components: [String], root: URL) throws {
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

    public func size(of relative: String) async throws -> Int? {
        try await threadPool.runIfActive { self.fileSize(relative) }
    }

    public func read(_ relative: String, range: ClosedRange<Int>, into consume: (ByteBuffer) async throws -> Void)
        async throws
    {
        guard let location = try await threadPool.runIfActive({ self.url(for: relative) }) else {
            throw MediaNotFound(path: relative)
        }
        try await fileSystem.withFileHandle(forReadingAt: FilePath(location.path)) { file in
            for try await chunk in file.readChunks(in: Int64(range.lowerBound)...Int64(range.upperBound)) {
                try await consume(chunk)
            }
        }
    }

    public func remove(_ relative: String) async throws {
        guard MediaPaths.components(of: relative) != nil else { throw MediaPathError(path: relative) }
        try await threadPool.runIfActive {
            guard let location = self.url(for: relative) else { return }
            try FileManager.default.removeItem(at: location)
        }
    }

    public func removeFolder(_ relative: String) async throws {
        guard MediaPaths.components(of: relative) != nil else { throw MediaPathError(path: relative) }
        try await threadPool.runIfActive {
            var status = stat()
            let folder = self.root.path + "/" + relative
            // Not through a symlink: only a real folder inside the media folder is removed.
            guard lstat(folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR,
                let real = FileIO.realPath(folder), self.isInside(real)
            else { return }
            try FileManager.default.removeItem(atPath: real)
        }
    }

    /// The files themselves: nothing to copy.
    public func withLocalFiles<Result: Sendable>(_ paths: [String], _ body: ([URL]) async throws -> Result)
        async throws -> Result
    {
        let urls = try await threadPool.runIfActive {
            try paths.map { path in
                guard let url = self.url(for: path) else { throw MediaNotFound(path: path) }
                return url
            }
        }
        return try await body(urls)
    }

    /// The file at `relative` if it exists, is a regular file and really lies inside the media folder
    /// (after resolving symlinks); nil otherwise. Blocking: call it on the thread pool.
    public func url(for relative: String) -> URL? {
        guard MediaPaths.components(of: relative) != nil,
            let realFile = FileIO.realPath(root.path + "/" + relative), isInside(realFile)
        else { return nil }
        var status = stat()
        guard stat(realFile, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return URL(fileURLWithPath: realFile)
    }

    private func fileSize(_ relative: String) -> Int? {
        guard let location = url(for: relative) else { return nil }
        var status = stat()
        guard stat(location.path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    private func isInside(_ realPath: String) -> Bool {
        guard let realRoot = FileIO.realPath(root.path) else { return false }
        return realPath.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/")
    }
}

/// A media path that is absolute, empty, or climbs out of the media folder.
public struct MediaPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String

    public init(path: String) {
        self.path = path
    }

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
