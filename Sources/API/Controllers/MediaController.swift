import Foundation
import Hummingbird
import Storage
import TunesmithCore

/// `GET /media/<path>?expires=&sig=`: signed, expiring links to media files (no token, so `<audio>` elements
/// and curl can play them), with single byte-range support for seeking.
struct MediaController {
    let dependencies: APIDependencies
    private let fileIO = FileIO()

    init(dependencies: APIDependencies) {
        self.dependencies = dependencies
    }

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

        let notFound = APIError(404, "Media \(path.prefix(200)) not found")
        guard let location = dependencies.media.url(for: path),
            let attributes = try? FileManager.default.attributesOfItem(atPath: location.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { throw notFound }

        var headers: HTTPFields = [
            .contentType: MediaContentType.forExtension(location.pathExtension),
            .acceptRanges: "bytes",
            .cacheControl: "private, max-age=3600",
        ]
        switch ByteRangeRequest(header: request.headers[.range], fileSize: size) {
        case .unsatisfiable:
            throw HTTPError(
                .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)"],
                message: "Range \(request.headers[.range]?.prefix(60) ?? "") is outside the file (\(size) bytes)")
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await fileIO.loadFile(path: location.path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        case .whole:
            headers[.contentLength] = String(size)
            guard size > 0 else { return Response(status: .ok, headers: headers) }
            let body = try await fileIO.loadFile(path: location.path, context: context)
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
