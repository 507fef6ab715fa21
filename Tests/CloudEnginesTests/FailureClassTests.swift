import CloudEngines
import Foundation
import ProviderFakes
import Testing
import TunesmithCore

/// Every failure class, as a client sees it: the track's status, `fail_code`, `fail_reason`, the credits and the
/// account's state, for each provider's own error shape.
@Suite("Provider failures as the client sees them", .serialized)
struct FailureClassTests {
    /// Creates one track on `model` for the pipeline's account and runs its job.
    static func failedTrack(
        _ pipeline: Pipeline, _ model: MusicModel, instrumental: Bool = true
    ) async throws -> [String: Any] {
        let created = try await pipeline.create([
            "prompt": "A calm piano piece", "model": model.rawValue, "instrumental": instrumental,
        ])
        try await pipeline.runJob()
        return try await pipeline.track(try #require(created["audio_id"] as? String))
    }

    static func expectFailedAndRefunded(
        _ track: [String: Any], _ pipeline: Pipeline, reasonContains fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(track["audio_status_name"] as? String == "FAILED", "\(track)", sourceLocation: sourceLocation)
        #expect(track["audio_status"] as? Int == 8 && track["status"] as? String == "failed", sourceLocation: sourceLocation)
        #expect(track["fail_code"] as? String == "music_generation_failed", sourceLocation: sourceLocation)
        let reason = track["fail_reason"] as? String ?? ""
        for fragment in fragments {
            #expect(reason.contains(fragment), "fail_reason: \(reason)", sourceLocation: sourceLocation)
        }
        let account = try await pipeline.account()
        #expect(account["credits"] as? Int == Pipeline.startingCredits, sourceLocation: sourceLocation)
        #expect(account["executing"] as? Int == 0, sourceLocation: sourceLocation)
    }

    // MARK: Rejected key -> pending error (596)

    @Test(arguments: FakeProviders.Provider.allCases)
    func aRejectedKeyPutsTheAccountInPendingError(provider: FakeProviders.Provider) async throws {
        let wrongKey = "wrong-key-\(provider.rawValue)-0123456789"
        try await Pipeline.run(routing: { fakes in
            fakeRouting(fakes, overriding: [fakeSettings(provider, fakes: fakes, key: wrongKey)])
        }) { pipeline in
            let track = try await Self.failedTrack(pipeline, provider.model)
            try await Self.expectFailedAndRefunded(track, pipeline, reasonContains: ["rejected the API key"])
            let account = try await pipeline.account()
            let error = try #require(account["error"] as? String)
            #expect(error.contains("rejected the API key"))
            // The fakes echo the key they got; Tunesmith never shows it.
            #expect(!error.contains(wrongKey) && !(track["fail_reason"] as? String ?? "").contains(wrongKey))
            #expect((track["fail_reason"] as? String)?.contains("[redacted]") == true)
            // Not retried: the key will not become valid by waiting.
            #expect(pipeline.fakes.requests(to: provider).count == 1)
            #expect(pipeline.pause.waits.isEmpty)
            // Until the account is re-POSTed, creates answer 596.
            let body = try JSONSerialization.data(withJSONObject: ["prompt": "again", "email": Pipeline.email])
            let refused = try await pipeline.send(.post, "/v2/pixverse/music/create", body: body)
            #expect(refused.status.code == 596)
            #expect((Pipeline.json(refused)["error"] as? String)?.contains("re-POST accounts/\(Pipeline.email)") == true)
        }
    }

    // MARK: Rate limits -> waited out inside the job

    static let rateLimited: [(FakeProviders.Provider, FakeProviders.Answer, Duration)] = [
        (.minimax, .raw(status: 429, body: "{}", headers: ["Retry-After": "7"]), .seconds(7)),
        (.minimax, .raw(status: 200, body: #"{"base_resp":{"status_code":1002,"status_msg":"rate limit exceeded"}}"#), .seconds(2)),
        (.elevenlabs, .raw(status: 429, body: #"{"detail":{"status":"too_many_concurrent_requests","message":"Too many concurrent requests"}}"#, headers: ["Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"]), .zero),
        (.google, .raw(status: 429, body: #"{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}"#), .seconds(30)),
    ]

    @Test(arguments: rateLimited.indices)
    func aRateLimitIsWaitedOutWhileTheJobStaysGenerating(index: Int) async throws {
        let (provider, answer, expectedWait) = Self.rateLimited[index]
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(provider, answer)
            pipeline.pause.hold()
            let created = try await pipeline.create([
                "prompt": "A calm piano piece", "model": provider.model.rawValue, "instrumental": true,
            ])
            let audioID = try #require(created["audio_id"] as? String)
            async let ran = pipeline.runJob()
            try await waitUntil("the job to back off") { pipeline.pause.isHolding }
            // While it waits: still GENERATING, progress reported, the slot still taken.
            try await waitUntil("progress while backing off") {
                (try await pipeline.track(audioID)["progress"] as? Int ?? 0) >= 1
            }
            let waiting = try await pipeline.track(audioID)
            #expect(waiting["audio_status_name"] as? String == "GENERATING")
            #expect(try await pipeline.account()["executing"] as? Int == 1)
            pipeline.pause.resume()
            _ = try await ran

            let track = try await pipeline.track(audioID)
            #expect(track["audio_status_name"] as? String == "COMPLETED", "\(track)")
            #expect(pipeline.pause.waits == [expectedWait])
            #expect(try await pipeline.account()["credits"] as? Int == Pipeline.startingCredits - provider.model.spec.credits)
        }
    }

    @Test func aRateLimitThatOutlastsTheRetriesFailsTheTrack() async throws {
        try await Pipeline.run { pipeline in
            for _ in 0..<6 { pipeline.fakes.enqueue(.elevenlabs, .raw(status: 429, body: "{}")) }
            let track = try await Self.failedTrack(pipeline, .musicV1)
            try await Self.expectFailedAndRefunded(
                track, pipeline, reasonContains: ["ElevenLabs", "too many requests", "tried 6 times"])
            #expect(pipeline.pause.waits == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32)])
            #expect(try await pipeline.account()["error"] == nil)
        }
    }

    // MARK: Content refused -> failed with the provider's reason, refunded, not retried

    static let refused: [(FakeProviders.Provider, FakeProviders.Answer, [String])] = [
        (.minimax, .raw(status: 200, body: #"{"base_resp":{"status_code":1026,"status_msg":"input new_sensitive"}}"#),
         ["MiniMax refused the content as sensitive", "input new_sensitive"]),
        (.minimax, .raw(status: 200, body: #"{"base_resp":{"status_code":1039,"status_msg":"output sensitive"}}"#),
         ["sensitive", "1039"]),
        (.elevenlabs, .raw(status: 400, body: #"{"detail":{"status":"bad_prompt","message":"The prompt names a copyrighted artist.","data":{"prompt_suggestion":"An energetic pop song with bright synths"}}}"#),
         ["ElevenLabs refused the prompt", "copyrighted artist", "suggests: An energetic pop song with bright synths"]),
        (.google, .raw(status: 200, body: #"{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}"#),
         ["Google blocked the prompt (PROHIBITED_CONTENT)"]),
        (.google, .raw(status: 200, body: #"{"candidates":[{"finishReason":"SAFETY","finishMessage":"Unsafe lyrics"}]}"#),
         ["Google returned no song (SAFETY): Unsafe lyrics"]),
    ]

    @Test(arguments: refused.indices)
    func refusedContentFailsWithTheProvidersReason(index: Int) async throws {
        let (provider, answer, fragments) = Self.refused[index]
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(provider, answer)
            let track = try await Self.failedTrack(pipeline, provider.model)
            try await Self.expectFailedAndRefunded(track, pipeline, reasonContains: fragments)
            #expect(pipeline.fakes.requests(to: provider).count == 1)
            #expect(try await pipeline.account()["error"] == nil)
        }
    }

    @Test func elevenLabsRefusedLyricsSaySo() async throws {
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(.elevenlabs, .raw(status: 400, body: #"{"detail":{"status":"bad_composition_plan","message":"Lyrics contain copyrighted material","prompt_suggestion":"Write original lyrics"}}"#))
            let created = try await pipeline.create([
                "prompt": "Pop", "model": "music-v1", "lyrics": "[Verse]\nSome famous words",
            ])
            try await pipeline.runJob()
            let track = try await pipeline.track(try #require(created["audio_id"] as? String))
            try await Self.expectFailedAndRefunded(
                track, pipeline, reasonContains: ["refused the lyrics (bad_composition_plan)", "Write original lyrics"])
        }
    }

    // MARK: Timeouts and server errors -> bounded retries, then failed

    @Test func aProviderThatNeverAnswersTimesOutAfterBoundedRetries() async throws {
        try await Pipeline.run(routing: { fakes in
            fakeRouting(
                fakes,
                overriding: [
                    fakeSettings(.google, fakes: fakes, requestTimeout: .milliseconds(200), retry: RetryPolicy(maxAttempts: 2))
                ])
        }) { pipeline in
            pipeline.fakes.enqueue(.google, .hold, .hold)
            let track = try await Self.failedTrack(pipeline, .lyria3ProPreview)
            try await Self.expectFailedAndRefunded(
                track, pipeline, reasonContains: ["Google did not answer within 0.2 s", "tried 2 times"])
            #expect(pipeline.pause.waits == [.seconds(2)])
            #expect(pipeline.fakes.requests(to: .google).count == 2)
        }
    }

    @Test func serverErrorsAreRetriedThenFail() async throws {
        try await Pipeline.run { pipeline in
            for _ in 0..<3 {
                pipeline.fakes.enqueue(.elevenlabs, .raw(status: 503, body: #"{"detail":{"status":"service_unavailable","message":"Try later"}}"#))
            }
            let track = try await Self.failedTrack(pipeline, .musicV1)
            try await Self.expectFailedAndRefunded(
                track, pipeline, reasonContains: ["ElevenLabs failed with HTTP 503: Try later", "tried 3 times"])
            #expect(pipeline.pause.waits == [.seconds(2), .seconds(4)])
            #expect(try await pipeline.account()["error"] == nil)
        }
    }

    @Test func aServerErrorThenSuccessCompletes() async throws {
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(
                .minimax, .raw(status: 200, body: #"{"base_resp":{"status_code":1024,"status_msg":"internal error"}}"#),
                .raw(status: 502, body: "<html>bad gateway</html>"))
            let created = try await pipeline.create(["prompt": "Piano", "instrumental": true])
            try await pipeline.runJob()
            let track = try await pipeline.track(try #require(created["audio_id"] as? String))
            #expect(track["audio_status_name"] as? String == "COMPLETED")
            #expect(pipeline.pause.waits == [.seconds(2), .seconds(4)])
        }
    }

    // MARK: Balance and plan -> failed with a clear reason; the account stays usable

    static let accountLimits: [(FakeProviders.Provider, FakeProviders.Answer, String)] = [
        (.minimax, .raw(status: 200, body: #"{"base_resp":{"status_code":1008,"status_msg":"insufficient balance"}}"#),
         "MiniMax account balance is insufficient"),
        (.minimax, .raw(status: 200, body: #"{"base_resp":{"status_code":2061,"status_msg":"model not supported by your plan"}}"#),
         "The MiniMax plan does not include this model"),
        (.elevenlabs, .raw(status: 401, body: #"{"detail":{"status":"quota_exceeded","message":"This request exceeds your quota"}}"#),
         "ElevenLabs account has no credits left"),
        (.elevenlabs, .raw(status: 402, body: #"{"detail":{"status":"payment_required","message":"Music needs a paid plan"}}"#),
         "ElevenLabs account has no credits left"),
        (.google, .raw(status: 400, body: #"{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}"#),
         "The Google project cannot use lyria-3-pro-preview (FAILED_PRECONDITION)"),
    ]

    @Test(arguments: accountLimits.indices)
    func balanceAndPlanErrorsFailClearlyWithoutBlockingTheAccount(index: Int) async throws {
        let (provider, answer, fragment) = Self.accountLimits[index]
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(provider, answer)
            let track = try await Self.failedTrack(pipeline, provider.model)
            try await Self.expectFailedAndRefunded(track, pipeline, reasonContains: [fragment])
            #expect(pipeline.fakes.requests(to: provider).count == 1)
            // Not a credentials problem: the account takes the next song (topping up fixes it without a re-POST).
            #expect(try await pipeline.account()["error"] == nil)
            let again = try await pipeline.create(["prompt": "Again", "model": provider.model.rawValue, "instrumental": true])
            #expect(again["audio_status_name"] as? String == "QUEUED")
        }
    }

    // MARK: Answers that are not a song

    @Test func aNonMP3AnswerFailsSayingSo() async throws {
        try await Pipeline.run { pipeline in
            pipeline.fakes.enqueue(.google, .wav)
            let track = try await Self.failedTrack(pipeline, .lyria3ProPreview)
            try await Self.expectFailedAndRefunded(
                track, pipeline, reasonContains: ["Google returned WAV audio (audio/wav), not MP3", "does not convert"])
        }
    }
}
