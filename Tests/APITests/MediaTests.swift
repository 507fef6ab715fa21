import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TunesmithCore

@Suite("GET /media signed links")
struct MediaTests {
    static let path = "tracks/123456789012345/track.mp3"
    static let bytes: [UInt8] = (0..<1_000).map { UInt8($0 % 251) }

    /// The path part of a signed link (the test client talks to the router directly).
    static func localPath(_ link: String) -> String {
        String(link.dropFirst("http://tunesmith.test".count))
    }

    @Test("a valid link serves the file with type, length and Accept-Ranges; HEAD too")
    func serves() async throws {
        try await withAPI { client, fixture in
            try await fixture.media.write(Data(Self.bytes), to: Self.path)
            let link = Self.localPath(fixture.signer.link(to: Self.path, now: fixture.clock.date))
            let response = try await client.send(.get, link, bytes: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "audio/mpeg")
            #expect(response.headers[.contentLength] == "1000")
            #expect(response.headers[.acceptRanges] == "bytes")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(Array(response.body.readableBytesView) == Self.bytes)
            let head = try await client.send(.head, link, bytes: nil)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == "1000")
            #expect(head.body.readableBytes == 0)
        }
    }

    @Test("single ranges answer 206 with Content-Range; past the end answers 416")
    func ranges() async throws {
        try await withAPI { client, fixture in
            try await fixture.media.write(Data(Self.bytes), to: Self.path)
            let link = Self.localPath(fixture.signer.link(to: Self.path, now: fixture.clock.date))
            func get(_ range: String) async throws -> TestResponse {
                try await client.send(.get, link, bytes: nil, headers: [.range: range])
            }
            let first = try await get("bytes=0-9")
            #expect(first.status == .partialContent)
            #expect(first.headers[.contentRange] == "bytes 0-9/1000")
            #expect(first.headers[.contentLength] == "10")
            #expect(Array(first.body.readableBytesView) == Array(Self.bytes[0...9]))

            let open = try await get("bytes=990-")
            #expect(open.status == .partialContent)
            #expect(open.headers[.contentRange] == "bytes 990-999/1000")
            #expect(Array(open.body.readableBytesView) == Array(Self.bytes[990...]))

            let suffix = try await get("bytes=-5")
            #expect(suffix.headers[.contentRange] == "bytes 995-999/1000")
            #expect(Array(suffix.body.readableBytesView) == Array(Self.bytes[995...]))

            let clamped = try await get("bytes=500-5000")
            #expect(clamped.headers[.contentRange] == "bytes 500-999/1000")
            #expect(clamped.body.readableBytes == 500)

            let beyond = try await get("bytes=1000-1010")
            expectError(beyond, 416)
            #expect(beyond.headers[.contentRange] == "bytes */1000")

            // Several ranges or nonsense: the whole file.
            #expect(try await get("bytes=0-1,5-6").status == .ok)
            #expect(try await get("pages=1-2").status == .ok)
            #expect(try await get("bytes=9-2").status == .ok)
        }
    }

    @Test("expired, tampered, missing or misplaced signatures answer 403; a signed missing file 404")
    func refuses() async throws {
        try await withAPI { client, fixture in
            try await fixture.media.write(Data(Self.bytes), to: Self.path)
            let link = Self.localPath(fixture.signer.link(to: Self.path, now: fixture.clock.date))
            let (pathPart, query) = try #require(link.split(separator: "?", maxSplits: 1).map(String.init).splitPair)

            let tamperedSig = String(link.dropLast()) + (link.hasSuffix("0") ? "1" : "0")
            expectError(try await client.send(.get, tamperedSig, bytes: nil), 403)
            let otherPath = pathPart.replacingOccurrences(of: "track.mp3", with: "track.mid") + "?" + query
            expectError(try await client.send(.get, otherPath, bytes: nil), 403)
            let later = query.replacingOccurrences(of: "expires=", with: "expires=9")
            expectError(try await client.send(.get, pathPart + "?" + later, bytes: nil), 403)
            expectError(try await client.send(.get, pathPart, bytes: nil), 403)
            expectError(try await client.send(.get, pathPart + "?expires=abc&sig=zz", bytes: nil), 403)

            fixture.clock.advance(by: .seconds(3_601))
            expectError(try await client.send(.get, link, bytes: nil), 403, "expired")

            let missing = Self.localPath(fixture.signer.link(to: "tracks/1/track.mp3", now: fixture.clock.date))
            expectError(try await client.send(.get, missing, bytes: nil), 404)
            // Even a correctly signed path that climbs out of the media folder to a real file is not served.
            let outside = fixture.media.root.deletingLastPathComponent().appendingPathComponent("tunesmith.sqlite")
            try Data("not media".utf8).write(to: outside)
            let escape = Self.localPath(fixture.signer.link(to: "../tunesmith.sqlite", now: fixture.clock.date))
            let escaped = try await client.send(.get, escape, bytes: nil)
            #expect(escaped.status.code == 403 || escaped.status.code == 404)
            #expect(escaped.json["code"] as? Int == escaped.status.code)
        }
    }
}

extension Array where Element == String {
    var splitPair: (String, String)? { count == 2 ? (self[0], self[1]) : nil }
}
