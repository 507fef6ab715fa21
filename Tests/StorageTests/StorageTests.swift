import Foundation
import NIOPosix
import Storage
import TestSupport
import Testing
import TunesmithCore

@Suite("SQLite store")
struct SQLiteStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func reopeningAMigratedDatabaseKeepsItsData() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("tunesmith.sqlite").path
        let user = try await SQLiteStore(path: path).createUser(name: "alice", now: Self.t0)
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.user(id: user.id) == user)
        // A second store on the same file (another process, in production) sees the same data.
        let concurrent = try SQLiteStore(path: path)
        _ = try await concurrent.upsertAccount(
            userID: user.id, email: "a@x.io", maxJobs: 2, credits: nil, passwordHash: nil, now: Self.t0)
        #expect(try await reopened.accounts(userID: user.id).map(\.email) == ["a@x.io"])
    }

    @Test func databaseRunsInWALMode() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("tunesmith.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try await store.createUser(name: "alice", now: Self.t0)
        // The journal mode is recorded in the file header: bytes 18 and 19 are 2 for WAL (1 for rollback).
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(20)
        #expect(Array(header.suffix(2)) == [2, 2])
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func storesInTwoPoolsOnOneFileClaimEachTrackOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("tunesmith.sqlite").path
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        let user = try await first.createUser(name: "u", now: Self.t0)
        _ = try await first.upsertAccount(
            userID: user.id, email: "a@x.io", maxJobs: 8, credits: nil, passwordHash: nil, now: Self.t0)
        for assetID in Int64(1)...6 {
            _ = try await first.createTrack(
                userID: user.id, choice: .any, request: StoreContractTests.request(), cost: 1, assetID: assetID,
                now: Self.t0 + TimeInterval(assetID))
        }
        let claimed = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for worker in 0..<12 {
                let store = worker.isMultiple(of: 2) ? first : second
                group.addTask {
                    try await store.claimNext(workerID: "w\(worker)", leaseUntil: Self.t0 + 60, now: Self.t0 + 10)?.assetID
                }
            }
            var claimed: [Int64] = []
            for try await assetID in group { if let assetID { claimed.append(assetID) } }
            return claimed
        }
        #expect(claimed.sorted() == Array(Int64(1)...6))
    }
}

@Suite("Data directory")
struct DataDirectoryTests {
    @Test func secretKeyIsMadeOnceWithOwnerOnlyPermissions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = DataDirectory(root: folder.url.appendingPathComponent("data"))
        let key = try directory.secretKey()
        #expect(key.count == 32)
        #expect(try directory.secretKey() == key)
        #expect(try DataDirectory(root: directory.root).secretKey() == key)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.secretKeyURL.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Only the key is left: no temporary files.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.root.path).sorted()
        #expect(names == ["media", "secret.key"])
    }

    @Test func aTruncatedSecretKeyIsAnErrorNotANewKey() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = DataDirectory(root: folder.url)
        try Data([1, 2, 3]).write(to: directory.secretKeyURL)
        #expect(throws: (any Error).self) { try directory.secretKey() }
    }

    @Test func layoutPutsDatabaseAndMediaInTheirPlaces() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = DataDirectory(root: folder.url.appendingPathComponent("data"))
        let store = try SQLiteStore(dataDirectory: directory)
        _ = try await store.users()
        let files = FileManager.default
        #expect(files.fileExists(atPath: directory.root.appendingPathComponent("tunesmith.sqlite").path))
        #expect(files.fileExists(atPath: directory.root.appendingPathComponent("media/tracks").path))
        #expect(files.fileExists(atPath: directory.root.appendingPathComponent("media/upload").path))
        #expect(MediaPaths.track(assetID: 42, attempt: "1-x", kind: .mp3) == "tracks/42/1-x/track.mp3")
        #expect(MediaPaths.track(assetID: 42, attempt: "2-y", kind: .midi) == "tracks/42/2-y/track.mid")
        #expect(MediaPaths.attemptFolder(assetID: 42, attempt: "2-y") == "tracks/42/2-y")
        let upload = MediaPaths.newUpload(fileExtension: "png")
        #expect(upload.hasPrefix("upload/") && upload.hasSuffix(".png") && upload.count == "upload/".count + 36 + 4)
    }
}

