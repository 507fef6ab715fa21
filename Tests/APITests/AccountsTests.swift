import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

@Suite("Accounts")
struct AccountsTests {
    @Test("POST creates (201), GET reads one and all, DELETE removes (204)")
    func lifecycle() async throws {
        try await withAPI { client, fixture in
            let (_, token) = try await fixture.makeUser()
            let empty = try await client.send(.get, "/v2/pixverse/accounts", token: token)
            expectError(empty, 404, "Configuration not found. To create configuration use POST /accounts/email.")

            let created = try await client.send(
                .post, "/v2/pixverse/accounts/me@example.com", token: token,
                body: #"{"email": "me@example.com", "password": "hunter2", "maxJobs": 3, "credits": 500}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["email"] as? String == "me@example.com")
            #expect(created.json["maxJobs"] as? Int == 3)
            #expect(created.json["credits"] as? Int == 500)
            #expect(created.json["executing"] as? Int == 0)
            #expect(created.json["password"] as? String == "…secured…")
            #expect(created.json["created_at"] is String)
            #expect(created.json["error"] == nil)
            #expect(!created.text.contains("hunter2"))

            let unlimited = try await client.send(
                .post, "/v2/pixverse/accounts/other%40example.com", token: token, body: #"{"maxJobs": 1}"#)
            #expect(unlimited.status == .created, "\(unlimited.text)")
            #expect(unlimited.json.keys.contains("credits"))
            #expect(unlimited.json["credits"] is NSNull)

            let one = try await client.send(.get, "/v2/pixverse/accounts/me@example.com", token: token)
            #expect(one.status == .ok)
            #expect(one.json["maxJobs"] as? Int == 3)
            #expect(one.json["password"] == nil)

            let all = try await client.send(.get, "/v2/pixverse/accounts", token: token)
            #expect(Set(all.json.keys) == ["me@example.com", "other@example.com"])

            let (_, bobToken) = try await fixture.makeUser("bob")
            expectError(try await client.send(.get, "/v2/pixverse/accounts/me@example.com", token: bobToken), 404, "Account me@example.com not found")
            expectError(try await client.send(.delete, "/v2/pixverse/accounts/me@example.com", token: bobToken), 404)

            let deleted = try await client.send(.delete, "/v2/pixverse/accounts/me@example.com", token: token)
            #expect(deleted.status == .noContent)
            expectError(try await client.send(.get, "/v2/pixverse/accounts/me@example.com", token: token), 404)
        }
    }

    @Test("the account shows its pending error until it is re-POSTed")
    func pendingError() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "me@example.com")
            try await fixture.store.markAccountError(userID: user.id, email: "me@example.com", message: "credentials rejected")
            let one = try await client.send(.get, "/v2/pixverse/accounts/me@example.com", token: token)
            #expect(one.json["error"] as? String == "credentials rejected")
            _ = try await client.send(.post, "/v2/pixverse/accounts/me@example.com", token: token, body: #"{"maxJobs": 2}"#)
            let cleared = try await client.send(.get, "/v2/pixverse/accounts/me@example.com", token: token)
            #expect(cleared.json["error"] == nil)
        }
    }

    static let invalid: [(path: String, body: String, fragment: String)] = [
        ("not-an-email", #"{"maxJobs": 1}"#, "email"),
        ("a@b", #"{"maxJobs": 1}"#, "email"),
        ("me@example.com", #"{"email": "you@example.com", "maxJobs": 1}"#, "email: must equal"),
        ("me@example.com", #"{}"#, "maxJobs: is required"),
        ("me@example.com", #"{"maxJobs": 0}"#, "maxJobs"),
        ("me@example.com", #"{"maxJobs": 9}"#, "maxJobs"),
        ("me@example.com", #"{"maxJobs": "two"}"#, "maxJobs"),
        ("me@example.com", #"{"maxJobs": 1.5}"#, "maxJobs"),
        ("me@example.com", #"{"maxJobs": 1, "credits": -1}"#, "credits"),
        ("me@example.com", #"{"maxJobs": 1, "credits": "lots"}"#, "credits"),
        ("me@example.com", #"{"maxJobs": 1, "password": 1234}"#, "password"),
    ]

    @Test("invalid account bodies answer 400 naming the field", arguments: invalid.indices)
    func validation(index: Int) async throws {
        let (path, body, fragment) = Self.invalid[index]
        try await withAPI { client, fixture in
            let (_, token) = try await fixture.makeUser()
            let response = try await client.send(.post, "/v2/pixverse/accounts/\(path)", token: token, body: body)
            expectError(response, 400, fragment)
        }
    }
}
