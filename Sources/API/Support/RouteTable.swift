import Hummingbird

/// A route the API serves: its method and its path pattern as the router renders it, captures in braces as in
/// an OpenAPI path template (`/v2/pixverse/music/{id}`; `/media/**` for the catch-all). HEAD is answered for
/// every GET route besides.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String

    public init(_ method: HTTPRequest.Method, _ path: String) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method.rawValue) \(path)" }
}

/// Stands in front of the router while the controllers add their routes, and remembers each one with its full
/// path: every group made from it hands its routes down to it. So each route is declared once, by the
/// controller's `get`/`post`/... call, and the method table (405 with `Allow`) and the route list are derived
/// from what was really registered.
final class RouteTable<Context: RequestContext>: RouterMethods {
    private let router: Router<Context>
    /// In registration order.
    private(set) var routes: [APIRoute] = []

    init(_ router: Router<Context>) {
        self.router = router
    }

    @discardableResult func on<Responder: HTTPResponder>(
        _ path: RouterPath, method: HTTPRequest.Method, responder: Responder
    ) -> Self where Responder.Context == Context {
        routes.append(APIRoute(method, path.description))
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    private static var knownMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options] }

    /// Answers every other method on a known path with 405 and an `Allow` header, instead of the router's 404.
    /// Registered on the router itself, outside any group, so no group middleware (auth) runs first.
    func addMethodNotAllowedResponders() {
        var allowedByPath: [(path: String, methods: [HTTPRequest.Method])] = []
        for route in routes {
            if let index = allowedByPath.firstIndex(where: { $0.path == route.path }) {
                allowedByPath[index].methods.append(route.method)
            } else {
                allowedByPath.append((route.path, [route.method]))
            }
        }
        for (path, methods) in allowedByPath {
            // HEAD is generated for every GET route by the router.
            let allowed = methods.contains(.get) ? methods + [.head] : methods
            let allowHeader = Self.knownMethods.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            for method in Self.knownMethods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw HTTPError(
                        .methodNotAllowed, headers: [.allow: allowHeader],
                        message: "Method \(request.method) is not allowed on \(request.uri.path); allowed: \(allowHeader)")
                }
            }
        }
    }
}
