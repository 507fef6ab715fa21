import Foundation
import Storage
import TunesmithCore

extension MediaFiles {
    /// Writes each file of a finished track atomically; returns the paths to record with the result.
    func writeTrack(assetID: Int64, files: [MediaKind: Data]) throws -> [MediaKind: String] {
        var paths: [MediaKind: String] = [:]
        for (kind, data) in files {
            let path = Self.trackPath(assetID: assetID, kind: kind)
            try write(data, to: path)
            paths[kind] = path
        }
        return paths
    }

    /// Deletes a track's folder: media of a job that was cancelled or taken over while it was being stored.
    func removeTrack(assetID: Int64) throws {
        let anyFile = root.appendingPathComponent(Self.trackPath(assetID: assetID, kind: .mp3))
        try FileManager.default.removeItem(at: anyFile.deletingLastPathComponent())
    }

    /// The files of a request's reference images, or the path of the first one that is missing.
    func imageFiles(_ paths: [String]) -> Result<[URL], MissingUpload> {
        var urls: [URL] = []
        for path in paths {
            guard let url = url(for: path) else { return .failure(MissingUpload(path: path)) }
            urls.append(url)
        }
        return .success(urls)
    }
}

struct MissingUpload: Error, CustomStringConvertible {
    var path: String
    var description: String { "The reference image \(path) is no longer stored." }
}
