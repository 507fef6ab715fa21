import API
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOPosix
import Testing
import TunesmithCore

@Suite("POST /files")
struct FilesTests {
    static let accepted: [(name: String, bytes: [UInt8], type: String, ext: String)] = [
        ("png", RealTestImages.png(width: 3, height: 2), "image/png", "png"),
        ("jpeg", RealTestImages.jpeg(width: 640, height: 480), "image/jpeg", "jpg"),
        ("gif", RealTestImages.gif(width: 40, height: 30), "image/gif", "gif"),
        ("webp lossy", RealTestImages.webpLossy(width: 30, height: 20), "image/webp", "webp"),
        ("webp lossless", RealTestImages.webpLossless(width: 1, height: 1), "image/webp", "webp"),
        ("webp extended", RealTestImages.webpExtended(width: 4096, height: 100), "image/webp", "webp"),
    ]

    @Test("each accepted format is stored under upload/<uuid>.<ext> with a signed link", arguments: accepted.indices)
    func accepts(index: Int) async throws {
        let image = Self.accepted[index]
        try await withAPI { client, fixture in
            let (_, token) = try await fixture.makeUser()
            let response = try await client.send(
                .post, "/v2/pixverse/files", token: token, bytes: image.bytes, contentType: image.type,
                headers: [.contentDisposition: "attachment; filename=\"../cover art.\(image.ext)\""])
            #expect(response.status == .ok, "\(image.name): \(response.text)")
            let item = try #require((response.json["result"] as? [[String: Any]])?.first)
            #expect(Set(item.keys) == ["id", "url", "path", "size", "name", "category", "err_msg"])
            let path = try #require(item["path"] as? String)
            #expect(path.hasPrefix("upload/") && path.hasSuffix(".\(image.ext)"))
            #expect(UUID(uuidString: String(path.dropFirst(7).dropLast(image.ext.count + 1))) != nil)
            #expect(item["size"] as? Int == image.bytes.count)
            #expect(item["name"] as? String == "cover art.\(image.ext)")
            #expect(item["category"] as? Int == 0)
            #expect(item["err_msg"] as? String == "")
            // The link serves the same bytes, without a token.
            let url = try #require(item["url"] as? String)
            #expect(url.hasPrefix("http://tunesmith.test/media/\(path)?expires="))
            let served = try await client.send(.get, String(url.dropFirst("http://tunesmith.test".count)), bytes: nil)
            #expect(served.status == .ok)
            #expect(Array(served.body.readableBytesView) == image.bytes)
            #expect(served.headers[.contentType] == image.type)
        }
    }

    /// Decoding every pixel of an image (up to 4096 x 4096) is CPU work that must not run on the concurrency pool.
    /// Proof by routing: with the blocking-work pool stopped (as while the server shuts down) nothing is decoded or
    /// stored, and the upload is refused with 503.
    @Test func imagesAreDecodedOnTheBlockingWorkPool() async throws {
        try await withAPI(configure: { $0.blockingWork = NIOThreadPool(numberOfThreads: 1) }) { client, fixture in
            let (_, token) = try await fixture.makeUser()
            let response = try await client.send(
                .post, "/v2/pixverse/files", token: token, bytes: RealTestImages.png(width: 64, height: 64),
                contentType: "image/png")
            expectError(response, 503)
            let stored = try FileManager.default.contentsOfDirectory(
                atPath: fixture.media.root.appendingPathComponent("upload").path)
            #expect(stored.isEmpty)
        }
    }

