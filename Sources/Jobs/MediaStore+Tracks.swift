import Foundation
import Storage
import TunesmithCore

extension MediaStore {
    /// Writes the files of one attempt at a track into that attempt's own folder; returns the paths to record
    /// with the result.
    func writeAttempt(assetID: Int64, attempt: String, files: [MediaKind: Data]) async throws -> [MediaKind: String] {
        var paths: [MediaKind: String] = [:]
        for (kind, data) in files {
            let path = MediaPaths.track(assetID: assetID, attempt: attempt, kind: kind)
            try await write(data, to: path)
            paths[kind] = path
        }
        return paths
    }
}

struct MissingUpload: Error, CustomStringConvertible {
    var path: String
    var description: String { "The reference image \(path) is no longer stored." }
}
