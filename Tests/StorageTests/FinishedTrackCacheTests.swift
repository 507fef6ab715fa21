import Foundation
import TestSupport
import Testing
import TunesmithCore

@testable import Storage

@Suite("Finished-track cache")
struct FinishedTrackCacheTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let result = TrackResult(
        title: "Calm Piano", lyrics: "la la", durationSeconds: 30, bpm: 92, key: "F# minor", genre: "pop",
        provider: "local", media: [.mp3: "tracks/1/track.mp3"])

    /// The server's store (caching) and a worker's store in "another process" on the same file.
    struct TwoStores {
        let folder: TemporaryFolder
        let server: CachedStore
        let worker: SQLiteStore
        let user: User

        init(capacity: Int = FinishedTrackCache.defaultCapacity) async throws {
            folder = try TemporaryFolder()
            let path = folder.url.appendingPathComponent("tunesmith.sqlite").path
            server = CachedStore(try SQLiteStore(path: path), finishedTracks: FinishedTrackCache(capacity: capacity))
            worker = try SQLiteStore(path: path)
            user = try await worker.makeUser(name: "alice", email: "a@x.io", now: FinishedTrackCacheTests.t0)
        }

        func queue(_ assetID: Int64) async throws {
            _ = try await worker.createTrack(
                userID: user.id, choice: .named("a@x.io"),
                request: .test(instrumental: true, seed: 1),
                cost: 10, assetID: assetID, now: FinishedTrackCacheTests.t0)
        }

        func finish(_ assetID: Int64) async throws {
            let claimed = try #require(
                try await worker.claimNext(
                    workerID: "w", leaseUntil: FinishedTrackCacheTests.t0 + 60, now: FinishedTrackCacheTests.t0))
            #expect(claimed.assetID == assetID)
            #expect(
                try await worker.complete(
                    assetID: assetID, workerID: "w", result: FinishedTrackCacheTests.result,
                    now: FinishedTrackCacheTests.t0 + 1))
        }

        /// A change no store method can make to a finished track (final is final): here only to tell whether an
        /// answer came from the database or from memory.
        func rewriteCreditsBehindTheStores(_ assetID: Int64, to credits: Int) async throws {
            try await worker.dbPool.write { db in
                try db.execute(sql: "UPDATE tracks SET credits = ? WHERE asset_id = ?", arguments: [credits, assetID])
            }
        }
    }

    @Test func aFinishedTrackIsReadFromTheDatabaseOnceThenFromMemory() async throws {
        let stores = try await TwoStores()
        defer { stores.folder.remove() }
        try await stores.queue(1)
        try await stores.finish(1)

        let first = try #require(try await stores.server.track(userID: stores.user.id, assetID: 1))
        #expect(first.status == .completed && first.credits == 10 && first.result == Self.result)
        #expect(stores.server.finishedTracks.count == 1)
        try await stores.rewriteCreditsBehindTheStores(1, to: 999)
        #expect(try await stores.server.track(userID: stores.user.id, assetID: 1) == first)
        // The store without a cache reads the row as it now is.
        #expect(try await stores.worker.track(userID: stores.user.id, assetID: 1)?.credits == 999)
    }

    @Test func aTrackInProgressIsAlwaysReadFromTheDatabase() async throws {
        let stores = try await TwoStores()
        defer { stores.folder.remove() }
        try await stores.queue(1)
        #expect(try await stores.server.track(userID: stores.user.id, assetID: 1)?.status == .queued)

        _ = try await stores.worker.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
        #expect(try await stores.server.track(userID: stores.user.id, assetID: 1)?.status == .generating)
        #expect(
            try await stores.worker.heartbeat(
                assetID: 1, workerID: "w", leaseUntil: Self.t0 + 90, progress: 40, notify: false, now: Self.t0 + 1))
        #expect(try await stores.server.track(userID: stores.user.id, assetID: 1)?.progress == 40)
        #expect(stores.server.finishedTracks.count == 0)

        #expect(try await stores.worker.complete(assetID: 1, workerID: "w", result: Self.result, now: Self.t0 + 2))
        #expect(try await stores.server.track(userID: stores.user.id, assetID: 1)?.status == .completed)
        #expect(stores.server.finishedTracks.count == 1)
    }

    @Test func aCachedTrackIsStillOnlyItsOwnersTrack() async throws {
        let stores = try await TwoStores()
        defer { stores.folder.remove() }
        try await stores.queue(1)
        try await stores.finish(1)
        let bob = try await stores.worker.createUser(name: "bob", now: Self.t0)

        #expect(try await stores.server.track(userID: stores.user.id, assetID: 1) != nil)
        #expect(stores.server.finishedTracks.count == 1)
        #expect(try await stores.server.track(userID: bob.id, assetID: 1) == nil)
    }

    @Test func theCacheHoldsAtMostItsCapacityAndEveryTrackStaysReadable() async throws {
        let stores = try await TwoStores(capacity: 2)
        defer { stores.folder.remove() }
        for assetID in Int64(1)...3 {
            try await stores.queue(assetID)
            try await stores.finish(assetID)
        }
        for _ in 0..<2 {
            for assetID in Int64(1)...3 {
                #expect(try await stores.server.track(userID: stores.user.id, assetID: assetID)?.assetID == assetID)
            }
        }
        #expect(stores.server.finishedTracks.count == 2)
    }
}
