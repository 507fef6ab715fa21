import API
import CloudEngines
import Foundation
import Hummingbird
import Jobs
import Logging
import PostgresStorage
import ServiceLifecycle
import Storage
import TunesmithCore

/// What one process does. Any number of processes of each role may share one database.
public enum ServerRole: String, Sendable, CaseIterable {
    /// The HTTP API, callback delivery and, unless `workers` is 0 (`--no-workers`), song workers.
    case serve
    /// Song workers and callback delivery; HTTP only for `/healthz` and `/metrics` on the admin port.
    case worker
}

/// The production wiring of `tunesmith serve` and `tunesmith worker`: one `ServiceGroup` running the database's
/// pool and notifier (PostgreSQL), the HTTP client the cloud engines share, the callback dispatcher, the worker
/// pool (rendering with the local engine, or with the cloud provider a model is routed to) and the HTTP
/// application.
///
/// On SIGTERM/SIGINT the group shuts the services down in reverse order: first the HTTP server stops accepting
/// and finishes its requests, then the worker pool lets running songs finish (or hands them back to the queue
/// after its drain timeout), then the dispatcher sends the callbacks those jobs made due, then the providers'
/// HTTP client closes, last the database pool.
public struct Server: Sendable {
    public var configuration: ServerConfiguration
    public var role: ServerRole
    /// Which models a cloud provider renders; the rest are the local engine's.
    public var routing: ProviderRouting

    public init(configuration: ServerConfiguration, role: ServerRole, routing: ProviderRouting = ProviderRouting()) {
        self.configuration = configuration
        self.role = role
        self.routing = routing
    }

    /// Whether this process renders songs (and so needs an engine).
    public var runsWorkers: Bool { role == .worker || configuration.workers > 0 }

    /// Opens the database, prepares it (migrations, the first-run admin user, the signing key) and runs until
    /// stopped. `engine` renders the songs of the models `routing` leaves local (an API-only process never calls
    /// it).
    public func run(engine: any MusicEngine) async throws {
        let logger = Logger(label: "tunesmith")
        let secret = try await prepare()

        let backend = try openBackend()
        let cachedStore = CachedStore(backend.store)
        // The studio's event streams hear every track state change: on SQLite (one process) from the store this
        // process writes through; on PostgreSQL from the database's notifications, which also carry what other
        // processes change (a worker node finishing a song).
        let trackChanges = TrackChangeBroadcaster()
        let sharedDatabase: DatabaseURL? = if case .postgres(_, let url) = backend.kind { url } else { nil }
        let store: any TunesmithStore =
            sharedDatabase == nil ? TrackChangePublishingStore(cachedStore, publisher: trackChanges) : cachedStore
        let signer = MediaLinkSigner(baseURL: configuration.baseURL, secret: secret)
        let metrics = APIMetrics()
        metrics.bootstrapMetricsSystem()

        let callbackPolicy = CallbackURLPolicy(allowPrivate: configuration.allowPrivateCallbacks)
        let dispatcher = CallbackDispatcher(
            store: store, signer: signer, policy: callbackPolicy, logger: Logger(label: "tunesmith.callbacks"))
        // Workers wake the dispatcher whenever they write an outbox message, so callbacks go out at once.
        // The pool always exists so the API can cancel and wake through it; it only runs when this process has
        // workers (with none, other processes generate).
        let providerClient = ProviderHTTPClient()
        let router = EngineRouter(
            routing: routing, local: engine, client: providerClient.client, logger: Logger(label: "tunesmith.cloud"))
        let workerPool = WorkerPool(
            store: store, engine: router, media: backend.media, configuration: workerPoolConfiguration,
            logger: Logger(label: "tunesmith.worker"), wakeCallbacks: { dispatcher.wake() })

        var services: [any Service] = backend.services
        if let url = sharedDatabase {
            // Other processes' creates, cancels, callbacks, token and track changes reach this one at once.
            services.append(
                PostgresNotifier(
                    url: url,
                    handlers: .init(
                        jobsQueued: { workerPool.wake() },
                        trackCancelled: { workerPool.stopRunning(assetID: $0) },
                        callbacksWritten: { dispatcher.wake() },
                        authChanged: { cachedStore.invalidateTokenCache() },
                        trackChanged: { trackChanges.publish($0) })))
        }
        services.append(providerClient)
        services.append(dispatcher)
        if runsWorkers { services.append(workerPool) }
        switch role {
        case .serve:
            let dependencies = APIDependencies(
                store: store, media: backend.media, signer: signer, jobCanceller: workerPool,
                wakeWorkers: { workerPool.wake() }, replyURLValidator: callbackPolicy,
                limits: APILimits(maxBodyBytes: configuration.maxBodyBytes, maxUploadBytes: configuration.maxUploadBytes),
                metrics: metrics, backends: routing.backendNames, trackChanges: trackChanges,
                wakeCallbacks: { dispatcher.wake() })
            services.append(
                buildApplication(
                    configuration: ApplicationConfiguration(
                        address: .hostname(configuration.host, port: configuration.port), serverName: "tunesmith"),
                    dependencies: dependencies, logger: Logger(label: "tunesmith.http")))
        case .worker:
            services.append(
                buildAdminApplication(
                    configuration: ApplicationConfiguration(
                        address: .hostname(configuration.host, port: configuration.adminPort),
                        serverName: "tunesmith-worker"),
                    store: store, metrics: metrics, logger: Logger(label: "tunesmith.http")))
        }
        var metadata: Logger.Metadata = [
            "address": "\(configuration.host):\(role == .serve ? configuration.port : configuration.adminPort)",
            "baseURL": "\(configuration.baseURL)", "workers": "\(runsWorkers ? configuration.workers : 0)",
            "database": "\(backend.location)", "backends": "\(routing.summary)",
        ]
        if role == .serve { metadata["studio"] = "\(configuration.baseURL)/" }
        logger.info("Tunesmith \(role.rawValue) running", metadata: metadata)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("Tunesmith stopped")
    }

    private func openBackend() throws -> Backend {
        var poolLogger = Logger(label: "tunesmith.database")
        // Above debug, the pool itself would only say that a service asked for a connection a moment before the
        // pool's own service started (the request just waits); database outages reach the log through the
        // services that hit them.
        if configuration.logLevel > .debug { poolLogger.logLevel = .error }
        return try Backend(
            database: configuration.database, dataDirectory: configuration.dataDirectory,
            mediaDirectory: configuration.mediaDirectory, logger: poolLogger)
    }

    /// One-time work before the services start, on a connection pool of its own (the services' pool runs in
    /// the group): the schema migrated, the first start's admin user (API nodes), the link-signing key.
    private func prepare() async throws -> Data {
        let setup = try OperatorStore(database: configuration.database, dataDirectory: configuration.dataDirectory)
        return try await setup.run { data in
            if role == .serve { try await FirstRun.createAdminIfEmpty(data, configuration: configuration) }
            return try await data.backend.linkSigningKey()
        }
    }

    var workerPoolConfiguration: WorkerPoolConfiguration {
        let lease = Duration.seconds(configuration.leaseSeconds)
        return WorkerPoolConfiguration(
            concurrency: max(1, configuration.workers), leaseDuration: lease,
            heartbeatInterval: min(.seconds(1), lease / 3))
    }
}
