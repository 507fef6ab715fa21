import Hummingbird

/// `GET /openapi.json` (no token): the contract as an OpenAPI 3.1 document.
struct OpenAPIController {
    func addRoutes(to router: Router<AppRequestContext>, table: inout RouteMethodTable) {
        router.get("openapi.json") { _, _ in JSONResponse.make(data: OpenAPIDocument.data) }
        table.record("/openapi.json", .get)
    }
}
