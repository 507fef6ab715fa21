import CloudEngines
import Foundation
import MediaFormats
import ProviderFakes
import Testing
import TunesmithCore

/// Songs made by the fake providers through the whole public API: create, the worker, storage, the track JSON,
/// the signed links, slots and credits.
@Suite("Cloud songs through the public API", .serialized)
struct PipelineTests {
    @Test(arguments: FakeProviders.Provider.allCases)
    func aProviderSongCompletesLikeALocalOne(provider: FakeProviders.Provider) async throws {
        try await Pipeline.run { pipeline in
            let model = provider.model
            let created = try await pipeline.create(["prompt": "An upbeat synthwave track", "model": model.rawValue])
            #expect(created["audio_status_name"] as? String == "QUEUED")
            let audioID = try #require(created["audio_id"] as? String)
            try await pipeline.runJob()

            let track = try await pipeline.track(audioID)
            #expect(track["audio_status_name"] as? String == "COMPLETED", "\(track)")
            #expect(track["status"] as? String == "finish" && track["progress"] as? Int == 100)
            #expect(track["provider"] as? String == provider.rawValue)
            #expect(track["model"] as? String == model.rawValue)
            #expect(track["duration"] as? Int == 4)
            #expect(track["auto_lyrics"] as? Bool == true)
            #expect((track["lyrics"] as? String)?.isEmpty == false)
            #expect(track["title"] as? String == ["Neon Rain", "Midnight Circuit", "Glass Horizon"][
                FakeProviders.Provider.allCases.firstIndex(of: provider)!])
            #expect(track["fallback_from"] == nil)
            #expect(track["bpm"] == nil && track["key"] == nil)
            #expect((track["lrc_url"] != nil) == (provider == .elevenlabs))

            // The link plays: the provider's MP3, served by Tunesmith.
            let link = try #require(track["url"] as? String)
            let media = try await pipeline.send(.get, String(link.dropFirst("http://tunesmith.test".count)))
            #expect(media.status == .ok)
            #expect(media.headers[.contentType] == "audio/mpeg")
            #expect(Data(media.body.readableBytesView) == pipeline.fakes.mp3)

            let account = try await pipeline.account()
            #expect(account["credits"] as? Int == Pipeline.startingCredits - model.spec.credits)
            #expect(account["executing"] as? Int == 0 && account["error"] == nil)
        }
    }

    @Test func modelsShowEachBackend() async throws {
        try await Pipeline.run(routing: { fakes in
            var routing = fakeRouting(fakes)
            routing.routes[.musicV1] = nil
            return routing
        }) { pipeline in
            let response = try await pipeline.send(.get, "/v2/pixverse/models")
            let models = Pipeline.json(response)["models"] as? [[String: Any]] ?? []
            let backends = Dictionary(uniqueKeysWithValues: models.compactMap { model in
                (model["model"] as? String).map { ($0, model["backend"] as? String ?? "") }
            })
            #expect(backends == ["music-2.6": "minimax", "music-v1": "local", "lyria-3-pro-preview": "google"])
        }
    }

    @Test func aSlowProviderKeepsTheJobGeneratingWithProgress() async throws {
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(.google, .hold)
            let created = try await pipeline.create(["prompt": "Slow ambient", "model": "lyria-3-pro-preview"])
            let audioID = try #require(created["audio_id"] as? String)
            async let ran = pipeline.runJob()
            try await pipeline.fakes.waitForRequests(.google)
            try await waitUntil("progress while the provider works") {
                let track = try await pipeline.track(audioID)
                return track["audio_status_name"] as? String == "GENERATING" && (track["progress"] as? Int ?? 0) >= 1
            }
            pipeline.fakes.release()
            _ = try await ran
            let track = try await pipeline.track(audioID)
            #expect(track["audio_status_name"] as? String == "COMPLETED")
        }
    }

    @Test func deleteCancelsTheProviderCallAndRefunds() async throws {
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(.elevenlabs, .hold)
            let created = try await pipeline.create(["prompt": "Never finishes", "model": "music-v1"])
            let audioID = try #require(created["audio_id"] as? String)
            #expect(try await pipeline.account()["credits"] as? Int == Pipeline.startingCredits - 150)
            async let ran = pipeline.runJob()
            try await pipeline.fakes.waitForRequests(.elevenlabs)

            let deleted = try await pipeline.send(.delete, "/v2/pixverse/scheduler/\(audioID)")
            #expect(deleted.status == .noContent)
            // The worker returns although the provider never answers: its call was cancelled, not awaited.
            _ = try await ran
            let track = try await pipeline.track(audioID)
            #expect(track["audio_status_name"] as? String == "FAILED")
            #expect(track["fail_code"] as? String == "cancelled")
            #expect(try await pipeline.account()["credits"] as? Int == Pipeline.startingCredits)
            #expect(pipeline.fakes.requests(to: .elevenlabs).count == 1)
        }
    }

    @Test func fallbackToLocalIsMarkedOnTheTrack() async throws {
        try await Pipeline.run(routing: { fakeRouting($0, fallbackToLocal: true) }) { pipeline in
            pipeline.fakes.enqueue(.minimax, .raw(status: 503, body: "{}"), .raw(status: 503, body: "{}"), .raw(status: 503, body: "{}"))
            let created = try await pipeline.create([
                "prompt": "A 10 second calm solo piano piece", "instrumental": true, "model": "music-2.6",
            ])
            let audioID = try #require(created["audio_id"] as? String)
            try await pipeline.runJob()
            let track = try await pipeline.track(audioID)
            #expect(track["audio_status_name"] as? String == "COMPLETED", "\(track)")
            #expect(track["provider"] as? String == "local")
            #expect(track["fallback_from"] as? String == "minimax")
            #expect(track["bpm"] as? Int != nil)
            #expect(pipeline.fakes.requests(to: .minimax).count == 3)
        }
    }

    @Test func withoutFallbackAnOutageFailsTheTrack() async throws {
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(.minimax, .raw(status: 503, body: "{}"), .raw(status: 503, body: "{}"), .raw(status: 503, body: "{}"))
            let created = try await pipeline.create(["prompt": "Piano", "instrumental": true])
            try await pipeline.runJob()
            let track = try await pipeline.track(try #require(created["audio_id"] as? String))
            #expect(track["audio_status_name"] as? String == "FAILED")
            #expect(track["provider"] == nil && track["fallback_from"] == nil)
        }
    }
}
