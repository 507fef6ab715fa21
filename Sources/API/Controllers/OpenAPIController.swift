import Hummingbird

/// `GET /openapi.json` (no token): the contract as an OpenAPI 3.1 document.
struct OpenAPIController {
    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("openapi.json") { _, _ in JSONResponse.make(data: OpenAPIDocument.data) }
    }
}
