import Foundation
import Hummingbird
import TunesmithCore

/// `GET /scheduler`, `GET /scheduler/available`, `DELETE /scheduler/<id>`.
struct SchedulerController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AuthenticatedContext>) {
        group.get("scheduler", use: running)
        group.get("scheduler/available", use: available)
        group.delete("scheduler/:id", use: cancel)
    }

    /// A job that holds a slot: queued or generating (an account "executes" a job from create until final).
    struct JobJSON: Encodable {
        var id: String
        var type = "music"
        var status: String
        var started: String
        /// Time since it started generating, or since it was queued when it has not started yet.
        var elapsed: String
        var replyUrl: String?
        var replyRef: String?

        init(_ track: Track, now: Date) {
            id = track.audioID
            status = track.status.name
            let start = track.startedAt ?? track.createdAt
            started = ISO8601.string(start)
            let seconds = max(0, Int(now.timeIntervalSince(start)))
            elapsed = String(format: "%02d:%02d", seconds / 60, seconds % 60)
            replyUrl = track.request.replyURL
            replyRef = track.request.replyRef
        }
    }

    struct SlotsJSON: Encodable {
        var email: String
        var maxJobs: Int
        var executing: Int
        var available: Int
    }

    struct AvailableJSON: Encodable {
        var executing: [JobJSON]
        var available: [SlotsJSON]
    }

    @Sendable func running(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let now = dependencies.now()
        let jobs = try await dependencies.store.activeTracks(userID: context.user.id)
        return JSONResponse.make(jobs.map { JobJSON($0, now: now) })
    }

    @Sendable func available(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let now = dependencies.now()
        let jobs = try await dependencies.store.activeTracks(userID: context.user.id)
        let accounts = try await dependencies.store.accounts(userID: context.user.id)
        let slots = accounts.map { account in
            // An account in the pending-error state takes no new jobs until it is re-POSTed.
            let free = account.error == nil ? max(0, account.maxJobs - account.executing) : 0
            return SlotsJSON(email: account.email, maxJobs: account.maxJobs, executing: account.executing, available: free)
        }
        return JSONResponse.make(AvailableJSON(executing: jobs.map { JobJSON($0, now: now) }, available: slots))
    }

    /// Marks the job FAILED/cancelled (refunding its credits) and stops its generation in this process.
    @Sendable func cancel(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let raw = try context.parameters.require("id")
        let notRunning = { (id: String) in APIError(404, "Job \(id.prefix(300)) not found or not running") }
        let track = try await ownedTrack(
            rawID: raw, user: context.user, store: dependencies.store, notFound: notRunning)
        guard
            try await dependencies.store.cancel(userID: context.user.id, assetID: track.assetID, now: dependencies.now())
                != nil
        else { throw notRunning(AudioIDPath.decode(raw)) }
        // The cancel wrote the final callback when the track has a replyUrl: send it now, not at the next look.
        if track.request.replyURL != nil { dependencies.wakeCallbacks() }
        await dependencies.jobCanceller.cancelRunning(assetID: track.assetID)
        return Response(status: .noContent)
    }
}
