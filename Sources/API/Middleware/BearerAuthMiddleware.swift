import Hummingbird
import TunesmithCore

/// `Authorization: Bearer <token>` -> the token's user (tokens are stored only as hashes), else 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any TunesmithStore

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], let token = BearerToken.parse(header),
            let user = try await store.user(tokenHash: Token.hash(token))
        else { throw APIError.unauthorized }
        var context = context
        context.user = user
        return try await next(request, context)
    }
}

/// The token of an `Authorization` header value: the scheme `Bearer` (any case), spaces, then the token
/// (spaces and tabs around it ignored); nil for any other scheme, an empty token or one over 512 bytes.
///
/// Read byte by byte: this runs on every request, and Foundation's `trimmingCharacters` and friends cost more
/// on Linux than the rest of the check together (the token's user is usually cached).
enum BearerToken {
    static let maxBytes = 512
    private static let scheme = Array("bearer".utf8)

    static func parse(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == UInt8(ascii: " ") { start += 1 }
        guard bytes.count - start > scheme.count else { return nil }
        for (offset, letter) in scheme.enumerated() where bytes[start + offset] | 0x20 != letter { return nil }
        start += scheme.count
        guard bytes[start] == UInt8(ascii: " ") else { return nil }
        var end = bytes.endIndex
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        guard start < end, end - start <= maxBytes else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
