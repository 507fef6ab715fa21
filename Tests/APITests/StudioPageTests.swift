import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

/// `GET /` and `/studio/<file>`: served from the copy compiled into the binary, with the headers a page needs.
@Suite("Studio page")
struct StudioPageTests {
    /// The page's source files (`Studio/` at the package root).
    static let sourceFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Studio")

    static func sources() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: sourceFolder.path)
            .filter { !$0.hasPrefix(".") }
        return try Dictionary(uniqueKeysWithValues: names.map {
            ($0, try String(contentsOf: sourceFolder.appendingPathComponent($0), encoding: .utf8))
        })
    }

    /// The assets the page links to, with the version each link carries (`studio/<name>?v=<version>`).
    static func linkedVersions(in page: String) -> [String: String] {
        var versions: [String: String] = [:]
        for match in page.matches(of: /"studio\/([a-z.]+)\?v=([0-9a-f]+)"/) {
            versions[String(match.output.1)] = String(match.output.2)
        }
        return versions
    }

    @Test("the binary serves exactly the files in Studio/ (run scripts/embed-studio.py after editing them)")
    func embeddedCopyEqualsTheSourceFiles() async throws {
        let sources = try Self.sources()
        #expect(Set(sources.keys) == ["index.html", "studio.css", "studio.js", "icon.svg"])
        try await withAPI { client, _ in
            let page = try await client.send(.get, "/", bytes: nil)
            #expect(page.status == .ok)
            let versions = Self.linkedVersions(in: page.text)
            #expect(Set(versions.keys) == Set(sources.keys).subtracting(["index.html"]))
            // The page is the source with versions added to its links, nothing else.
            var unversioned = page.text
            for (name, version) in versions {
                unversioned = unversioned.replacingOccurrences(of: "studio/\(name)?v=\(version)", with: "studio/\(name)")
            }
            #expect(unversioned == sources["index.html"], "Studio/index.html changed: run python3 scripts/embed-studio.py")
            for (name, text) in sources where name != "index.html" {
                let asset = try await client.send(.get, "/studio/\(name)", bytes: nil)
                #expect(asset.status == .ok)
                #expect(asset.text == text, "Studio/\(name) changed: run python3 scripts/embed-studio.py")
            }
        }
    }

    @Test("the page: no token, HTML, revalidated, strict Content-Security-Policy")
    func pageHeaders() async throws {
        try await withAPI { client, _ in
            let page = try await client.send(.get, "/", bytes: nil)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.cacheControl] == "no-cache")
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("script-src 'self';"))
            #expect(policy.contains("style-src 'self';"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe"))
            // Media links point at --base-url, which may differ from the address the page was opened on.
            #expect(policy.contains("media-src 'self' http://tunesmith.test;"))
            #expect(policy.contains("connect-src 'self' http://tunesmith.test;"))

            let etag = try #require(page.headers[.eTag])
            let again = try await client.send(.get, "/", bytes: nil, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            let changed = try await client.send(.get, "/", bytes: nil, headers: [.ifNoneMatch: "\"other\""])
            #expect(changed.status == .ok)

            let head = try await client.send(.head, "/", bytes: nil)
            #expect(head.status == .ok)
            #expect(head.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test("assets: immutable under their current version, revalidated otherwise, 404 for anything else")
    func assetCaching() async throws {
        try await withAPI { client, _ in
            let versions = Self.linkedVersions(in: try await client.send(.get, "/", bytes: nil).text)
            let version = try #require(versions["studio.js"])
            let current = try await client.send(.get, "/studio/studio.js?v=\(version)", bytes: nil)
            #expect(current.status == .ok)
            #expect(current.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(current.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let old = try await client.send(.get, "/studio/studio.js?v=0000", bytes: nil)
            #expect(old.headers[.cacheControl] == "no-cache")
            #expect(try await client.send(.get, "/studio/studio.css", bytes: nil).headers[.contentType] == "text/css; charset=utf-8")
            #expect(try await client.send(.get, "/studio/icon.svg", bytes: nil).headers[.contentType] == "image/svg+xml")

            expectError(try await client.send(.get, "/studio/missing.js", bytes: nil), 404)
            expectError(try await client.send(.get, "/studio/..%2Fsecret.key", bytes: nil), 404)
            expectError(try await client.send(.post, "/", body: "{}"), 405)
        }
    }

    @Test("nothing is loaded from anywhere else: no CDN, fonts or trackers")
    func noThirdPartyReferences() throws {
        for (name, text) in try Self.sources() {
            // The SVG namespace is an identifier, not a download.
            let stripped = text.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!stripped.contains("http://") && !stripped.contains("https://"), "\(name) names another site")
            #expect(!stripped.contains("@import") && !stripped.contains("@font-face"), "\(name) loads styles or fonts")
            #expect(!stripped.contains("src=\"//") && !stripped.contains("href=\"//"), "\(name) names another site")
        }
    }

    @Test("the event stream needs the bearer token like every contract route")
    func eventsNeedAToken() async throws {
        try await withAPI { client, _ in
            expectError(try await client.send(.get, "/v2/pixverse/events", bytes: nil), 401, "Unauthorized")
            expectError(try await client.send(.post, "/v2/pixverse/events", body: "{}"), 405)
        }
    }
}
