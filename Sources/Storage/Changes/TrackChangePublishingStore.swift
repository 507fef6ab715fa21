import Foundation
import NIOConcurrencyHelpers
import TunesmithCore

/// A store that announces every track state change it made to a `TrackChangePublisher`: the one place where
/// the studio's live updates are fed, whichever caller (API, worker pool) changed the track. It publishes only
/// after the wrapped store's write succeeded, and only when it changed something (a heartbeat only when the
/// progress moved), so subscribers are told about what is in the database and nothing else.
///
/// Everything else goes to the wrapped store unchanged (`ForwardingStore`). The writes a worker makes after its claim (`heartbeat`,
/// `complete`, `fail`, `release`) name the track by asset id only; the owner's user id comes from the claim this
/// store saw, which is always the case in-process: a worker claims and finishes a job through the same store.
public struct TrackChangePublishingStore: ForwardingStore {
    public let base: any TunesmithStore
    private let publisher: any TrackChangePublisher
    private let claims = NIOLockedValueBox([Int64: Claim]())

    /// A job a worker of this process holds: whose it is, which worker holds it, the progress last announced.
    private struct Claim {
        var userID: String
        var workerID: String
        var progress: Int
    }

    public init(_ base: any TunesmithStore, publisher: any TrackChangePublisher) {
        self.base = base
        self.publisher = publisher
    }

    private func publish(userID: String, assetID: Int64) {
        publisher.publish(TrackChange(userID: userID, assetID: assetID))
    }

    /// After a write by `workerID` on a job it claimed: publishes when `changed`; `finished` forgets the claim
    /// (the job is final, back in the queue, or no longer this worker's).
    private func publishClaimed(assetID: Int64, workerID: String, changed: Bool, finished: Bool) {
        let userID = claims.withLockedValue { claims -> String? in
            guard let claim = claims[assetID], claim.workerID == workerID else { return nil }
            if finished { claims[assetID] = nil }
            return claim.userID
        }
        if changed, let userID { publish(userID: userID, assetID: assetID) }
    }

    // MARK: TrackStore: the state changes

    public func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        let track = try await base.createTrack(
            userID: userID, choice: choice, request: request, cost: cost, assetID: assetID, now: now)
        publish(userID: track.userID, assetID: track.assetID)
        return track
    }

    public func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track? {
        guard let track = try await base.claimNext(workerID: workerID, leaseUntil: leaseUntil, now: now) else {
            return nil
        }
        claims.withLockedValue {
            $0[track.assetID] = Claim(userID: track.userID, workerID: workerID, progress: track.progress)
        }
        publish(userID: track.userID, assetID: track.assetID)
        return track
    }

    public func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool {
        let owned = try await base.heartbeat(
            assetID: assetID, workerID: workerID, leaseUntil: leaseUntil, progress: progress, notify: notify, now: now)
        guard owned else {
            // Cancelled or taken over elsewhere: whoever did that announced it.
            publishClaimed(assetID: assetID, workerID: workerID, changed: false, finished: true)
            return false
        }
        let moved = claims.withLockedValue { claims -> Claim? in
            guard var claim = claims[assetID], claim.workerID == workerID, claim.progress != progress else { return nil }
            claim.progress = progress
            claims[assetID] = claim
            return claim
        }
        if let moved { publish(userID: moved.userID, assetID: assetID) }
        return true
    }

    public func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool {
        let done = try await base.complete(assetID: assetID, workerID: workerID, result: result, now: now)
        publishClaimed(assetID: assetID, workerID: workerID, changed: done, finished: true)
        return done
    }

    public func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool {
        let done = try await base.fail(
            assetID: assetID, workerID: workerID, code: code, reason: reason,
            credentialsRejected: credentialsRejected, now: now)
        publishClaimed(assetID: assetID, workerID: workerID, changed: done, finished: true)
        return done
    }

    public func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        let done = try await base.release(assetID: assetID, workerID: workerID, now: now)
        publishClaimed(assetID: assetID, workerID: workerID, changed: done, finished: true)
        return done
    }

    public func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        guard let track = try await base.cancel(userID: userID, assetID: assetID, now: now) else { return nil }
        // Its worker stops without another write to the store.
        claims.withLockedValue { $0[assetID] = nil }
        publish(userID: track.userID, assetID: track.assetID)
        return track
    }
}
