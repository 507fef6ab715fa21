import AsyncHTTPClient
import CloudEngines
import Foundation
import MediaFormats
import ProviderFakes
import Testing
import TunesmithCore

/// Each engine against its fake provider: what it sends (fields, key header, images), and how it reads every
/// answer shape providers.md allows into the same `GeneratedSong` the local engine returns.
@Suite("Cloud engines against fake providers")
struct ProviderContractTests {
    static func engine(
        _ provider: FakeProviders.Provider, _ fakes: FakeProviders, _ client: HTTPClient,
        pause: RecordingPause = RecordingPause(), key: String? = nil, requestTimeout: Duration = .seconds(30),
        retry: RetryPolicy = RetryPolicy()
    ) -> CloudEngine {
        CloudEngine(
            settings: fakeSettings(provider, fakes: fakes, key: key, requestTimeout: requestTimeout, retry: retry),
            client: client, pause: pause.function)
    }

    /// The song is the fakes' MP3, measured (the fakes report a wrong duration on purpose).
    static func expectMeasured(_ song: GeneratedSong, _ fakes: FakeProviders, provider: String) throws {
        #expect(song.media[.mp3] == fakes.mp3)
        let measured = try MP3Info(measuring: fakes.mp3).durationSeconds
        #expect(song.durationSeconds == measured)
        #expect(abs(song.durationSeconds - 4) < 0.001)
        #expect(song.provider == provider)
        #expect(song.bpm == nil && song.key == nil)
    }

    // MARK: MiniMax

    @Test func miniMaxWritesTheLyricsFirstThenSingsThem() async throws {
        try await withFakes { fakes, client in
            let song = try await Self.engine(.minimax, fakes, client).generate(request(.music26), progress: { _ in })
            try Self.expectMeasured(song, fakes, provider: "minimax")
            #expect(song.title == "Neon Rain")
            #expect(song.lyrics?.contains("Wires hum beneath the rain") == true)
            let calls = fakes.requests(to: .minimax)
            #expect(calls.map(\.path) == ["/v1/lyrics_generation", "/v1/music_generation"])
            #expect(calls[0].json["mode"] as? String == "write_full_song")
            let music = calls[1].json
            #expect(music["model"] as? String == "music-2.6")
            #expect(music["lyrics"] as? String == song.lyrics)
            #expect(music["is_instrumental"] as? Bool == false && music["lyrics_optimizer"] as? Bool == false)
            #expect((music["audio_setting"] as? [String: Any])?["format"] as? String == "mp3")
            #expect(calls.allSatisfy { $0.headers["authorization"] == "Bearer \(FakeProviders.keys[.minimax]!)" })
        }
    }

    @Test func miniMaxReadsLyricsUnderDataAndAudioAsARedirectedLink() async throws {
        try await withFakes { fakes, client in
            fakes.enqueue(.minimax, .song(.alternative), .song(.link))
            let song = try await Self.engine(.minimax, fakes, client).generate(request(.music26), progress: { _ in })
            try Self.expectMeasured(song, fakes, provider: "minimax")
            #expect(song.title == "Neon Rain")
        }
    }

