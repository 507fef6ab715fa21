import Foundation
import NIOConcurrencyHelpers
import TunesmithCore

/// A track store that can be cut off from its worker: after `partition()`, heartbeats never come back (a
/// database behind a dead network: the call hangs until it is given up). Everything else passes through.
final class PartitionedStore: TrackStore {
    let base: any TrackStore
    private let partitioned = NIOLockedValueBox(false)

    init(_ base: any TrackStore) {
        self.base = base
    }

    func partition() {
        partitioned.withLockedValue { $0 = true }
    }

    func heartbeat(
        assetID: Int64, workerID: String, leaseUntil: Date, progress: Int, notify: Bool, now: Date
    ) async throws -> Bool {
        if partitioned.withLockedValue({ $0 }) {
            // Never answers; gives up only when the caller does.
            while true { try await Task.sleep(for: .seconds(3_600)) }
        }
        return try await base.heartbeat(
            assetID: assetID, workerID: workerID, leaseUntil: leaseUntil, progress: progress, notify: notify, now: now)
    }

    func createTrack(
        userID: String, choice: AccountChoice, request: TrackRequest, cost: Int, assetID: Int64, now: Date
    ) async throws -> Track {
        try await base.createTrack(userID: userID, choice: choice, request: request, cost: cost, assetID: assetID, now: now)
    }

    func track(userID: String, assetID: Int64) async throws -> Track? {
        try await base.track(userID: userID, assetID: assetID)
    }

    func tracks(userID: String, email: String?, limit: Int, offset: Int) async throws -> [Track] {
        try await base.tracks(userID: userID, email: email, limit: limit, offset: offset)
    }

    func activeTracks(userID: String) async throws -> [Track] { try await base.activeTracks(userID: userID) }

    func claimNext(workerID: String, leaseUntil: Date, now: Date) async throws -> Track? {
        try await base.claimNext(workerID: workerID, leaseUntil: leaseUntil, now: now)
    }

    func complete(assetID: Int64, workerID: String, result: TrackResult, now: Date) async throws -> Bool {
        try await base.complete(assetID: assetID, workerID: workerID, result: result, now: now)
    }

    func fail(
        assetID: Int64, workerID: String, code: String, reason: String, credentialsRejected: Bool, now: Date
    ) async throws -> Bool {
        try await base.fail(
            assetID: assetID, workerID: workerID, code: code, reason: reason, credentialsRejected: credentialsRejected,
            now: now)
    }

    func release(assetID: Int64, workerID: String, now: Date) async throws -> Bool {
        try await base.release(assetID: assetID, workerID: workerID, now: now)
    }

    func cancel(userID: String, assetID: Int64, now: Date) async throws -> Track? {
        try await base.cancel(userID: userID, assetID: assetID, now: now)
    }

    func countByStatus() async throws -> [AudioStatus: Int] { try await base.countByStatus() }
}
