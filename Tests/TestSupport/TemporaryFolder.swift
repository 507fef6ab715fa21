import Foundation
import Storage

/// A fresh folder under the system's temporary folder; `remove()` deletes it with everything in it.
public struct TemporaryFolder: Sendable {
    public let url: URL

    public init(_ prefix: String = "tunesmith-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

extension TemporaryFolder {
    /// A data directory inside this folder, prepared as the server prepares its own (media folders made).
    public func dataDirectory() throws -> DataDirectory {
        let directory = DataDirectory(root: url.appendingPathComponent("data", isDirectory: true))
        try directory.prepare()
        return directory
    }
}
