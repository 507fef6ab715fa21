import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real HTTP response, body read in full.
struct LiveResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The body as a JSON object (empty when it is not one).
    var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: any Sendable]) ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Talks to a running server over loopback, like any client of the API would.
struct LiveClient: Sendable {
    var baseURL: String
    var token: String?

    func send(
        _ method: HTTPMethod, _ path: String, json: [String: any Sendable]? = nil, headers: [(String, String)] = [],
        authorized: Bool = true
    ) async throws -> LiveResponse {
        let url = path.hasPrefix("http") ? path : baseURL + path
        var request = HTTPClientRequest(url: url)
        request.method = method
        if authorized, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "application/json")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return LiveResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    func create(_ fields: [String: any Sendable]) async throws -> LiveResponse {
        try await send(.POST, "/v2/pixverse/music/create", json: fields)
    }

    func track(_ audioID: String) async throws -> LiveResponse {
        try await send(.GET, "/v2/pixverse/music/\(audioID)")
    }

    /// Polls `GET music/<id>` until `until` holds for the track JSON, or fails at the deadline.
    func waitForTrack(
        _ audioID: String, timeout: Duration = .seconds(120), every interval: Duration = .milliseconds(50),
        until condition: ([String: any Sendable]) -> Bool
    ) async throws -> [String: any Sendable] {
        let deadline = ContinuousClock.now + timeout
        var last: [String: any Sendable] = [:]
        while ContinuousClock.now < deadline {
            let response = try await track(audioID)
            if response.status == 200 {
                last = response.json
                if condition(last) { return last }
            }
            try await Task.sleep(for: interval)
        }
        throw LiveTestFailure("track \(audioID) never reached the expected state; last seen: \(last)")
    }

    func waitUntilFinal(_ audioID: String, timeout: Duration = .seconds(120)) async throws -> [String: any Sendable] {
        try await waitForTrack(audioID, timeout: timeout, every: .milliseconds(200)) {
            $0["audio_status_final"] as? Bool == true
        }
    }

    /// Remaining credits of an account (nil = unlimited).
    func credits(of email: String) async throws -> Int? {
        let response = try await send(.GET, "/v2/pixverse/accounts/\(email)")
        guard response.status == 200 else {
            throw LiveTestFailure("GET accounts/\(email) answered \(response.status): \(response.text)")
        }
        return response.json["credits"] as? Int
    }
}

extension Dictionary where Key == String, Value == any Sendable {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { self[key] as? Int }
}
