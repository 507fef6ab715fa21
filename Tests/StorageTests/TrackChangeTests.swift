import Foundation
import NIOConcurrencyHelpers
import Storage
import TestSupport
import Testing
import TunesmithCore

/// Records what a `TrackChangePublishingStore` announces.
final class RecordingPublisher: TrackChangePublisher {
    private let published = NIOLockedValueBox([TrackChange]())

    func publish(_ change: TrackChange) {
        published.withLockedValue { $0.append(change) }
    }

    /// Everything published since the last call.
    func take() -> [TrackChange] {
        published.withLockedValue { changes in
            defer { changes.removeAll() }
            return changes
        }
    }
}

@Suite("Track changes: broadcaster and publishing store")
struct TrackChangeTests {
    typealias Contract = StoreContractTests
    static let worker = "w1"

    @Test func broadcasterDeliversToTheUsersSubscribersOnly() async throws {
        let broadcaster = TrackChangeBroadcaster()
        var alice = broadcaster.changes(userID: "alice").makeAsyncIterator()
        var aliceAgain = broadcaster.changes(userID: "alice").makeAsyncIterator()
        var bob = broadcaster.changes(userID: "bob").makeAsyncIterator()
        #expect(broadcaster.subscriberCount == 3)

        broadcaster.publish(TrackChange(userID: "alice", assetID: 1))
        broadcaster.publish(TrackChange(userID: "bob", assetID: 2))
        broadcaster.publish(TrackChange(userID: "carol", assetID: 3))  // nobody listens: dropped

        #expect(await alice.next() == TrackChange(userID: "alice", assetID: 1))
        #expect(await aliceAgain.next() == TrackChange(userID: "alice", assetID: 1))
        #expect(await bob.next() == TrackChange(userID: "bob", assetID: 2))
    }

    @Test func droppingAStreamUnsubscribes() async throws {
        let broadcaster = TrackChangeBroadcaster()
        do {
            let stream = broadcaster.changes(userID: "alice")
            #expect(broadcaster.subscriberCount == 1)
            _ = stream
        }
        #expect(broadcaster.subscriberCount == 0)
        broadcaster.publish(TrackChange(userID: "alice", assetID: 1))
    }

    @Test func aSlowSubscriberKeepsTheNewestChanges() async throws {
        let broadcaster = TrackChangeBroadcaster(bufferSize: 2)
        var changes = broadcaster.changes(userID: "alice").makeAsyncIterator()
        for assetID in Int64(1)...5 { broadcaster.publish(TrackChange(userID: "alice", assetID: assetID)) }
        #expect(await changes.next()?.assetID == 4)
        #expect(await changes.next()?.assetID == 5)
    }

    /// Every state change that succeeded is announced once, after it is stored; refused ones are not.
    @Test(arguments: StoreBackends.all)
    func publishesEachStateChangeThatSucceeded(backend: any StoreBackend) async throws {
        try await withStore(backend) { base in
            let recorder = RecordingPublisher()
            let store = TrackChangePublishingStore(base, publisher: recorder)
            let user = try await Contract.user(store, maxJobs: 8)
            let t0 = Contract.t0
            func change(_ assetID: Int64) -> TrackChange { TrackChange(userID: user.id, assetID: assetID) }

            _ = try await Contract.create(store, user, 1)
            _ = try await Contract.create(store, user, 2, at: 1)
            _ = try await Contract.create(store, user, 3, at: 2)
            #expect(recorder.take() == [change(1), change(2), change(3)])
            // Seen by whoever reads the store when the change arrives.
            #expect(try await store.track(userID: user.id, assetID: 1)?.status == .queued)

            let lease = t0 + 60
            #expect(try await store.claimNext(workerID: Self.worker, leaseUntil: lease, now: t0 + 3)?.assetID == 1)
            #expect(recorder.take() == [change(1)])

            // A heartbeat is a change only when the progress moved.
            #expect(try await store.heartbeat(assetID: 1, workerID: Self.worker, leaseUntil: lease, progress: 30, notify: false, now: t0 + 4))
            #expect(try await store.heartbeat(assetID: 1, workerID: Self.worker, leaseUntil: lease, progress: 30, notify: false, now: t0 + 5))
            #expect(recorder.take() == [change(1)])

            // Not the owner: nothing changed, nothing announced.
            #expect(try await store.complete(assetID: 1, workerID: "other", result: Contract.result, now: t0 + 6) == false)
            #expect(recorder.take().isEmpty)
            #expect(try await store.complete(assetID: 1, workerID: Self.worker, result: Contract.result, now: t0 + 6))
            #expect(recorder.take() == [change(1)])

            #expect(try await store.claimNext(workerID: Self.worker, leaseUntil: lease, now: t0 + 7)?.assetID == 2)
            #expect(try await store.fail(
                assetID: 2, workerID: Self.worker, code: "music_generation_failed", reason: "test", credentialsRejected: false,
                now: t0 + 8))
            #expect(try await store.claimNext(workerID: Self.worker, leaseUntil: lease, now: t0 + 9)?.assetID == 3)
            #expect(try await store.release(assetID: 3, workerID: Self.worker, now: t0 + 10))
            #expect(recorder.take() == [change(2), change(2), change(3), change(3)])

            #expect(try await store.cancel(userID: user.id, assetID: 3, now: t0 + 11)?.status == .failed)
            #expect(recorder.take() == [change(3)])
            // Already final: refused, so silent; and the cancelled job's heartbeat is refused too.
            #expect(try await store.cancel(userID: user.id, assetID: 3, now: t0 + 12) == nil)
            #expect(try await store.heartbeat(assetID: 3, workerID: Self.worker, leaseUntil: lease, progress: 50, notify: false, now: t0 + 12) == false)
            #expect(recorder.take().isEmpty)
        }
    }

    @Test(arguments: StoreBackends.all)
    func readsAndOtherWritesAreNotChanges(backend: any StoreBackend) async throws {
        try await withStore(backend) { base in
            let recorder = RecordingPublisher()
            let store = TrackChangePublishingStore(base, publisher: recorder)
            let user = try await Contract.user(store)
            _ = try await store.accounts(userID: user.id)
            _ = try await store.tracks(userID: user.id, email: nil, limit: 10, offset: 0)
            _ = try await store.activeTracks(userID: user.id)
            _ = try await store.countByStatus()
            _ = try await store.claimNext(workerID: Self.worker, leaseUntil: Contract.t0 + 60, now: Contract.t0)
            #expect(recorder.take().isEmpty)
        }
    }
}
