import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import Testing
import TunesmithCore

@Suite("POST /music/create")
struct MusicCreateTests {
    @Test("a JSON create answers exactly the contract's shape, debits credits and wakes the workers")
    func createJSON() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "singer@example.com", credits: 100)
            let response = try await client.create(#"{"prompt": "An upbeat synthwave track"}"#, token: token)
            #expect(response.status == .ok, "\(response.text)")
            let json = response.json
            #expect(Set(json.keys) == [
                "audio_id", "asset_id", "asset_type", "asset_source", "create_mode", "status", "audio_status",
                "credits", "audio_status_name", "audio_status_final",
            ])
            let assetID = try #require(json["asset_id"] as? Int64)
            #expect((100_000_000_000_000...999_999_999_999_999).contains(assetID))
            #expect(json["audio_id"] as? String == "user:\(user.id)-pixverse:singer@example.com-music:\(assetID)")
            #expect(json["asset_type"] as? Int == 2)
            #expect(json["asset_source"] as? Int == 1)
            #expect(json["create_mode"] as? String == "music")
            #expect(json["status"] as? String == "making")
            #expect(json["audio_status"] as? Int == 5)
            #expect(json["credits"] as? Int == 40)
            #expect(json["audio_status_name"] as? String == "QUEUED")
            #expect(json["audio_status_final"] as? Bool == false)
            #expect(fixture.wakes.value == 1)
            let account = try #require(try await fixture.store.account(userID: user.id, email: "singer@example.com"))
            #expect(account.credits == 60)
            #expect(account.executing == 1)

            let track = try #require(try await fixture.store.track(userID: user.id, assetID: assetID))
            #expect(track.request.model == .music26)
            #expect(track.request.autoLyrics)
        }
    }

    @Test("multipart/form-data takes the same fields as text")
    func createMultipart() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "m@example.com")
            let boundary = "XyZzy42"
            let fields = [
                ("prompt", "Calm piano, 80 bpm"), ("model", "music-v1"), ("instrumental", "true"), ("maxJobs", "3"),
                ("seed", "18446744073709551615"), ("replyRef", "ref-7"), ("unknown_field", "ignored"),
            ]
            var body = ""
            for (name, value) in fields {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            var bytes = Array(body.utf8)
            // An unknown file part (not UTF-8) is ignored like any unknown field.
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.bin\"\r\n\r\n".utf8)
            bytes += [0xFF, 0x00, 0xFE, 0x80] + Array("\r\n--\(boundary)--\r\n".utf8)
            let response = try await client.send(
                .post, "/v2/pixverse/music/create", token: token, bytes: bytes,
                contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["credits"] as? Int == 150)
            let assetID = try #require(response.json["asset_id"] as? Int64)
            let track = try #require(try await fixture.store.track(userID: user.id, assetID: assetID))
            #expect(track.request.model == .musicV1)
            #expect(track.request.instrumental)
            #expect(track.request.maxJobs == 3)
            #expect(track.request.seed == UInt64.max)
            #expect(track.request.replyRef == "ref-7")
        }
    }

    @Test("URL-encoded forms work too (curl -d without a Content-Type)")
    func createURLEncoded() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let response = try await client.send(
                .post, "/v2/pixverse/music/create", token: token, body: "prompt=sad+folk+song&lyrics=%5BVerse%5D%0Ahello",
                contentType: "application/x-www-form-urlencoded")
            #expect(response.status == .ok, "\(response.text)")
            let assetID = try #require(response.json["asset_id"] as? Int64)
            let track = try #require(try await fixture.store.track(userID: user.id, assetID: assetID))
            #expect(track.request.prompt == "sad folk song")
            #expect(track.request.lyrics == "[Verse]\nhello")
        }
    }

    @Test("strictness stops at real errors: nested repeated keys, escapes and unknown fields are fine")
    func lenientWhereHarmless() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let response = try await client.create(
                #"{"prompt": "guitar 🎸 \"quoted\" back\\slash, [x]", "meta": {"prompt": 1, "list": [1, 2]}, "extra": null}"#,
                token: token)
            #expect(response.status == .ok, "\(response.text)")
            let assetID = try #require(response.json["asset_id"] as? Int64)
            let track = try #require(try await fixture.store.track(userID: user.id, assetID: assetID))
            #expect(track.request.prompt == "guitar 🎸 \"quoted\" back\\slash, [x]")
        }
    }

    @Test("the seed is kept when given and random when absent")
    func seeds() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let seeded = try await client.create(#"{"prompt": "x", "seed": 42}"#, token: token)
            let first = try await client.create(#"{"prompt": "x"}"#, token: token)
            let second = try await client.create(#"{"prompt": "x"}"#, token: token)
            let seeds = try [seeded, first, second].map { response in
                let id = try #require(response.json["asset_id"] as? Int64)
                return id
            }
            var values: [UInt64] = []
            for id in seeds {
                let track = try #require(try await fixture.store.track(userID: user.id, assetID: id))
                values.append(track.request.seed)
            }
            #expect(values[0] == 42)
            #expect(values[1] != values[2])
        }
    }

    /// Every "400 when" cause of API.md, each naming the parameter.
    static let badRequests: [(body: String, fragment: String)] = [
        (#"{}"#, "prompt"),
        (#"{"prompt": "   \n "}"#, "prompt"),
        (#"{"prompt": "\#(String(repeating: "a", count: 2_001))"}"#, "prompt: at most 2000"),
        (#"{"prompt": "\#(String(repeating: "a", count: 4_001))", "model": "music-v1"}"#, "prompt: at most 4000"),
        (#"{"prompt": "\#(String(repeating: "a", count: 5_001))", "model": "lyria-3-pro-preview"}"#, "prompt: at most 5000"),
        (#"{"prompt": "x", "model": "music-9"}"#, "model: unknown model"),
        (#"{"prompt": "x", "lyrics": "la la", "instrumental": true}"#, "lyrics: cannot be combined with instrumental"),
        (#"{"prompt": "x", "lyrics": "la la", "model": "lyria-3-pro-preview"}"#, "lyrics: lyria-3-pro-preview"),
        (#"{"prompt": "x", "lyrics": "\#(String(repeating: "l", count: 3_501))"}"#, "lyrics: at most 3500"),
        (#"{"prompt": "x", "image_path_1": "upload/a.png"}"#, "image_path_1: music-2.6 takes no reference images"),
        (#"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_2": "upload/a.png"}"#, "image_path_2"),
        (#"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_11": "upload/a.png"}"#, "image_path_11"),
        (#"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_1": "upload/not-mine.png"}"#, "image_path_1"),
        (#"{"prompt": "x", "replyUrl": "https://example.com/\#(String(repeating: "p", count: 1_020))"}"#, "replyUrl: at most 1024"),
        (#"{"prompt": "x", "replyRef": "\#(String(repeating: "r", count: 1_025))"}"#, "replyRef: at most 1024"),
        (#"{"prompt": "x", "replyUrl": "ftp://example.com/hook"}"#, "replyUrl"),
        (#"{"prompt": "x", "replyUrl": "http://blocked.invalid/hook"}"#, "replyUrl"),
        (#"{"prompt": "x", "maxJobs": 0}"#, "maxJobs: must be an integer from 1 to 8"),
        (#"{"prompt": "x", "maxJobs": 9}"#, "maxJobs"),
        (#"{"prompt": "x", "maxJobs": 2.5}"#, "maxJobs"),
        (#"{"prompt": 42}"#, "prompt: must be a string"),
        (#"{"prompt": "x", "instrumental": "yes"}"#, "instrumental: must be a boolean"),
        (#"{"prompt": "x", "instrumental": 1}"#, "instrumental: must be a boolean"),
        (#"{"prompt": "x", "maxJobs": "3"}"#, "maxJobs: must be an integer"),
        (#"{"prompt": "x", "seed": -1}"#, "seed"),
        (#"{"prompt": "x", "seed": "abc"}"#, "seed"),
        (#"{"prompt": "x", "email": 7}"#, "email: must be a string"),
        (#"{"prompt": ["x"]}"#, "prompt: must be a string, got an array"),
    ]

    @Test("each invalid parameter answers 400 naming it", arguments: badRequests.indices)
    func badRequest(index: Int) async throws {
        let (body, fragment) = Self.badRequests[index]
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let response = try await client.create(body, token: token)
            expectError(response, 400, fragment)
            #expect(fixture.wakes.value == 0)
        }
    }

    @Test("401 without a valid bearer token")
    func unauthorized() async throws {
        try await withAPI { client, fixture in
            let (user, _) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            for headers: HTTPFields in [
                [:], [.authorization: "Bearer"], [.authorization: "Bearer user:nobody-123"],
                [.authorization: "Basic dXNlcjpwYXNz"],
            ] {
                let response = try await client.send(
                    .post, "/v2/pixverse/music/create", body: #"{"prompt": "x"}"#, headers: headers)
                expectError(response, 401, "Unauthorized")
                #expect(response.json["error"] as? String == "Unauthorized")
            }
        }
    }

    @Test("404 when the named account does not exist, or there are no accounts at all")
    func accountNotFound() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            let none = try await client.create(#"{"prompt": "x"}"#, token: token)
            expectError(none, 404, "Configuration not found. To create configuration use POST /accounts/email.")
            try await fixture.makeAccount(user, "real@example.com")
            let named = try await client.create(#"{"prompt": "x", "email": "ghost@example.com"}"#, token: token)
            expectError(named, 404, "Account ghost@example.com not found")
            // Another user's account is invisible.
            let (_, otherToken) = try await fixture.makeUser("bob")
            let other = try await client.create(#"{"prompt": "x", "email": "real@example.com"}"#, token: otherToken)
            expectError(other, 404)
        }
    }

    @Test("412 when the account has fewer credits than the model costs")
    func insufficientCredits() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "poor@example.com", credits: 39)
            let response = try await client.create(#"{"prompt": "x", "email": "poor@example.com"}"#, token: token)
            expectError(
                response, 412, "All Credits have been used up. Please upgrade your membership or purchase credits.")
            // The cheaper model still fits.
            let lyria = try await client.create(#"{"prompt": "x", "model": "lyria-3-pro-preview"}"#, token: token)
            #expect(lyria.status == .ok)
            #expect(lyria.json["credits"] as? Int == 20)
        }
    }

    @Test("429 for a busy named account and when every account is busy")
    func busy() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "one@example.com", maxJobs: 1)
            let first = try await client.create(#"{"prompt": "x", "email": "one@example.com"}"#, token: token)
            #expect(first.status == .ok)
            let named = try await client.create(#"{"prompt": "x", "email": "one@example.com"}"#, token: token)
            expectError(named, 429, "Account one@example.com is busy executing 1 tasks.")
            let any = try await client.create(#"{"prompt": "x"}"#, token: token)
            expectError(any, 429, "All configured accounts are running at maximum capacity.")
            // maxJobs in the request overrides the account's limit.
            let raised = try await client.create(#"{"prompt": "x", "maxJobs": 2}"#, token: token)
            #expect(raised.status == .ok, "\(raised.text)")
        }
    }

    @Test("596 once the account is in the pending-error state; re-POSTing the account clears it")
    func pendingError() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "err@example.com")
            try await fixture.store.markAccountError(userID: user.id, email: "err@example.com", message: "rejected")
            let response = try await client.create(#"{"prompt": "x", "email": "err@example.com"}"#, token: token)
            expectError(response, 596, "accounts/err@example.com")
            let repost = try await client.send(
                .post, "/v2/pixverse/accounts/err@example.com", token: token,
                body: #"{"email": "err@example.com", "maxJobs": 2}"#)
            #expect(repost.status == .created)
            let again = try await client.create(#"{"prompt": "x", "email": "err@example.com"}"#, token: token)
            #expect(again.status == .ok)
        }
    }

    @Test("lyria takes this user's uploads as image_path_1..N, in order, and nobody else's")
    func lyriaImages() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let (bob, bobToken) = try await fixture.makeUser("bob")
            try await fixture.makeAccount(bob)
            let mine = try await upload(TestImages.png(width: 4, height: 3), "image/png", client: client, token: token)
            let mine2 = try await upload(RealTestImages.gif(width: 2, height: 2), "image/gif", client: client, token: token)
            let bobs = try await upload(TestImages.png(width: 5, height: 5), "image/png", client: client, token: bobToken)

            let ok = try await client.create(
                #"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_1": "\#(mine)", "image_path_2": "\#(mine2)"}"#,
                token: token)
            #expect(ok.status == .ok, "\(ok.text)")
            let assetID = try #require(ok.json["asset_id"] as? Int64)
            let track = try #require(try await fixture.store.track(userID: user.id, assetID: assetID))
            #expect(track.request.imagePaths == [mine, mine2])

            let stolen = try await client.create(
                #"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_1": "\#(bobs)"}"#, token: token)
            expectError(stolen, 400, "image_path_1")
        }
    }
}

/// Uploads `bytes` and returns the `result[0].path`.
func upload(_ bytes: [UInt8], _ type: String, client: any TestClientProtocol, token: String) async throws -> String {
    let response = try await client.send(.post, "/v2/pixverse/files", token: token, bytes: bytes, contentType: type)
    #expect(response.status == .ok, "\(response.text)")
    let result = try #require(response.json["result"] as? [[String: Any]])
    return try #require(result.first?["path"] as? String)
}

@Suite("replyUrl policy")
struct ReplyURLPolicyTests {
    @Test("the jobs module's CallbackURLPolicy refuses private and loopback targets at create")
    func privateTargets() async throws {
        try await withAPI(configure: { $0.replyURLValidator = CallbackURLPolicy(allowPrivate: false) }) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            for url in ["http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]/x"] {
                let response = try await client.create(#"{"prompt": "x", "replyUrl": "\#(url)"}"#, token: token)
                expectError(response, 400, "replyUrl")
            }
            #expect(fixture.wakes.value == 0)
        }
    }
}
