import Hummingbird
import TunesmithCore

/// `GET /healthz` (liveness) and `GET /metrics` (Prometheus text); neither needs a token.
struct HealthController {
    let store: any TunesmithStore
    let metrics: APIMetrics

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
        router.get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        let counts = try await store.countByStatus()
        let buffer = ByteBuffer(bytes: metrics.scrape(jobCounts: counts))
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(buffer.readableBytes)],
            body: .init(byteBuffer: buffer)
        )
    }
}
