import AsyncHTTPClient
import Foundation
import NIOCore
import ProviderFakes
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The studio's live updates end to end: the real binary, its publishing store, `GET /events` over a socket.
@Suite("Studio page and event stream (live server)", .serialized, .timeLimit(.minutes(5)))
struct EventStreamLiveTests {
    /// One server-sent event: its name and its data lines joined.
    struct Event: Sendable {
        var name: String
        var data: String

        var json: [String: any Sendable] {
            ((try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: any Sendable]) ?? [:]
        }
    }

    /// Opens `GET /events` and yields its events until the stream ends (or the consumer stops).
    static func events(baseURL: String, token: String) async throws -> (head: HTTPClientResponse, events: AsyncThrowingStream<Event, any Error>) {
        var request = HTTPClientRequest(url: baseURL + "/v2/pixverse/events")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await HTTPClient.shared.execute(request, timeout: .minutes(5))
        let body = response.body
        let events = AsyncThrowingStream<Event, any Error> { continuation in
            let reader = Task {
                var buffer = ""
                do {
                    for try await chunk in body {
                        buffer += String(buffer: chunk)
                        while let end = buffer.range(of: "\n\n") {
                            let block = buffer[..<end.lowerBound]
                            buffer = String(buffer[end.upperBound...])
                            var name = "message"
                            var data: [String] = []
                            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                                if line.hasPrefix(":") { name = "comment" }
                                if line.hasPrefix("retry: ") { name = "retry" }
                            }
                            continuation.yield(Event(name: name, data: data.joined(separator: "\n")))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
        return (response, events)
    }

    @Test func bannerLinkSignsInAndTheStreamFollowsASongToTheEnd() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let server = try await ServerProcess.start(dataDirectory: folder.url.appendingPathComponent("data"))
        let token = try await LiveServerTests.bannerToken(server)
        // The printed link carries the token in the fragment, which browsers never send to the server.
        #expect(server.stdout.contains("http://127.0.0.1:\(server.port)/#token=\(token)\n"))
        let client = LiveClient(baseURL: server.baseURL, token: token)
        let page = try await client.send(.GET, "/", authorized: false)
        #expect(page.status == 200)
        #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("studio/studio.js?v="))

        let (head, events) = try await Self.events(baseURL: server.baseURL, token: token)
        #expect(head.status == .ok)
        #expect(head.headers.first(name: "Content-Type") == "text/event-stream; charset=utf-8")
        #expect(head.headers.first(name: "Cache-Control") == "no-store")

        var iterator = events.makeAsyncIterator()
        #expect(try await iterator.next()?.name == "retry")

        let created = try await client.create(["prompt": "a short folk song with a male vocal, 15 seconds"])
        let audioID = try #require(created.json.string("audio_id"))
        var statuses: [String] = []
        var progress: [Int] = []
        var finalEvent: [String: any Sendable] = [:]
        while let event = try await iterator.next() {
            guard event.name == "track" else { continue }
            let track = event.json
            #expect(track.string("audio_id") == audioID)
            let status = try #require(track.string("audio_status_name"))
            if statuses.last != status { statuses.append(status) }
            if status == "GENERATING", let value = track.int("progress") { progress.append(value) }
            if track["audio_status_final"] as? Bool == true {
                finalEvent = track
                break
            }
        }
        // The song's states, in order, without asking for them. Each event shows the track as it is when the
        // change is read, so a state that lasted only an instant may be skipped, but never reordered.
        let order = ["QUEUED", "GENERATING", "COMPLETED"]
        #expect(statuses.last == "COMPLETED", "\(statuses)")
        #expect(statuses == order.filter(statuses.contains), "\(statuses)")
        #expect(progress == progress.sorted(), "\(progress)")
        // The event is the GET body of that moment.
        let fetched = try await client.track(audioID).json
        #expect(finalEvent.string("url")?.isEmpty == false)
        #expect(finalEvent.string("title") == fetched.string("title"))
        // The local engine writes an LRC; MiniMax (music-2.6 under TUNESMITH_TEST_ENGINES=cloud) gives no timing.
        #expect((finalEvent.string("lrc_url") != nil) == !TestEngines.isCloud)

        // A graceful stop ends the open stream instead of waiting for it.
        #expect(try await server.stop() == 0)
        while let event = try? await iterator.next() {
            #expect(event.name != "track" || event.json.string("audio_id") != nil)
        }
    }

    @Test func theStreamNeedsATokenAndCancelsShowUp() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: folder.url.appendingPathComponent("data"), arguments: ["--workers", "0"])
        let token = try await LiveServerTests.bannerToken(server)
        let client = LiveClient(baseURL: server.baseURL, token: token)
        let unauthorized = try await client.send(.GET, "/v2/pixverse/events", authorized: false)
        #expect(unauthorized.status == 401)
        #expect(unauthorized.json.string("error") == "Unauthorized")

        // A song queued before the stream opens arrives in its opening events (what changed while away).
        let earlier = try await client.create(["prompt": "a calm piano piece"])
        let earlierID = try #require(earlier.json.string("audio_id"))
        let (_, events) = try await Self.events(baseURL: server.baseURL, token: token)
        var iterator = events.makeAsyncIterator()
        #expect(try await iterator.next()?.name == "retry")
        let opening = try #require(try await iterator.next())
        #expect(opening.name == "track")
        #expect(opening.json.string("audio_id") == earlierID)
        #expect(opening.json.string("audio_status_name") == "QUEUED")
        // No workers: the song stays queued until it is cancelled, and both changes are pushed.
        let created = try await client.create(["prompt": "a long ambient piece"])
        let audioID = try #require(created.json.string("audio_id"))
        let queued = try #require(try await iterator.next())
        #expect(queued.json.string("audio_id") == audioID && queued.json.string("audio_status_name") == "QUEUED")
        #expect(try await client.send(.DELETE, "/v2/pixverse/scheduler/\(audioID)").status == 204)
        let cancelled = try #require(try await iterator.next())
        #expect(cancelled.json.string("audio_status_name") == "FAILED")
        #expect(cancelled.json.string("fail_code") == "cancelled")
        #expect(try await server.stop() == 0)
    }
}
