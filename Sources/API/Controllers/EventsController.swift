import Foundation
import Hummingbird
import ServiceLifecycle
import TunesmithCore

/// `GET /events` (Tunesmith extension): the user's track changes as Server-Sent Events, so the studio updates
/// live without polling every track.
///
/// Format (`text/event-stream`): first `retry: 3000`, then one `track` event per track that is not final yet
/// (what changed while the client was away), then one `track` event each time a track changes state or its
/// progress moves, and a `: keep-alive` comment every `eventKeepAlive` of silence (it also notices a client
/// that went away). Each `track` event's `data` is one line: the track's JSON, exactly the body of
/// `GET /music/<audio_id>` at that moment.
///
///     event: track
///     data: {"asset_id":...,"audio_status_name":"GENERATING","progress":42,...}
///
/// It needs the bearer token like every contract route, which the browser's `EventSource` cannot send: the
/// studio reads the stream with `fetch`. The stream ends when the client disconnects or the server shuts down.
struct EventsController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AuthenticatedContext>) {
        group.get("events", use: stream)
    }

    static let retryMilliseconds = 3_000

    @Sendable func stream(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let userID = context.user.id
        // Subscribe before reading what is active: a change in between is then sent twice, never missed.
        let changes = dependencies.trackChanges.changes(userID: userID)
        let active = try await dependencies.store.activeTracks(userID: userID)
        let session = EventSession(dependencies: dependencies, userID: userID)
        var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        // Reverse proxies (nginx) would otherwise hold the events back in their buffers.
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                await session.run(initial: active, changes: changes, writer: &writer)
            })
    }
}

/// One client's event stream.
struct EventSession: Sendable {
    let dependencies: APIDependencies
    let userID: String

    private enum Input: Sendable {
        case changed(TrackChange)
        case keepAlive
    }

    /// Writes until the client goes away (a write fails) or the server shuts down gracefully.
    func run(initial: [Track], changes: AsyncStream<TrackChange>, writer: inout any ResponseBodyWriter) async {
        let (inputs, input) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingNewest(512))
        let keepAlive = dependencies.eventKeepAlive
        do {
            var opening = "retry: \(EventsController.retryMilliseconds)\n\n"
            let now = dependencies.now()
            for track in initial { opening += event(track, now: now) }
            try await writer.write(ByteBuffer(string: opening))

            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await change in changes { input.yield(.changed(change)) }
                        input.finish()
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: keepAlive)
                            input.yield(.keepAlive)
                        }
                    }
                    for await next in inputs {
                        switch next {
                        case .keepAlive:
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        case .changed(let change):
                            guard let track = try await dependencies.store.track(userID: userID, assetID: change.assetID)
                            else { continue }
                            try await writer.write(ByteBuffer(string: event(track, now: dependencies.now())))
                        }
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                input.finish()
            }
            try await writer.finish(nil)
        } catch {
            // The client went away (or the store failed): nothing more can be said on this stream; the studio
            // reconnects and catches up from the opening events.
        }
    }

    /// `event: track` with the track's JSON on one `data:` line (the JSON has no raw line breaks).
    private func event(_ track: Track, now: Date) -> String {
        let json = TrackJSON(track, links: dependencies.signer.links(for: track, now: now)).encoded()
        return "event: track\ndata: \(String(decoding: json, as: UTF8.self))\n\n"
    }
}
