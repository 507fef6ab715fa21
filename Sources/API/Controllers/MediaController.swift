import Foundation
import Hummingbird
import Storage
import TunesmithCore

/// `GET /media/<path>?expires=&sig=`: signed, expiring links to media files (no token, so `<audio>` elements
/// and curl can play them), with single byte-range support for seeking. The file is streamed from the media
/// store (a folder, or the database's chunks) piece by piece.
struct MediaController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AppRequestContext>) {
        group.get("**", use: serve)
    }

    @Sendable func serve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let raw = context.parameters.getCatchAll().joined(separator: "/")
        let path = raw.removingPercentEncoding ?? raw
        let query = request.uri.queryParameters
        guard let expiresText = query["expires"], let expires = Int64(expiresText), let signature = query["sig"],
            dependencies.signer.verify(path: path, expires: expires, signature: String(signature), now: dependencies.now())
        else { throw APIError(403, "Media link is invalid or has expired") }

        let media = dependencies.media
        guard let size = try await media.size(of: path) else { throw APIError(404, "Media \(path.prefix(200)) not found") }

        var headers: HTTPFields = [
            .contentType: MediaContentType.forExtension(URL(fileURLWithPath: path).pathExtension),
            .acceptRanges: "bytes",
            .cacheControl: "private, max-age=3600",
            // The link is the credential, so any page may read what it names: the studio fetches lyrics (LRC)
            // from --base-url, which is another origin when the page was opened under another name.
            .accessControlAllowOrigin: "*",
        ]
        switch ByteRangeRequest(header: request.headers[.range], fileSize: size) {
        case .unsatisfiable:
            throw HTTPError(
                .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)"],
                message: "Range \(request.headers[.range]?.prefix(60) ?? "") is outside the file (\(size) bytes)")
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            return Response(status: .partialContent, headers: headers, body: Self.body(media, path, range))
        case .whole:
            headers[.contentLength] = String(size)
            guard size > 0 else { return Response(status: .ok, headers: headers) }
            return Response(status: .ok, headers: headers, body: Self.body(media, path, 0...(size - 1)))
        }
    }

    /// Streams `range` of the file as the store hands it over.
    private static func body(_ media: any MediaStore, _ path: String, _ range: ClosedRange<Int>) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            try await media.read(path, range: range) { try await writer.write($0) }
            try await writer.finish(nil)
        }
    }
}
