import Crypto
import Foundation
import Hummingbird
import TunesmithCore

/// The studio page's files, ready to serve: the embedded sources (`StudioFiles`, generated from `Studio/`) with
/// their content types, ETags and cache rules, and the page's Content-Security-Policy.
///
/// The files are compiled into the binary rather than shipped as SwiftPM resources: on Linux `Bundle.module`
/// stops the process when the `*.resources` folder is not beside the executable, and a copied binary (the
/// usual way to install one) must still serve its page. `scripts/embed-studio.py` regenerates the Swift file;
/// `StudioPageTests` fails when it differs from `Studio/`.
struct StudioPage: Sendable {
    struct Asset: Sendable {
        var body: ByteBuffer
        var contentType: String
        /// Strong validator: a hash of the bytes.
        var etag: String
        /// `?v=` value of the page's links to it; a request carrying it may be cached for good.
        var version: String
    }

    /// The page itself (`GET /`), its links to the assets carrying their versions.
    let index: Asset
    /// `GET /studio/<name>`.
    let assets: [String: Asset]
    let contentSecurityPolicy: String

    static let indexName = "index.html"

    /// `mediaBaseURL` is where signed media links point (`--base-url`): the player and the lyrics load from it,
    /// so the policy allows its origin besides the page's own.
    init(files: [String: String] = StudioFiles.all, mediaBaseURL: String) {
        var assets: [String: Asset] = [:]
        for (name, text) in files where name != Self.indexName {
            assets[name] = Self.asset(Data(text.utf8), name: name)
        }
        // Versioned links: a new build changes the URL, so the assets can be cached as immutable.
        var page = files[Self.indexName] ?? ""
        for (name, asset) in assets {
            page = page.replacingOccurrences(of: "\"studio/\(name)\"", with: "\"studio/\(name)?v=\(asset.version)\"")
        }
        self.index = Self.asset(Data(page.utf8), name: Self.indexName)
        self.assets = assets
        self.contentSecurityPolicy = Self.policy(mediaOrigin: Self.origin(of: mediaBaseURL))
    }

    private static func asset(_ data: Data, name: String) -> Asset {
        let hash = Hex.encode(SHA256.hash(data: data)).prefix(20)
        return Asset(
            body: ByteBuffer(bytes: data), contentType: MediaContentType.forExtension((name as NSString).pathExtension),
            etag: "\"\(hash)\"", version: String(hash.prefix(12)))
    }

    /// `scheme://host[:port]` of a URL, or nil when it has none.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Nothing from anywhere but this server: no inline script or style, no frames, no plugins, no form posts
    /// elsewhere. Images may be `blob:` (thumbnails of images being uploaded).
    static func policy(mediaOrigin: String?) -> String {
        let media = ["'self'", mediaOrigin].compactMap { $0 }.joined(separator: " ")
        return [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src \(media) blob:",
            "media-src \(media)", "connect-src \(media)", "manifest-src 'self'", "form-action 'self'",
            "frame-ancestors 'none'", "base-uri 'none'",
        ].joined(separator: "; ")
    }

    /// The response for `asset`: 304 when the client's copy is current. `immutable` when the request named the
    /// current version (the page links that way), else revalidated on every use.
    func response(for asset: Asset, request: Request, immutable: Bool) -> Response {
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .eTag: asset.etag,
            .cacheControl: immutable ? "public, max-age=31536000, immutable" : "no-cache",
            .xContentTypeOptions: "nosniff",
        ]
        headers[.init("Referrer-Policy")!] = "no-referrer"
        if asset.contentType.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] = contentSecurityPolicy
        }
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(asset.body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}

/// `GET /` (the studio page) and `GET /studio/<file>` (its script, styles and icon); no token: the page signs in
/// with the token the user gives it, in the browser.
struct StudioController {
    let page: StudioPage

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/") { request, _ in page.response(for: page.index, request: request, immutable: false) }
        router.get("studio/:file", use: asset)
    }

    @Sendable func asset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("file")
        guard let asset = page.assets[name] else { throw APIError(404, "No studio file \(name.prefix(100))") }
        let version = request.uri.queryParameters["v"].map(String.init)
        return page.response(for: asset, request: request, immutable: version == asset.version)
    }
}