@Suite("Media files")
struct MediaFilesTests {
    @Test func writeThenResolve() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let media = MediaFiles(root: folder.url.appendingPathComponent("media"))
        try await media.write(Data("first".utf8), to: "tracks/7/track.lrc")
        try await media.write(Data("second".utf8), to: "tracks/7/track.lrc")
        let url = try #require(media.url(for: "tracks/7/track.lrc"))
        #expect(try Data(contentsOf: url) == Data("second".utf8))
        #expect(media.url(for: "tracks/7/missing.mp3") == nil)
        #expect(media.url(for: "tracks/7") == nil)  // a folder is not a media file
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["track.lrc"])
    }

    @Test(arguments: ["", "/etc/passwd", "../secret.key", "tracks/../../secret.key", "tracks/./7", "tracks//7", "a\0b", "tracks/7/.track.mp3.tmp"])
    func unsafePathsAreRefused(path: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let media = MediaFiles(root: folder.url.appendingPathComponent("media"))
        try Data("key".utf8).write(to: folder.url.appendingPathComponent("secret.key"))
        try await media.write(Data("x".utf8), to: "tracks/7/track.mp3")
        #expect(media.url(for: path) == nil)
        await #expect(throws: MediaPathError.self) { try await media.write(Data("evil".utf8), to: path) }
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("secret.key")) == Data("key".utf8))
    }

    @Test func symlinksLeadingOutOfTheMediaFolderAreRefused() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outside = folder.url.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("private".utf8).write(to: outside.appendingPathComponent("private.txt"))
        let media = MediaFiles(root: folder.url.appendingPathComponent("media"))
        try await media.write(Data("inside".utf8), to: "tracks/1/track.mp3")
        try FileManager.default.createSymbolicLink(
            at: media.root.appendingPathComponent("escape"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            at: media.root.appendingPathComponent("alias.mp3"),
            withDestinationURL: media.root.appendingPathComponent("tracks/1/track.mp3"))

        #expect(media.url(for: "escape/private.txt") == nil)
        await #expect(throws: (any Error).self) { try await media.write(Data("evil".utf8), to: "escape/planted.txt") }
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("planted.txt").path))
        // A link that stays inside is fine.
        #expect(try media.url(for: "alias.mp3").map { try Data(contentsOf: $0) } == Data("inside".utf8))
    }

    /// File system calls (a multi-megabyte write ends in `fsync`) run on the store's blocking-I/O thread pool,
    /// never on the Swift concurrency pool, whose few threads serve every request. Proof by routing: with a pool
    /// that does not run, nothing is written.
    @Test func writesRunOnTheBlockingIOPoolNotOnTheConcurrencyPool() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let stopped = NIOThreadPool(numberOfThreads: 1)
        let media = MediaFiles(root: folder.url, threadPool: stopped)
        await #expect(throws: (any Error).self) {
            try await media.write(Data(repeating: 7, count: 4 << 20), to: "tracks/1/1-a/track.mp3")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("tracks/1/1-a/track.mp3").path))
    }

    /// A reader racing the writer must only ever see a whole old file or a whole new one.
    @Test func readersNeverSeeAPartialFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let media = MediaFiles(root: folder.url)
        let small = Data(repeating: 0x41, count: 512 * 1024)
        let large = Data(repeating: 0x42, count: 2 * 1024 * 1024)
        try await media.write(small, to: "tracks/1/track.mp3")
        let path = folder.url.appendingPathComponent("tracks/1/track.mp3")

        let (writes, badReads) = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for round in 0..<40 {
                    try await media.write(round.isMultiple(of: 2) ? large : small, to: "tracks/1/track.mp3")
                }
                return -1
            }
            group.addTask {
                var bad = 0
                for _ in 0..<200 {
                    let seen = try Data(contentsOf: path)
                    if seen != small && seen != large { bad += 1 }
                }
                return bad
            }
            var results: [Int] = []
            for try await result in group { results.append(result) }
            return (results.filter { $0 == -1 }.count, results.first { $0 >= 0 } ?? -1)
        }
        #expect(writes == 1)
        #expect(badReads == 0)
    }
}