    @Test("the same bytes uploaded twice by a user give the same upload; another user gets their own")
    func deduplicates() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            let (_, bobToken) = try await fixture.makeUser("bob")
            let bytes = TestImages.png(width: 8, height: 8)
            let first = try await upload(bytes, "image/png", client: client, token: token)
            let second = try await upload(bytes, "image/png", client: client, token: token)
            let bobs = try await upload(bytes, "image/png", client: client, token: bobToken)
            #expect(first == second)
            #expect(bobs != first)
            #expect(try await fixture.store.upload(userID: user.id, path: first) != nil)
            let files = try FileManager.default.contentsOfDirectory(atPath: fixture.media.root.appendingPathComponent("upload").path)
            #expect(files.filter { !$0.hasPrefix(".") }.count == 2)
        }
    }

    @Test("forged, unknown, empty, oversized and too-large-dimension images are refused")
    func refuses() async throws {
        try await withAPI(limits: APILimits(maxUploadBytes: 4_096, maxImageSide: 4_096)) { client, fixture in
            let (user, token) = try await fixture.makeUser()
            func post(_ bytes: [UInt8], _ type: String?, query: String = "") async throws -> TestResponse {
                try await client.send(.post, "/v2/pixverse/files\(query)", token: token, bytes: bytes, contentType: type)
            }
            expectError(try await post(TestImages.gif(width: 2, height: 2), "image/png"), 415, "GIF")
            expectError(try await post(TestImages.png(width: 2, height: 2), "image/webp"), 415, "PNG")
            expectError(try await post(Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8), "image/svg+xml"), 415)
            expectError(try await post(TestImages.png(width: 2, height: 2), "text/plain"), 415)
            expectError(try await post(TestImages.png(width: 2, height: 2), nil), 415)
            expectError(try await post(Array("not an image at all".utf8), "image/png"), 400, "PNG")
            expectError(try await post(Array(TestImages.png(width: 2, height: 2).prefix(16)), "image/png"), 400)
            expectError(try await post(Array(TestImages.jpeg(width: 2, height: 2).prefix(30)), "image/jpeg"), 400)
            expectError(try await post([], "image/png"), 400, "empty")
            expectError(try await post(TestImages.png(width: 5_000, height: 10), "image/png"), 400, "4096")
            expectError(try await post(TestImages.jpeg(width: 10, height: 4_097), "image/jpeg"), 400, "4096")
            expectError(try await post(TestImages.webp(width: 16_384, height: 2, kind: .lossless), "image/webp"), 400)
            expectError(try await post(TestImages.png(width: 0, height: 10), "image/png"), 400)
            var big = TestImages.png(width: 1, height: 1)
            big += [UInt8](repeating: 0, count: 5_000)
            expectError(try await post(big, "image/png"), 413)
            expectError(try await post(TestImages.png(width: 1, height: 1), "image/png", query: "?email=ghost@example.com"), 404)
            try await fixture.makeAccount(user, "me@example.com")
            #expect(try await post(TestImages.png(width: 1, height: 1), "image/png", query: "?email=me@example.com").status == .ok)
        }
    }

    /// Bytes whose header is right but whose image data is not: only decoding every pixel catches them.
    static var forged: [(name: String, bytes: [UInt8], type: String)] {
        let png = RealTestImages.png(width: 32, height: 32)
        let jpeg = RealTestImages.jpeg(width: 32, height: 32)
        let gif = RealTestImages.gif(width: 32, height: 32)
        let webp = RealTestImages.webpLossy(width: 32, height: 32)
        let noise = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) }
        return [
            ("png header + noise", Array(png.prefix(33)) + noise, "image/png"),
            ("png cut in half", Array(png.prefix(png.count / 2)), "image/png"),
            ("jpeg header + noise", Array(jpeg.prefix(200)) + noise, "image/jpeg"),
            ("gif header + noise", Array(gif.prefix(13)) + noise, "image/gif"),
            ("webp header + noise", Array(webp.prefix(30)) + noise, "image/webp"),
            ("webp headers only", TestImages.webp(width: 30, height: 20, kind: .lossy), "image/webp"),
        ]
    }

    @Test("forged content behind a valid header is a 400 that says it cannot be decoded", arguments: forged.indices)
    func refusesForgedContent(index: Int) async throws {
        let forged = Self.forged[index]
        try await withAPI { client, fixture in
            let (_, token) = try await fixture.makeUser()
            let response = try await client.send(
                .post, "/v2/pixverse/files", token: token, bytes: forged.bytes, contentType: forged.type)
            expectError(response, 400, "cannot be decoded")
            // Nothing is kept of a refused upload.
            let folder = fixture.media.root.appendingPathComponent("upload").path
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            #expect(files.filter { !$0.hasPrefix(".") }.isEmpty, "\(forged.name)")
        }
    }
}
