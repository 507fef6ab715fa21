import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

@Suite("GET /music/<audio_id> and GET /music")
struct TrackReadTests {
    @Test("a track is found by its raw id and by its percent-encoded id, with the public track JSON")
    func getTrack() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "me@example.com")
            let created = try await client.create(
                #"{"prompt": "Jazz trio", "lyrics": "[Verse]\nhello there", "replyRef": "r1", "seed": 7}"#, token: token)
            let audioID = try #require(created.json["audio_id"] as? String)
            #expect(audioID.contains(":") && audioID.contains("@"))

            let raw = try await client.send(.get, "/v2/pixverse/music/\(audioID)", token: token)
            #expect(raw.status == .ok, "\(raw.text)")
            let encoded = try await client.send(.get, "/v2/pixverse/music/\(percentEncoded(audioID))", token: token)
            #expect(encoded.status == .ok, "\(encoded.text)")
            #expect(raw.text == encoded.text)

            let assetID = try #require(created.json["asset_id"] as? Int64)
            let track = try #require(try await fixture.store.track(userID: user.id, assetID: assetID))
            // Same bytes as a callback would carry.
            #expect(Array(raw.body.readableBytesView) == Array(TrackJSON(track, links: [:]).encoded()))
            let json = raw.json
            #expect(json["audio_id"] as? String == audioID)
            #expect(json["status"] as? String == "making")
            #expect(json["audio_status_name"] as? String == "QUEUED")
            #expect(json["prompt"] as? String == "Jazz trio")
            #expect(json["auto_lyrics"] as? Bool == false)
            #expect(json["instrumental"] as? Bool == false)
            #expect(json["replyRef"] as? String == "r1")
            #expect(json["seed"] as? Int == 7)
            #expect(json["model"] as? String == "music-2.6")
            #expect(json["progress"] as? Int == 0)
        }
    }

    @Test("unknown, malformed and other users' ids all answer 404 'Music <id> not found'")
    func notFound() async throws {
        try await withAPI { client, fixture in
            let (alice, aliceToken) = try await fixture.makeUser()
            try await fixture.makeAccount(alice, "a@example.com")
            let (bob, bobToken) = try await fixture.makeUser("bob")
            try await fixture.makeAccount(bob, "b@example.com")
            let created = try await client.create(#"{"prompt": "x"}"#, token: aliceToken)
            let audioID = try #require(created.json["audio_id"] as? String)
            let assetID = try #require(created.json["asset_id"] as? Int64)

            let stolen = try await client.send(.get, "/v2/pixverse/music/\(audioID)", token: bobToken)
            expectError(stolen, 404, "Music \(audioID) not found")
            // Bob rewriting the id to his own user id still finds nothing.
            let rewritten = "user:\(bob.id)-pixverse:a@example.com-music:\(assetID)"
            expectError(try await client.send(.get, "/v2/pixverse/music/\(rewritten)", token: bobToken), 404)
            // Alice with the wrong account email in the id.
            let wrongEmail = "user:\(alice.id)-pixverse:b@example.com-music:\(assetID)"
            expectError(try await client.send(.get, "/v2/pixverse/music/\(wrongEmail)", token: aliceToken), 404)
            let unknown = "user:\(alice.id)-pixverse:a@example.com-music:123456789012345"
            expectError(try await client.send(.get, "/v2/pixverse/music/\(unknown)", token: aliceToken), 404, "Music \(unknown) not found")
            expectError(try await client.send(.get, "/v2/pixverse/music/garbage", token: aliceToken), 404, "Music garbage not found")
        }
    }

    @Test("the list is newest first, paginated with next_offset/has_more, and filterable by email")
    func list() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "one@example.com")
            try await fixture.makeAccount(user, "two@example.com")
            var ids: [Int64] = []
            for index in 0..<5 {
                fixture.clock.advance(by: .seconds(10))
                let email = index.isMultiple(of: 2) ? "one@example.com" : "two@example.com"
                let response = try await client.create(#"{"prompt": "song \#(index)", "email": "\#(email)"}"#, token: token)
                ids.append(try #require(response.json["asset_id"] as? Int64))
            }
            let (_, otherToken) = try await fixture.makeUser("bob")

            let page1 = try await client.send(.get, "/v2/pixverse/music?limit=2", token: token)
            #expect(page1.status == .ok)
            let data1 = try #require(page1.json["data"] as? [[String: Any]])
            #expect(data1.compactMap { $0["asset_id"] as? Int64 } == [ids[4], ids[3]])
            #expect(page1.json["next_offset"] as? Int == 2)
            #expect(page1.json["has_more"] as? Bool == true)

            let page3 = try await client.send(.get, "/v2/pixverse/music?limit=2&offset=4", token: token)
            let data3 = try #require(page3.json["data"] as? [[String: Any]])
            #expect(data3.compactMap { $0["asset_id"] as? Int64 } == [ids[0]])
            #expect(page3.json["next_offset"] as? Int == 5)
            #expect(page3.json["has_more"] as? Bool == false)

            let all = try await client.send(.get, "/v2/pixverse/music", token: token)
            #expect((all.json["data"] as? [[String: Any]])?.count == 5)

            let filtered = try await client.send(.get, "/v2/pixverse/music?email=two%40example.com", token: token)
            let two = try #require(filtered.json["data"] as? [[String: Any]])
            #expect(two.compactMap { $0["asset_id"] as? Int64 } == [ids[3], ids[1]])

            let others = try await client.send(.get, "/v2/pixverse/music", token: otherToken)
            #expect((others.json["data"] as? [[String: Any]])?.isEmpty == true)
            #expect(others.json["has_more"] as? Bool == false)

            for query in ["limit=0", "limit=101", "limit=abc", "offset=-1", "offset=1.5"] {
                expectError(try await client.send(.get, "/v2/pixverse/music?\(query)", token: token), 400, String(query.prefix(while: { $0 != "=" })))
            }
        }
    }
}
