import Foundation
import NIOPosix
import PostgresNIO
import Storage

/// Media files in the database (schema v1's `media_files` and `media_chunks`), so nodes share them without a
/// shared disk: a worker on one machine writes a track that an API node on another streams. Files are split into
/// `chunkSize` pieces; a read fetches only the chunks its range touches, a few at a time, so serving a file holds
/// a pooled connection only while a batch is fetched, not while a slow client downloads.
public struct PostgresMediaStore: MediaStore {
    public static let defaultChunkSize = 256 * 1024
    /// Chunks fetched per query when reading.
    static let chunksPerRead = 4

    let store: PostgresStore
    let chunkSize: Int
    /// For the temporary files of `withLocalFiles` (file writes stay off the concurrency pool).
    let threadPool: NIOThreadPool

    public init(
        store: PostgresStore, chunkSize: Int = PostgresMediaStore.defaultChunkSize,
        threadPool: NIOThreadPool = .singleton
    ) {
        self.store = store
        self.chunkSize = max(1, chunkSize)
        self.threadPool = threadPool
    }

    /// One transaction: a reader sees the old file (all its chunks) or the new one.
    public func write(_ data: Data, to path: String) async throws {
        try Self.check(path)
        try await store.transaction { connection in
            _ = try await connection.run("DELETE FROM media_files WHERE path = \(path)", logger: store.logger)
            _ = try await connection.run(
                "INSERT INTO media_files (path, size, chunk_size) VALUES (\(path), \(data.count), \(chunkSize))",
                logger: store.logger)
            for (index, start) in stride(from: 0, to: data.count, by: chunkSize).enumerated() {
                let chunk = data.subdata(in: start..<min(start + chunkSize, data.count))
                _ = try await connection.run(
                    "INSERT INTO media_chunks (path, seq, data) VALUES (\(path), \(index), \(chunk))",
                    logger: store.logger)
            }
        }
    }

    public func size(of path: String) async throws -> Int? {
        guard MediaPaths.components(of: path) != nil else { return nil }
        return try await store.rows("SELECT size FROM media_files WHERE path = \(path)").first?.decode(Int.self)
    }

    public func read(_ path: String, range: ClosedRange<Int>, into consume: (ByteBuffer) async throws -> Void)
        async throws
    {
        guard MediaPaths.components(of: path) != nil,
            let file = try await store.rows("SELECT size, chunk_size FROM media_files WHERE path = \(path)").first
        else { throw MediaNotFound(path: path) }
        let (size, chunkSize) = try file.decode((Int, Int).self)
        guard size > 0 else { return }
        let range = range.clamped(to: 0...(size - 1))
        let first = range.lowerBound / chunkSize, last = range.upperBound / chunkSize
        var next = first
        while next <= last {
            let batchEnd = min(last, next + Self.chunksPerRead - 1)
            let rows = try await store.rows(
                """
                SELECT seq, data FROM media_chunks
                WHERE path = \(path) AND seq BETWEEN \(next) AND \(batchEnd) ORDER BY seq
                """)
            guard rows.count == batchEnd - next + 1 else { throw MediaNotFound(path: path) }
            for row in rows {
                var (index, chunk) = try row.decode((Int, ByteBuffer).self)
                let chunkStart = index * chunkSize
                // Trim the first and last chunk to the range.
                let from = max(range.lowerBound - chunkStart, 0)
                let to = min(range.upperBound - chunkStart + 1, chunk.readableBytes)
                chunk.moveReaderIndex(forwardBy: from)
                try await consume(chunk.getSlice(at: chunk.readerIndex, length: to - from) ?? ByteBuffer())
            }
            next = batchEnd + 1
        }
    }

    public func remove(_ path: String) async throws {
        _ = try await store.rows("DELETE FROM media_files WHERE path = \(path)")
    }

    public func removeFolder(_ folder: String) async throws {
        try Self.check(folder)
        _ = try await store.rows("DELETE FROM media_files WHERE starts_with(path, \(folder + "/"))")
    }

    /// Copies the files into a temporary folder for the duration of `body`.
    public func withLocalFiles<Result: Sendable>(_ paths: [String], _ body: ([URL]) async throws -> Result)
        async throws -> Result
    {
        guard !paths.isEmpty else { return try await body([]) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-media-\(UUID().uuidString)", isDirectory: true)
        do {
            var urls: [URL] = []
            for (index, path) in paths.enumerated() {
                guard let size = try await size(of: path) else { throw MediaNotFound(path: path) }
                var bytes = Data(capacity: size)
                if size > 0 {
                    try await read(path, range: 0...(size - 1)) { bytes.append(contentsOf: $0.readableBytesView) }
                }
                // The index keeps two uploads with one name apart; the name keeps the extension decoders look at.
                let url = folder.appendingPathComponent("\(index)-\(path.split(separator: "/").last ?? "file")")
                try await threadPool.runIfActive { [bytes] in
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try bytes.write(to: url)
                }
                urls.append(url)
            }
            let result = try await body(urls)
            try? await threadPool.runIfActive { try FileManager.default.removeItem(at: folder) }
            return result
        } catch {
            try? await threadPool.runIfActive { try FileManager.default.removeItem(at: folder) }
            throw error
        }
    }

    private static func check(_ path: String) throws {
        guard MediaPaths.components(of: path) != nil else { throw MediaPathError(path: path) }
    }
}
