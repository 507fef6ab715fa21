import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

@Suite("Health, metrics, models and routing errors")
struct ServiceRoutesTests {
    @Test("/healthz answers without a token")
    func health() async throws {
        try await withAPI { client, _ in
            let response = try await client.send(.get, "/healthz", bytes: nil)
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "ok")
        }
    }

    @Test("/metrics shows requests by route and status and jobs by state")
    func metrics() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            _ = try await client.create(#"{"prompt": "x"}"#, token: token)
            _ = try await client.create(#"{"prompt": "x"}"#, token: token)
            _ = try await client.create(#"{}"#, token: token)
            _ = try await client.send(.get, "/nowhere", bytes: nil)
            let response = try await client.send(.get, "/metrics", bytes: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains(#"tunesmith_http_requests_total{route="/v2/pixverse/music/create",method="POST",status="200"} 2"#), "\(text)")
            #expect(text.contains(#"tunesmith_http_requests_total{route="/v2/pixverse/music/create",method="POST",status="400"} 1"#))
            #expect(text.contains(#"tunesmith_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
            #expect(text.contains(#"tunesmith_jobs{state="queued"} 2"#))
            #expect(text.contains(#"tunesmith_jobs{state="completed"} 0"#))
        }
    }

    @Test("/models lists every model with its limits, cost and backend")
    func models() async throws {
        try await withAPI { client, fixture in
            let (_, token) = try await fixture.makeUser()
            let response = try await client.send(.get, "/v2/pixverse/models", token: token)
            #expect(response.status == .ok)
            let models = try #require(response.json["models"] as? [[String: Any]])
            #expect(models.compactMap { $0["model"] as? String } == MusicModel.allCases.map(\.rawValue))
            let lyria = try #require(models.first { $0["model"] as? String == "lyria-3-pro-preview" })
            #expect(lyria["prompt_max"] as? Int == 5_000)
            #expect(lyria["custom_lyrics"] as? Bool == false)
            #expect(lyria["max_images"] as? Int == 10)
            #expect(lyria["credits"] as? Int == 20)
            #expect(lyria["backend"] as? String == "local")
            #expect(models.first?["default"] as? Bool == true)
        }
    }

    @Test("unknown routes answer JSON 404; wrong methods JSON 405 with Allow")
    func routing() async throws {
        try await withAPI { client, fixture in
            let (_, token) = try await fixture.makeUser()
            // (`/` is the studio page.)
            expectError(try await client.send(.get, "/nothing-here", bytes: nil), 404)
            expectError(try await client.send(.get, "/v2/pixverse/nothing", token: token), 404)
            let wrong = try await client.send(.get, "/v2/pixverse/music/create", token: token)
            expectError(wrong, 405)
            #expect(wrong.headers[.allow] == "POST")
            expectError(try await client.send(.put, "/v2/pixverse/music/abc", token: token, body: "{}"), 405)
            expectError(try await client.send(.post, "/healthz", body: "{}"), 405)
            let noToken = try await client.send(.patch, "/v2/pixverse/accounts/a@example.com", body: "{}")
            expectError(noToken, 405)
            #expect(noToken.headers[.allow] == "GET, HEAD, POST, DELETE")
        }
    }
}

@Suite("Over a real socket")
struct LiveServerTests {
    @Test("raw ':' and '@' in a path survive the HTTP parser, and an oversized body is a JSON 413")
    func rawIDsAndLimits() async throws {
        let fixture = try Fixture(limits: APILimits(maxBodyBytes: 2_048))
        defer { fixture.remove() }
        let app = buildApplication(
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), dependencies: fixture.dependencies)
        try await app.test(.live) { client in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "live@example.com")
            let created = try await client.create(#"{"prompt": "x"}"#, token: token)
            let audioID = try #require(created.json["audio_id"] as? String)
            let raw = try await client.send(.get, "/v2/pixverse/music/\(audioID)", token: token)
            #expect(raw.status == .ok, "\(raw.text)")
            #expect(raw.json["audio_id"] as? String == audioID)
            let big = try await client.create(#"{"prompt": "\#(String(repeating: "a", count: 5_000))"}"#, token: token)
            expectError(big, 413)
        }
    }
}
