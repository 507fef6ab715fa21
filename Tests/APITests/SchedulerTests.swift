import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

@Suite("Scheduler")
struct SchedulerTests {
    @Test("GET /scheduler lists this user's unfinished jobs with elapsed mm:ss")
    func running() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "me@example.com", maxJobs: 3)
            let created = try await client.create(
                #"{"prompt": "x", "replyUrl": "https://hooks.example.com/t", "replyRef": "ref"}"#, token: token)
            let audioID = try #require(created.json["audio_id"] as? String)
            fixture.clock.advance(by: .seconds(125))
            let (_, otherToken) = try await fixture.makeUser("bob")

            let response = try await client.send(.get, "/v2/pixverse/scheduler", token: token)
            #expect(response.status == .ok)
            let jobs = response.jsonArray
            #expect(jobs.count == 1)
            #expect(jobs.first?["id"] as? String == audioID)
            #expect(jobs.first?["type"] as? String == "music")
            #expect(jobs.first?["elapsed"] as? String == "02:05")
            #expect(jobs.first?["replyUrl"] as? String == "https://hooks.example.com/t")
            #expect(jobs.first?["replyRef"] as? String == "ref")
            #expect(jobs.first?["started"] is String)

            let others = try await client.send(.get, "/v2/pixverse/scheduler", token: otherToken)
            #expect(others.jsonArray.isEmpty)
            #expect(others.text == "[]")

            let available = try await client.send(.get, "/v2/pixverse/scheduler/available", token: token)
            #expect(available.status == .ok)
            #expect((available.json["executing"] as? [[String: Any]])?.count == 1)
            let slots = try #require(available.json["available"] as? [[String: Any]])
            #expect(slots.count == 1)
            #expect(slots.first?["email"] as? String == "me@example.com")
            #expect(slots.first?["maxJobs"] as? Int == 3)
            #expect(slots.first?["executing"] as? Int == 1)
            #expect(slots.first?["available"] as? Int == 2)
        }
    }

    @Test("DELETE /scheduler/<id> cancels: 204, FAILED/cancelled, credits refunded, slot freed, worker told")
    func cancel() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "me@example.com", maxJobs: 1, credits: 100)
            let created = try await client.create(#"{"prompt": "x"}"#, token: token)
            let audioID = try #require(created.json["audio_id"] as? String)
            let assetID = try #require(created.json["asset_id"] as? Int64)
            #expect(try await fixture.store.account(userID: user.id, email: "me@example.com")?.credits == 60)

            let (_, bobToken) = try await fixture.makeUser("bob")
            expectError(try await client.send(.delete, "/v2/pixverse/scheduler/\(audioID)", token: bobToken), 404)
            #expect(fixture.canceller.cancelled.isEmpty)

            let response = try await client.send(.delete, "/v2/pixverse/scheduler/\(percentEncoded(audioID))", token: token)
            #expect(response.status == .noContent, "\(response.text)")
            #expect(fixture.canceller.cancelled == [assetID])

            let track = try await client.send(.get, "/v2/pixverse/music/\(audioID)", token: token)
            #expect(track.json["audio_status_name"] as? String == "FAILED")
            #expect(track.json["audio_status"] as? Int == 8)
            #expect(track.json["status"] as? String == "failed")
            #expect(track.json["audio_status_final"] as? Bool == true)
            #expect(track.json["fail_code"] as? String == "cancelled")
            let account = try #require(try await fixture.store.account(userID: user.id, email: "me@example.com"))
            #expect(account.credits == 100)
            #expect(account.executing == 0)
            // The slot is free again.
            #expect(try await client.create(#"{"prompt": "x"}"#, token: token).status == .ok)
            // Not running any more.
            expectError(try await client.send(.delete, "/v2/pixverse/scheduler/\(audioID)", token: token), 404)
            expectError(try await client.send(.delete, "/v2/pixverse/scheduler/nonsense", token: token), 404)
        }
    }
}
