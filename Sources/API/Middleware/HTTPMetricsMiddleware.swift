import Hummingbird

/// Counts requests by route pattern (not raw path, so ids do not explode the label set), method and status.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: routeLabel(context), method: request.method.rawValue, status: response.status.code)
            return response
        } catch {
            // Only errors escaping the JSON error middleware get here (none expected); count them as 500.
            metrics.recordRequest(route: routeLabel(context), method: request.method.rawValue, status: 500)
            throw error
        }
    }

    private func routeLabel(_ context: Context) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}
