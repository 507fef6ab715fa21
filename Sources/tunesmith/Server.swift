import API
import AudioEngine
import CloudEngines
import Foundation
import Hummingbird
import Jobs
import LocalEngine
import Logging
import ServiceLifecycle
import Storage
import TunesmithCore

/// The production wiring of `tunesmith serve`: one `ServiceGroup` running the HTTP application, the worker pool
/// (rendering with the local engine, or with the cloud provider a model is routed to), the callback dispatcher
/// and the HTTP client the cloud engines share.
///
/// On SIGTERM/SIGINT the group shuts the services down in reverse order: first the HTTP server stops accepting
/// and finishes its requests, then the worker pool lets running songs finish (or hands them back to the queue
/// after its drain timeout), then the dispatcher sends the callbacks those jobs made due, and last the providers'
/// HTTP client closes.
struct Server {
    var configuration: ServerConfiguration
    var routing: ProviderRouting
    var data: OperatorStore

    func run() async throws {
        let logger = Logger(label: "tunesmith")
        // Every track state change made through this store is announced to the studio's event streams.
        let trackChanges = TrackChangeBroadcaster()
        let store = TrackChangePublishingStore(data.store, publisher: trackChanges)
        let signer = MediaLinkSigner(baseURL: configuration.baseURL, secret: try data.directory.secretKey())
        let metrics = APIMetrics()
        metrics.bootstrapMetricsSystem()

        let callbackPolicy = CallbackURLPolicy(allowPrivate: configuration.allowPrivateCallbacks)
        let dispatcher = CallbackDispatcher(
            store: store, signer: signer, policy: callbackPolicy, logger: Logger(label: "tunesmith.callbacks"))
        let providerClient = ProviderHTTPClient()
        // Workers wake the dispatcher whenever they write an outbox message, so callbacks go out at once.
        let workerPool = try makeWorkerPool(
            store: store, providerClient: providerClient, wakeCallbacks: { dispatcher.wake() })

        let dependencies = APIDependencies(
            store: store, media: data.directory.media, signer: signer, jobCanceller: workerPool,
            wakeWorkers: { workerPool.wake() }, replyURLValidator: callbackPolicy,
            limits: APILimits(maxBodyBytes: configuration.maxBodyBytes, maxUploadBytes: configuration.maxUploadBytes),
            metrics: metrics, backends: routing.backendNames, trackChanges: trackChanges,
            wakeCallbacks: { dispatcher.wake() })
        let address = BindAddress.hostname(configuration.host, port: configuration.port)
        let application = buildApplication(
            configuration: ApplicationConfiguration(address: address, serverName: "tunesmith"),
            dependencies: dependencies, logger: Logger(label: "tunesmith.http"))

        // Reverse order on shutdown: the application stops first, the providers' client last.
        var services: [any Service] = [providerClient, dispatcher]
        if configuration.workers > 0 { services.append(workerPool) }
        services.append(application)
        logger.info(
            "Tunesmith serving",
            metadata: [
                "address": "\(configuration.host):\(configuration.port)", "baseURL": "\(configuration.baseURL)",
                "workers": "\(configuration.workers)", "dataDir": "\(data.directory.root.path)",
                "backends": "\(routing.summary)", "studio": "\(configuration.baseURL)/",
            ])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("Tunesmith stopped")
    }

    /// The pool always exists so the API can cancel and wake through it; it is only run when `workers > 0`
    /// (with 0 this process serves the API and other processes generate).
    private func makeWorkerPool(
        store: some TrackStore, providerClient: ProviderHTTPClient, wakeCallbacks: @escaping @Sendable () -> Void
    ) throws -> WorkerPool {
        let soundFont = SoundFontLocation(path: configuration.soundFont)
        if configuration.workers > 0 {
            // Fail at start, with a hint, rather than on every job.
            try soundFont.validate()
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Each song renders its parts in parallel; share the cores between the songs running at once.
        let renderer = SongRenderer(soundFont: soundFont, workers: max(1, cores / max(1, configuration.workers)))
        let engine = EngineRouter(
            routing: routing, local: LocalEngine(renderer: renderer), client: providerClient.client,
            logger: Logger(label: "tunesmith.cloud"))
        let lease = Duration.seconds(configuration.leaseSeconds)
        let poolConfiguration = WorkerPoolConfiguration(
            concurrency: max(1, configuration.workers), leaseDuration: lease,
            heartbeatInterval: min(.seconds(1), lease / 3))
        return WorkerPool(
            store: store, engine: engine, media: data.directory.media, configuration: poolConfiguration,
            logger: Logger(label: "tunesmith.worker"), wakeCallbacks: wakeCallbacks)
    }
}
