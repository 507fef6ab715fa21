import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TunesmithCore

/// `stems: true` on create and `POST /music/extend` (Tunesmith extensions).
@Suite("Stems and extend over the API")
struct ExtendAndStemsTests {
    /// Creates a track over the API and finishes it in the store as a worker would.
    static func finished(
        _ client: any TestClientProtocol, _ fixture: Fixture, token: String, userID: String,
        body: String = #"{"prompt": "a synthwave song", "seed": 3}"#, provider: String = "local", seconds: Double = 42,
        lyrics: String? = "[Verse]\nla la", media: [MediaKind: String]? = nil
    ) async throws -> Track {
        let created = try await client.create(body, token: token)
        let assetID = try #require(created.json["asset_id"] as? Int64, "\(created.text)")
        let claimed = try #require(
            try await fixture.store.claimNext(workerID: "w", leaseUntil: fixture.clock.date + 60, now: fixture.clock.date))
        #expect(claimed.assetID == assetID)
        var result = TrackResult(
            title: "Night Drive", lyrics: lyrics, durationSeconds: seconds, bpm: 100, key: "A minor", genre: "Synthwave",
            provider: provider,
            media: media ?? [
                .mp3: MediaPaths.track(assetID: assetID, attempt: "1-a", kind: .mp3),
                .midi: MediaPaths.track(assetID: assetID, attempt: "1-a", kind: .midi),
            ])
        result.imageInfluence = nil
        #expect(try await fixture.store.complete(assetID: assetID, workerID: "w", result: result, now: fixture.clock.date))
        return try #require(try await fixture.store.track(userID: userID, assetID: assetID))
    }

    /// Stems and extensions are made by the local engine: these tests keep every model local even when the
    /// suite runs with every model routed to the fake providers (`TUNESMITH_TEST_ENGINES=cloud`).
    static func localEngine(_ dependencies: inout APIDependencies) { dependencies.backends = [:] }

    static func extend(_ client: any TestClientProtocol, _ json: String, token: String) async throws -> TestResponse {
        try await client.send(.post, "/v2/pixverse/music/extend", token: token, body: json)
    }

    // MARK: stems

    @Test("stems: true is stored with the request (JSON and multipart); without it the request is unchanged")
    func stemsFlag() async throws {
        try await withAPI(configure: Self.localEngine) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let asked = try await client.create(#"{"prompt": "x", "stems": true}"#, token: token)
            let plain = try await client.create(#"{"prompt": "x"}"#, token: token)
            let off = try await client.create(#"{"prompt": "x", "stems": false}"#, token: token)
            let multipart = try await client.send(
                .post, "/v2/pixverse/music/create", token: token,
                body: "--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"stems\"\r\n\r\ntrue\r\n--b--\r\n",
                contentType: "multipart/form-data; boundary=b")
            var stored: [Bool?] = []
            for response in [asked, plain, off, multipart] {
                #expect(response.status == .ok, "\(response.text)")
                let id = try #require(response.json["asset_id"] as? Int64)
                stored.append(try await fixture.store.track(userID: user.id, assetID: id)?.request.stems)
            }
            #expect(stored == [true, nil, nil, true])
            // The created answer keeps the reference shape.
            #expect(Set(asked.json.keys) == Set(plain.json.keys))
            expectError(try await client.create(#"{"prompt": "x", "stems": "yes"}"#, token: token), 400, "stems: must be a boolean")
        }
    }

    @Test("stems on a model the operator routed to a cloud provider answer 400")
    func stemsNeedTheLocalEngine() async throws {
        try await withAPI(configure: { $0.backends = [.musicV1: "elevenlabs"] }) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            expectError(
                try await client.create(#"{"prompt": "x", "model": "music-v1", "stems": true}"#, token: token), 400,
                "stems: only the local engine makes stems, and music-v1 is rendered by elevenlabs")
            let local = try await client.create(#"{"prompt": "x", "stems": true}"#, token: token)
            #expect(local.status == .ok)
        }
    }

    @Test("a finished track with stems carries stems_url: a signed link to the zip, served with Range")
    func stemsURL() async throws {
        try await withAPI(configure: Self.localEngine) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let created = try await client.create(#"{"prompt": "x", "stems": true}"#, token: token)
            let assetID = try #require(created.json["asset_id"] as? Int64)
            let zipPath = MediaPaths.track(assetID: assetID, attempt: "1-a", kind: .stems)
            #expect(zipPath == "tracks/\(assetID)/1-a/stems.zip")
            let zip = Data("PK\u{03}\u{04}pretend zip bytes".utf8)
            try await fixture.media.write(zip, to: zipPath)
            _ = try await fixture.store.claimNext(workerID: "w", leaseUntil: fixture.clock.date + 60, now: fixture.clock.date)
            let result = TrackResult(
                title: "T", lyrics: nil, durationSeconds: 30, bpm: 90, key: "C major", genre: "Pop", provider: "local",
                media: [.mp3: MediaPaths.track(assetID: assetID, attempt: "1-a", kind: .mp3), .stems: zipPath])
            #expect(try await fixture.store.complete(assetID: assetID, workerID: "w", result: result, now: fixture.clock.date))

            let audioID = try #require(created.json["audio_id"] as? String)
            let track = try await client.send(.get, "/v2/pixverse/music/\(audioID)", token: token)
            let link = try #require(track.json["stems_url"] as? String)
            #expect(link.hasPrefix("http://tunesmith.test/media/\(zipPath)?expires="))
            let path = String(link.dropFirst("http://tunesmith.test".count))
            let whole = try await client.send(.get, path)
            #expect(whole.status == .ok)
            #expect(whole.headers[.contentType] == "application/zip")
            #expect(Data(whole.body.readableBytesView) == zip)
            let part = try await client.send(.get, path, bytes: nil, headers: [.range: "bytes=0-1"])
            #expect(part.status == .partialContent)
            #expect(part.text == "PK")
            // A track without stems has no stems_url.
            let plain = try await client.create(#"{"prompt": "y"}"#, token: token)
            let plainID = try #require(plain.json["audio_id"] as? String)
            #expect(try await client.send(.get, "/v2/pixverse/music/\(plainID)", token: token).json["stems_url"] == nil)
        }
    }

    // MARK: extend

    @Test("extend queues a new track that records the original, its first song and this continuation")
    func extendQueues() async throws {
        try await withAPI(configure: Self.localEngine) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, credits: 500)
            let original = try await Self.finished(
                client, fixture, token: token, userID: user.id,
                body: #"{"prompt": "a synthwave song", "lyrics": "[Verse]\nneon lights", "seed": 3}"#)
            let wakes = fixture.wakes.value
            let response = try await Self.extend(
                client,
                #"{"audio_id": "\#(original.audioID)", "prompt": "calmer and dreamy", "seed": 5, "replyRef": "r9", "stems": true}"#,
                token: token)
            #expect(response.status == .ok, "\(response.text)")
            let json = response.json
            #expect(Set(json.keys) == ["audio_id", "asset_id", "asset_type", "asset_source", "create_mode", "status",
                                       "audio_status", "credits", "audio_status_name", "audio_status_final"])
            #expect(json["audio_status_name"] as? String == "QUEUED")
            #expect(json["credits"] as? Int == 40)
            let audioID = try #require(json["audio_id"] as? String)
            #expect(audioID != original.audioID)
            #expect(fixture.wakes.value == wakes + 1)
            #expect(try await fixture.account(user)?.credits == 500 - 40 - 40)

            let assetID = try #require(json["asset_id"] as? Int64)
            let stored = try #require(try await fixture.store.track(userID: user.id, assetID: assetID)).request
            #expect(stored.prompt == "calmer and dreamy")
            #expect(stored.seed == 5 && stored.replyRef == "r9" && stored.stems == true)
            #expect(stored.lyrics == nil && !stored.instrumental)
            #expect(stored.model == original.request.model)
            let extending = try #require(stored.extending)
            #expect(extending.originalAudioID == original.audioID && extending.originalAssetID == original.assetID)
            #expect(extending.base == BaseSong(
                prompt: "a synthwave song", instrumental: false, lyrics: "[Verse]\nneon lights", imagePaths: [], seed: 3))
            #expect(extending.continuations == [SongContinuation(prompt: "calmer and dreamy", lyrics: nil, seed: 5)])
            // User lyrics in the original: the extension's words are not the engine's.
            #expect(!stored.autoLyrics)

            let read = try await client.send(.get, "/v2/pixverse/music/\(audioID)", token: token).json
            #expect(read["extended_from"] as? String == original.audioID)
            #expect(read["prompt"] as? String == "calmer and dreamy")
            #expect(read["seed"] as? Int == 5)
        }
    }

    @Test("an extension of an extension keeps the first song and adds its continuation; multipart works")
    func extendChains() async throws {
        try await withAPI(configure: Self.localEngine) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let original = try await Self.finished(client, fixture, token: token, userID: user.id)
            let first = try await Self.extend(client, #"{"audio_id": "\#(original.audioID)", "seed": 1}"#, token: token)
            let firstID = try #require(first.json["asset_id"] as? Int64)
            // Finish the first extension as a worker would.
            _ = try await fixture.store.claimNext(workerID: "w", leaseUntil: fixture.clock.date + 60, now: fixture.clock.date)
            let result = TrackResult(
                title: "Night Drive", lyrics: "[Verse]\nla", durationSeconds: 80, bpm: 100, key: "A minor",
                genre: "Synthwave", provider: "local",
                media: [
                    .mp3: MediaPaths.track(assetID: firstID, attempt: "2-b", kind: .mp3),
                    .midi: MediaPaths.track(assetID: firstID, attempt: "2-b", kind: .midi),
                ])
            #expect(try await fixture.store.complete(assetID: firstID, workerID: "w", result: result, now: fixture.clock.date))
            let firstTrack = try #require(try await fixture.store.track(userID: user.id, assetID: firstID))
            #expect(firstTrack.request.prompt == original.request.prompt)
            #expect(firstTrack.request.autoLyrics)

            let second = try await client.send(
                .post, "/v2/pixverse/music/extend", token: token,
                body: "audio_id=\(percentEncoded(firstTrack.audioID))&lyrics=%5BChorus%5D%0Aagain&seed=2",
                contentType: "application/x-www-form-urlencoded")
            #expect(second.status == .ok, "\(second.text)")
            let secondID = try #require(second.json["asset_id"] as? Int64)
            let stored = try #require(try await fixture.store.track(userID: user.id, assetID: secondID)).request
            let extending = try #require(stored.extending)
            #expect(extending.originalAssetID == firstID)
            // The worker hands the engine the MIDI file of the attempt that finished the first extension.
            #expect(extending.originalMIDIPath == "tracks/\(firstID)/2-b/track.mid")
            #expect(extending.base.prompt == "a synthwave song" && extending.base.seed == 3)
            #expect(extending.continuations == [
                SongContinuation(prompt: nil, lyrics: nil, seed: 1), SongContinuation(prompt: nil, lyrics: "[Chorus]\nagain", seed: 2),
            ])
            #expect(!stored.autoLyrics)
        }
    }

    @Test("extend answers 400, 404, 412 and 429 as create does, naming the parameter")
    func extendErrors() async throws {
        try await withAPI(configure: Self.localEngine) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, maxJobs: 1)
            let (bob, bobToken) = try await fixture.makeUser("bob")
            try await fixture.makeAccount(bob, "b@example.com")
            let done = try await Self.finished(client, fixture, token: token, userID: user.id)
            let id = done.audioID
            func extend(_ json: String, token: String = token) async throws -> TestResponse {
                try await Self.extend(client, json, token: token)
            }
            expectError(try await extend(#"{}"#), 400, "audio_id: is required")
            expectError(try await extend(#"{"audio_id": 7}"#), 400, "audio_id: must be a string")
            expectError(try await extend(#"{"audio_id": "\#(id)", "model": "music-v1"}"#), 400, "model: an extension keeps")
            expectError(try await extend(#"{"audio_id": "\#(id)", "instrumental": true}"#), 400, "instrumental: an extension keeps")
            expectError(try await extend(#"{"audio_id": "\#(id)", "image_path_1": "upload/a.png"}"#), 400, "image_path_1")
            expectError(try await extend(#"{"audio_id": "\#(id)", "maxJobs": 9}"#), 400, "maxJobs")
            expectError(try await extend(#"{"audio_id": "\#(id)", "stems": "yes"}"#), 400, "stems")
            expectError(try await extend(#"{"audio_id": "\#(id)", "prompt": "\#(String(repeating: "a", count: 2_001))"}"#), 400, "prompt: at most 2000")
            expectError(try await extend(#"{"audio_id": "\#(id)", "lyrics": "\#(String(repeating: "l", count: 3_501))"}"#), 400, "lyrics: at most 3500")
            expectError(try await extend(#"{"audio_id": "\#(id)", "replyUrl": "http://blocked.invalid/x"}"#), 400, "replyUrl")
            expectError(try await extend(#"{"audio_id": "\#(id)"}"#, token: bobToken), 404, "Music \(id) not found")
            let unknown = "user:\(user.id)-pixverse:a@example.com-music:123456789012345"
            expectError(try await extend(#"{"audio_id": "\#(unknown)"}"#), 404, "Music \(unknown) not found")
            expectError(try await extend(#"{"audio_id": "\#(id)", "email": "nobody@example.com"}"#), 404, "Account nobody@example.com not found")
            expectError(try await client.send(.post, "/v2/pixverse/music/extend", body: #"{"audio_id": "\#(id)"}"#), 401)

            // Not finished yet: 400; and it holds the account's only slot, so a valid extension is 429.
            let queued = try await client.create(#"{"prompt": "y"}"#, token: token)
            let queuedID = try #require(queued.json["audio_id"] as? String)
            expectError(try await extend(#"{"audio_id": "\#(queuedID)"}"#), 400, "the track is QUEUED; only a COMPLETED track can be extended")
            expectError(try await extend(#"{"audio_id": "\#(id)"}"#), 429, "All configured accounts are running at maximum capacity.")
            expectError(try await extend(#"{"audio_id": "\#(id)", "email": "a@example.com"}"#), 429, "Account a@example.com is busy executing 1 tasks.")
            #expect(try await fixture.account(user)?.executing == 1)
        }
    }

    @Test("extend refuses what the original cannot take: cloud-made, instrumental, lyria lyrics, no room, no credits")
    func extendRefusals() async throws {
        try await withAPI(configure: { $0.backends = [.musicV1: "elevenlabs"] }) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            func finished(_ body: String, provider: String = "local", seconds: Double = 42, lyrics: String? = "la")
                async throws -> String
            {
                try await Self.finished(
                    client, fixture, token: token, userID: user.id, body: body, provider: provider, seconds: seconds,
                    lyrics: lyrics
                ).audioID
            }
            func extend(_ json: String) async throws -> TestResponse { try await Self.extend(client, json, token: token) }
            let cloud = try await finished(#"{"prompt": "x"}"#, provider: "minimax")
            expectError(try await extend(#"{"audio_id": "\#(cloud)"}"#), 400, "made by minimax; only songs made by the local engine")
            let routed = try await finished(#"{"prompt": "x", "model": "music-v1"}"#)
            expectError(try await extend(#"{"audio_id": "\#(routed)"}"#), 400, "music-v1 is rendered by elevenlabs here")
            let instrumental = try await finished(#"{"prompt": "x", "instrumental": true}"#, lyrics: nil)
            expectError(try await extend(#"{"audio_id": "\#(instrumental)", "lyrics": "[Verse]\nsing"}"#), 400, "lyrics: the original is an instrumental")
            let lyria = try await finished(#"{"prompt": "x", "model": "lyria-3-pro-preview"}"#)
            expectError(try await extend(#"{"audio_id": "\#(lyria)", "lyrics": "[Verse]\nsing"}"#), 400, "lyrics: lyria-3-pro-preview does not take custom lyrics")
            let long = try await finished(#"{"prompt": "x"}"#, seconds: 290)
            expectError(try await extend(#"{"audio_id": "\#(long)"}"#), 400, "the song already lasts 290 s")
            let failed = try await client.create(#"{"prompt": "z"}"#, token: token)
            let failedID = try #require(failed.json["audio_id"] as? String)
            let failedAsset = try #require(failed.json["asset_id"] as? Int64)
            _ = try await fixture.store.cancel(userID: user.id, assetID: failedAsset, now: fixture.clock.date)
            expectError(try await extend(#"{"audio_id": "\#(failedID)"}"#), 400, "the track is FAILED")

            try await fixture.makeAccount(user, "poor@example.com", credits: 10)
            let ok = try await finished(#"{"prompt": "x"}"#)
            expectError(try await extend(#"{"audio_id": "\#(ok)", "email": "poor@example.com"}"#), 412)
            #expect(try await fixture.account(user, "poor@example.com")?.credits == 10)
            // Blank lyrics are no lyrics: an instrumental can be extended without words.
            #expect(try await extend(#"{"audio_id": "\#(instrumental)", "lyrics": "  "}"#).status == .ok)
        }
    }
}

extension Fixture {
    func account(_ user: User, _ email: String = "a@example.com") async throws -> Account? {
        try await store.account(userID: user.id, email: email)
    }
}
