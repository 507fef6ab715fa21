import Foundation
import NIOCore
import PostgresStorage
import TestSupport
import Storage
import Testing

/// One way of getting a fresh, empty media store.
struct MediaBackend: Sendable, CustomStringConvertible {
    let description: String
    let with: @Sendable (_ body: @Sendable (any MediaStore) async throws -> Void) async throws -> Void

    /// A folder always; the database when the PostgreSQL tests run. Chunks of 5 bytes, so ranges cross them.
    static let all: [MediaBackend] = [.folder] + (TestDatabase.isEnabled ? [.database] : [])

    static let folder = MediaBackend(description: "folder") { body in
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await body(MediaFiles(root: folder.url.appendingPathComponent("media")))
    }

    static let database = MediaBackend(description: "PostgreSQL") { body in
        try await TestDatabase.withStore { store, _ in try await body(PostgresMediaStore(store: store, chunkSize: 5)) }
    }
}

/// The rules every `MediaStore` keeps, checked on each backend.
@Suite("Media store contract")
struct MediaStoreContractTests {
    static let song = Data("ID3 a song of twenty-nine bytes".utf8)

    static func read(_ media: any MediaStore, _ path: String, _ range: ClosedRange<Int>) async throws -> Data {
        var bytes = Data()
        try await media.read(path, range: range) { bytes.append(contentsOf: $0.readableBytesView) }
        return bytes
    }

    @Test(arguments: MediaBackend.all)
    func whatIsWrittenIsReadBackWholeOrInRanges(backend: MediaBackend) async throws {
        try await backend.with { media in
            let path = "tracks/7/1-abc/track.mp3"
            #expect(try await media.size(of: path) == nil)
            try await media.write(Self.song, to: path)
            #expect(try await media.size(of: path) == Self.song.count)
            #expect(try await Self.read(media, path, 0...(Self.song.count - 1)) == Self.song)
            for range in [0...0, 3...7, 4...5, 5...9, 6...23, 28...28] {
                #expect(try await Self.read(media, path, range) == Self.song.subdata(in: range.lowerBound..<range.upperBound + 1))
            }
            // A second write replaces the file as a whole.
            try await media.write(Data("short".utf8), to: path)
            #expect(try await media.size(of: path) == 5)
            #expect(try await Self.read(media, path, 0...4) == Data("short".utf8))
            try await media.write(Data(), to: "upload/empty.png")
            #expect(try await media.size(of: "upload/empty.png") == 0)
        }
    }

    @Test(arguments: MediaBackend.all)
    func removingAnAttemptsFolderLeavesEveryOtherFile(backend: MediaBackend) async throws {
        try await backend.with { media in
            let mine = ["tracks/7/1-a/track.mp3", "tracks/7/1-a/track.mid"]
            let others = ["tracks/7/1-ab/track.mp3", "tracks/7/2-b/track.mp3", "tracks/70/1-a/track.mp3"]
            for path in mine + others { try await media.write(Self.song, to: path) }
            try await media.removeFolder("tracks/7/1-a")
            for path in mine { #expect(try await media.size(of: path) == nil) }
            for path in others { #expect(try await media.size(of: path) == Self.song.count) }
            // Removing what is not there is not an error.
            try await media.removeFolder("tracks/7/1-a")
            try await media.remove("tracks/7/2-b/track.mp3")
            try await media.remove("tracks/7/2-b/track.mp3")
            #expect(try await media.size(of: "tracks/7/2-b/track.mp3") == nil)
            await #expect(throws: MediaNotFound.self) { _ = try await Self.read(media, "tracks/7/2-b/track.mp3", 0...1) }
        }
    }

    @Test(arguments: MediaBackend.all)
    func localFilesHoldTheBytesInOrder(backend: MediaBackend) async throws {
        try await backend.with { media in
            try await media.write(Data("first".utf8), to: "upload/a.png")
            try await media.write(Data("second".utf8), to: "upload/b.png")
            let contents = try await media.withLocalFiles(["upload/b.png", "upload/a.png"]) { urls in
                try urls.map { try Data(contentsOf: $0) }
            }
            #expect(contents == [Data("second".utf8), Data("first".utf8)])
            let missing = await #expect(throws: MediaNotFound.self) {
                try await media.withLocalFiles(["upload/a.png", "upload/gone.png"]) { _ in }
            }
            #expect(missing?.path == "upload/gone.png")
        }
    }

    @Test(arguments: MediaBackend.all)
    func unsafePathsAreRefused(backend: MediaBackend) async throws {
        try await backend.with { media in
            try await media.write(Self.song, to: "upload/safe.png")
            for path in ["", "/etc/passwd", "../secret.key", "tracks/../../x", "tracks//7", "tracks/.hidden", "a\0b"] {
                await #expect(throws: MediaPathError.self) { try await media.write(Self.song, to: path) }
                #expect(try await media.size(of: path) == nil)
            }
        }
    }
}
