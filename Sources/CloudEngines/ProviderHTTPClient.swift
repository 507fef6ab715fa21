import AsyncHTTPClient
import NIOCore
import ServiceLifecycle

/// The one HTTP client every cloud engine shares, as a `Service` of the serve command's group: it lives as long
/// as the group and is shut down when the group stops (after the worker pool, whose jobs use it).
///
/// Redirects are not followed: a key must only ever go to the host the operator configured (audio links are
/// downloaded without a key, following redirects by hand). TLS is AsyncHTTPClient's default: certificates
/// verified against the system's trust roots.
public final class ProviderHTTPClient: Service {
    public let client: HTTPClient

    public init(connectTimeout: Duration = .seconds(10)) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: TimeAmount(connectTimeout))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func run() async throws {
        // Cancelled (the group is torn down) or asked to stop: either way the client closes.
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