    @Test func miniMaxWithoutALyricsEndpointLetsTheMusicCallWriteThem() async throws {
        try await withFakes { fakes, client in
            fakes.enqueue(.minimax, .raw(status: 404, body: #"{"error":"not found"}"#))
            let song = try await Self.engine(.minimax, fakes, client).generate(request(.music26), progress: { _ in })
            let music = try #require(fakes.requests(to: .minimax).last).json
            #expect(music["lyrics_optimizer"] as? Bool == true)
            #expect(music["lyrics"] == nil)
            #expect(song.title == "An upbeat synthwave track with a clear female vocal")
        }
    }

    @Test func miniMaxSingsUserLyricsWithCleanTags() async throws {
        try await withFakes { fakes, client in
            let lyrics = "[Verse 1]\nCity lights [whispered]\n[spoken intro]\n\n[Pre-Chorus]\n(ooh) hold on\n[CHORUS 2]\nWe run"
            let song = try await Self.engine(.minimax, fakes, client).generate(
                request(.music26, lyrics: lyrics), progress: { _ in })
            let calls = fakes.requests(to: .minimax)
            #expect(calls.map(\.path) == ["/v1/music_generation"])
            let sung = "[Verse]\nCity lights\n\n[Pre Chorus]\n(ooh) hold on\n\n[Chorus]\nWe run"
            #expect(calls[0].json["lyrics"] as? String == sung)
            #expect(song.lyrics == sung, "the track shows what is sung, as the local engine does")
        }
    }

    @Test func miniMaxInstrumental() async throws {
        try await withFakes { fakes, client in
            let song = try await Self.engine(.minimax, fakes, client).generate(
                request(.music26, instrumental: true), progress: { _ in })
            let music = try #require(fakes.requests(to: .minimax).first).json
            #expect(fakes.requests(to: .minimax).count == 1)
            #expect(music["is_instrumental"] as? Bool == true && music["lyrics"] == nil)
            #expect(song.lyrics == nil && song.media[.lrc] == nil)
        }
    }

    // MARK: ElevenLabs

    @Test func elevenLabsPromptModeReadsTheMultipartAnswer() async throws {
        try await withFakes { fakes, client in
            let song = try await Self.engine(.elevenlabs, fakes, client).generate(request(.musicV1), progress: { _ in })
            try Self.expectMeasured(song, fakes, provider: "elevenlabs")
            #expect(song.title == "Midnight Circuit")
            #expect(song.genre == "synthwave")
            #expect(song.lyrics == "[Verse 1]\nWires hum beneath the rain\nWe run the neon mile\n\n[Chorus]\nHold on to the midnight line")
            let call = try #require(fakes.requests(to: .elevenlabs).first)
            #expect(call.path == "/v1/music/detailed?output_format=mp3_44100_128")
            #expect(call.headers["xi-api-key"] == FakeProviders.keys[.elevenlabs])
            #expect(call.json["prompt"] as? String == "An upbeat synthwave track with a clear female vocal")
            #expect(call.json["force_instrumental"] as? Bool == false)
            #expect(call.json["with_timestamps"] as? Bool == true)
            #expect(call.json["model_id"] as? String == "music_v1")
            #expect(call.json["composition_plan"] == nil)
            // Word timestamps became line times: the first word at 0.5 s, the third line after two pauses.
            let lrc = String(decoding: try #require(song.media[.lrc]), as: UTF8.self)
            #expect(lrc.contains("[ti:Midnight Circuit]"))
            #expect(lrc.contains("[00:00.50]Wires hum beneath the rain"))
            #expect(lrc.contains("[00:03.50]We run the neon mile"))
            #expect(lrc.contains("[00:06.50]Hold on to the midnight line"))
        }
    }

    @Test func elevenLabsSingsUserLyricsThroughACompositionPlan() async throws {
        try await withFakes { fakes, client in
            let lyrics = "[Intro]\n[Verse]\nOne two three\nFour five six\n[Chorus 2]\nSeven eight"
            let song = try await Self.engine(.elevenlabs, fakes, client).generate(
                request(.musicV1, prompt: "Indie pop, bright guitars. Female vocal", lyrics: lyrics), progress: { _ in })
            let call = try #require(fakes.requests(to: .elevenlabs).first).json
            #expect(call["prompt"] == nil && call["force_instrumental"] == nil)
            let plan = try #require(call["composition_plan"] as? [String: Any])
            #expect(plan["positive_global_styles"] as? [String] == ["Indie pop", "bright guitars", "Female vocal"])
            let sections = try #require(plan["sections"] as? [[String: Any]])
            #expect(sections.compactMap { $0["section_name"] as? String } == ["Intro", "Verse", "Chorus 2"])
            #expect(sections.map { ($0["lines"] as? [String]) ?? ["?"] } == [[], ["One two three", "Four five six"], ["Seven eight"]])
            #expect(sections.allSatisfy { (3_000...120_000).contains($0["duration_ms"] as? Int ?? 0) })
            #expect(song.lyrics == "[Verse]\nOne two three\nFour five six\n\n[Chorus 2]\nSeven eight")
            let lrc = String(decoding: try #require(song.media[.lrc]), as: UTF8.self)
            #expect(lrc.contains("]Four five six"))
        }
    }

    @Test func elevenLabsInstrumentalAndPlainAudioAnswers() async throws {
        try await withFakes { fakes, client in
            fakes.enqueue(.elevenlabs, .song(), .song(.alternative))
            let engine = Self.engine(.elevenlabs, fakes, client)
            let instrumental = try await engine.generate(request(.musicV1, instrumental: true), progress: { _ in })
            #expect(fakes.requests(to: .elevenlabs).first?.json["force_instrumental"] as? Bool == true)
            #expect(instrumental.lyrics == nil && instrumental.media[.lrc] == nil)
            let plain = try await engine.generate(request(.musicV1), progress: { _ in })
            try Self.expectMeasured(plain, fakes, provider: "elevenlabs")
            #expect(plain.title == "An upbeat synthwave track with a clear female vocal")
            #expect(plain.media[.lrc] == nil)
        }
    }

    // MARK: Google

    @Test(arguments: [FakeProviders.Shape.standard, .alternative])
    func lyriaSendsTheImagesInlineAndReadsTheParts(shape: FakeProviders.Shape) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lyria-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 1, count: 40)
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(repeating: 2, count: 40)
        let webp = Data("RIFF".utf8) + Data([0, 0, 0, 0]) + Data("WEBPVP8 ".utf8) + Data(repeating: 3, count: 40)
        var images: [URL] = []
        // Named as uploads are (by content type), one with a misleading extension: the bytes decide.
        for (name, bytes) in [("a.png", png), ("b.jpg", jpeg), ("c.png", webp)] {
            let url = folder.appendingPathComponent(name)
            try bytes.write(to: url)
            images.append(url)
        }
        try await withFakes { fakes, client in
            fakes.enqueue(.google, .song(shape))
            let song = try await Self.engine(.google, fakes, client).generate(
                request(.lyria3ProPreview, prompt: "A dreamy ambient piece", images: images), progress: { _ in })
            try Self.expectMeasured(song, fakes, provider: "google")
            #expect(song.title == "Glass Horizon")
            #expect(song.lyrics?.hasPrefix("[Verse]\nLight on the water") == true)
            let call = try #require(fakes.requests(to: .google).first)
            #expect(call.path == "/v1beta/models/lyria-3-pro-preview:generateContent")
            #expect(call.headers["x-goog-api-key"] == FakeProviders.keys[.google])
            let body = call.json
            let parts = try #require((body["contents"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])
            #expect(parts.first?["text"] as? String == "A dreamy ambient piece")
            let inline = parts.dropFirst().compactMap { $0["inlineData"] as? [String: String] }
            #expect(inline.map { $0["mimeType"] } == ["image/png", "image/jpeg", "image/webp"])
            #expect(inline.compactMap { $0["data"].flatMap { Data(base64Encoded: $0) } } == [png, jpeg, webp])
            #expect((body["generationConfig"] as? [String: Any])?["responseModalities"] as? [String] == ["AUDIO", "TEXT"])
        }
    }

    @Test func lyriaInstrumentalIsAskedForInThePrompt() async throws {
        try await withFakes { fakes, client in
            let song = try await Self.engine(.google, fakes, client).generate(
                request(.lyria3ProPreview, prompt: "Calm piano", instrumental: true), progress: { _ in })
            let parts = (fakes.requests(to: .google).first?.json["contents"] as? [[String: Any]])?.first?["parts"]
            #expect((parts as? [[String: Any]])?.first?["text"] as? String == "Calm piano\n\nInstrumental only, no vocals.")
            #expect(song.lyrics == nil)
            #expect(song.title == "Glass Horizon")
        }
    }

    // MARK: Audio that is not MP3

    @Test(arguments: FakeProviders.Provider.allCases)
    func wavAudioIsRefusedClearly(provider: FakeProviders.Provider) async throws {
        try await withFakes { fakes, client in
            fakes.enqueue(provider, .wav)
            let engine = Self.engine(provider, fakes, client)
            let failure = await #expect(throws: ProviderFailure.self) {
                try await engine.generate(request(provider.model, instrumental: true), progress: { _ in })
            }
            #expect(failure?.kind == .invalid)
            #expect(failure?.message.contains("WAV audio") == true)
            #expect(failure?.message.contains("not MP3") == true)
            #expect(fakes.requests(to: provider).count == 1, "a wrong format is not retried")
        }
    }
}
