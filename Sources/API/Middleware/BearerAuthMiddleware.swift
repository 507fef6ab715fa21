import Hummingbird
import TunesmithCore

/// `Authorization: Bearer <token>` -> the token's user (tokens are stored only as hashes), else 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any TunesmithStore

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 512,
            let user = try await store.user(tokenHash: Token.hash(token))
        else { throw APIError.unauthorized }
        var context = context
        context.user = user
        return try await next(request, context)
    }
}
