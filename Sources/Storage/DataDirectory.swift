import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The server's data folder:
///
/// ```
/// <dir>/tunesmith.sqlite        the database (plus -wal and -shm next to it)
/// <dir>/secret.key              32 random bytes signing media links (0600, made on first use)
/// <dir>/media/tracks/<asset>/<attempt>/   a finished track's files (one folder per attempt)
/// <dir>/media/upload/           uploaded reference images
/// ```
public struct DataDirectory: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var databaseURL: URL { root.appendingPathComponent("tunesmith.sqlite") }
    public var secretKeyURL: URL { root.appendingPathComponent("secret.key") }
    public var mediaURL: URL { root.appendingPathComponent("media", isDirectory: true) }
    public var media: MediaFiles { MediaFiles(root: mediaURL) }

    /// Creates the folders (the root readable only by this user: it holds the database and the key).
    public func prepare() throws {
        let files = FileManager.default
        try files.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try media.prepare()
    }

    /// The key signing media links, so links stay valid across restarts. The first caller creates it; when
    /// several processes start at once, exactly one key wins and all of them read that one.
    public func secretKey() throws -> Data {
        try prepare()
        if let key = try readSecretKey() { return key }
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<Self.secretKeyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let temporary = root.appendingPathComponent(".secret.key.\(UUID().uuidString)")
        defer { unlink(temporary.path) }
        try FileIO.writeSynced(key, to: temporary.path, permissions: 0o600)
        // link() publishes the complete file under its final name, and fails if another process was first.
        if link(temporary.path, secretKeyURL.path) != 0 && errno != EEXIST {
            throw FileIO.Error(operation: "link", path: secretKeyURL.path, code: errno)
        }
        guard let stored = try readSecretKey() else {
            throw FileIO.Error(operation: "read", path: secretKeyURL.path, code: ENOENT)
        }
        return stored
    }

    package static let secretKeyLength = 32

    private func readSecretKey() throws -> Data? {
        guard FileManager.default.fileExists(atPath: secretKeyURL.path) else { return nil }
        let key = try Data(contentsOf: secretKeyURL)
        guard key.count == Self.secretKeyLength else {
            throw StorageError("\(secretKeyURL.path) holds \(key.count) bytes, expected \(Self.secretKeyLength)")
        }
        return key
    }
}
