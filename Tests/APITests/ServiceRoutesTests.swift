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
            expectError(try await client.send(.get, "/", bytes: nil), 404)
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

    @Test("the route list names every served route once; each answers its method and 405s the others")
    func routeList() async throws {
        try await withAPI { client, fixture in
            let routes = buildRoutes(fixture.dependencies).routes
            #expect(routes.map(\.description).sorted() == [
                "DELETE /v2/pixverse/accounts/{email}", "DELETE /v2/pixverse/scheduler/{id}", "GET /healthz",
                "GET /media/**", "GET /metrics", "GET /v2/pixverse/accounts", "GET /v2/pixverse/accounts/{email}",
                "GET /v2/pixverse/models", "GET /v2/pixverse/music", "GET /v2/pixverse/music/{id}",
                "GET /v2/pixverse/scheduler", "GET /v2/pixverse/scheduler/available",
                "POST /v2/pixverse/accounts/{email}", "POST /v2/pixverse/files", "POST /v2/pixverse/music/create",
            ])
            let (_, token) = try await fixture.makeUser()
            for route in routes {
                let path = route.path.replacingOccurrences(of: "{id}", with: "x")
                    .replacingOccurrences(of: "{email}", with: "a@example.com").replacingOccurrences(of: "**", with: "x")
                // Matched: whatever the handler answers, it is not the router's "no route" 404 or a 405.
                let answered = try await client.send(route.method, path, token: token, body: "{}")
                #expect(answered.status != .methodNotAllowed, "\(route)")
                #expect((answered.json["error"] as? String)?.hasPrefix("No route") != true, "\(route): \(answered.text)")
                // Any method the path does not list is a 405 naming exactly the listed ones (HEAD with GET).
                var allowed = routes.filter { $0.path == route.path }.map(\.method)
                if allowed.contains(.get) { allowed.append(.head) }
                let other = try await client.send(.patch, path, token: token, body: "{}")
                expectError(other, 405)
                #expect(Set(other.headers[.allow]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
                    == Set(allowed.map(\.rawValue)), "\(route)")
            }
        }
    }
}

@Suite("Over a real socket")
struct LiveServerTests {
    @Test("raw ':' and '@' in a path survive the HTTP parser, and an oversized body is a JSON 413")
    func rawIDsAndLimits() async throws {
        try await withAPI(limits: APILimits(maxBodyBytes: 2_048), over: .live) { client, fixture in
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
