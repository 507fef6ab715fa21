import Hummingbird
import TunesmithCore

/// The context of every request; `user` is set by `BearerAuthMiddleware` on the authenticated routes.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.user = nil
    }
}

/// The context of the contract's routes: there is always a user, so handlers need no optional checks.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let user: User

    public init(context: AppRequestContext) throws {
        guard let user = context.user else { throw APIError.unauthorized }
        self.coreContext = context.coreContext
        self.user = user
    }
}
