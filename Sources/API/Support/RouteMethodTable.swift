import Hummingbird

/// Remembers which methods each route path answers, so other methods on a known path get 405 (with an
/// `Allow` header) instead of the router's 404.
struct RouteMethodTable {
    private var methodsByPath: [(path: String, methods: [HTTPRequest.Method])] = []

    /// Every recorded path with its methods, in the order they were recorded.
    var routes: [(path: String, methods: [HTTPRequest.Method])] { methodsByPath }

    mutating func record(_ path: String, _ methods: HTTPRequest.Method...) {
        if let index = methodsByPath.firstIndex(where: { $0.path == path }) {
            methodsByPath[index].methods.append(contentsOf: methods)
        } else {
            methodsByPath.append((path, methods))
        }
    }

    private static let knownMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    func addMethodNotAllowedResponders(to router: Router<AppRequestContext>) {
        for (path, methods) in methodsByPath {
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
