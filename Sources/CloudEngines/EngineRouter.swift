import AsyncHTTPClient
import Logging
import TunesmithCore

/// The engine the worker pool runs: sends each request to its model's backend (operator routing), and, where
/// the operator enabled it, to the local engine when the provider is down. Every song says which backend made
/// it (`GeneratedSong.provider`), and a fallback says which one failed (`fallbackFrom`).
public struct EngineRouter: MusicEngine {
    struct Route: Sendable {
        var engine: any MusicEngine
        var fallbackToLocal: Bool
    }

    /// The local engine's name: the backend of every model not routed elsewhere.
    public var provider: String { local.provider }
    let local: any MusicEngine
    let routes: [MusicModel: Route]
    let logger: Logger

    /// Cloud engines for the routed models of `routing`, over `client`; everything else goes to `local`.
    public init(
        routing: ProviderRouting, local: any MusicEngine, client: HTTPClient,
        logger: Logger = Logger(label: "tunesmith.cloud"),
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        var routes: [MusicModel: Route] = [:]
        for model in MusicModel.allCases {
            let route = routing.route(for: model)
            guard case .cloud(let provider) = route.backend, let settings = routing.providers[provider] else { continue }
            let engine = CloudEngine(
                settings: settings, client: client, redacting: routing.apiKeys, logger: logger, pause: pause)
            routes[model] = Route(engine: engine, fallbackToLocal: route.fallbackToLocal)
        }
        self.init(local: local, routes: routes, logger: logger)
    }

    init(local: any MusicEngine, routes: [MusicModel: Route], logger: Logger) {
        self.local = local
        self.routes = routes
        self.logger = logger
    }

    public func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        guard let route = routes[request.model] else { return try await Self.made(by: local, request, progress) }
        do {
            return try await Self.made(by: route.engine, request, progress)
        } catch let failure as ProviderFailure where route.fallbackToLocal && failure.isOutage {
            try Task.checkCancellation()
            logger.warning(
                "provider down; making the song with the local engine",
                metadata: ["provider": "\(route.engine.provider)", "reason": "\(failure.message)"])
            var song = try await Self.made(by: local, request, progress)
            song.fallbackFrom = route.engine.provider
            return song
        }
    }

    private static func made(
        by engine: any MusicEngine, _ request: GenerationRequest, _ progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        var song = try await engine.generate(request, progress: progress)
        song.provider = song.provider ?? engine.provider
        return song
    }
}
