import API
import AudioEngine
import Foundation
import Hummingbird
import Jobs
import LocalEngine
import Logging
import ServiceLifecycle
import Storage
import TunesmithCore

/// The production wiring of `tunesmith serve`: one `ServiceGroup` running the HTTP application, the worker pool
/// (rendering with the local engine) and the callback dispatcher.
///
/// On SIGTERM/SIGINT the group shuts the services down in reverse order: first the HTTP server stops accepting
/// and finishes its requests, then the worker pool lets running songs finish (or hands them back to the queue
/// after its drain timeout), last the dispatcher sends the callbacks those jobs made due.
struct Server {
    var configuration: ServerConfiguration
    var data: OperatorStore

    func run() async throws {
        let logger = Logger(label: "tunesmith")
        let store = CachedStore(data.store)
        let signer = MediaLinkSigner(baseURL: configuration.baseURL, secret: try data.directory.secretKey())
        let metrics = APIMetrics()
        metrics.bootstrapMetricsSystem()

        let callbackPolicy = CallbackURLPolicy(allowPrivate: configuration.allowPrivateCallbacks)
        let dispatcher = CallbackDispatcher(
            store: store, signer: signer, policy: callbackPolicy, logger: Logger(label: "tunesmith.callbacks"))
        // Workers wake the dispatcher whenever they write an outbox message, so callbacks go out at once.
        let workerPool = try makeWorkerPool(store: store, wakeCallbacks: { dispatcher.wake() })

        let dependencies = APIDependencies(
            store: store, media: data.directory.media, signer: signer, jobCanceller: workerPool,
            wakeWorkers: { workerPool.wake() }, replyURLValidator: callbackPolicy,
            limits: APILimits(maxBodyBytes: configuration.maxBodyBytes, maxUploadBytes: configuration.maxUploadBytes),
            metrics: metrics, wakeCallbacks: { dispatcher.wake() })
        let address = BindAddress.hostname(configuration.host, port: configuration.port)
        let application = buildApplication(
            configuration: ApplicationConfiguration(address: address, serverName: "tunesmith"),
            dependencies: dependencies, logger: Logger(label: "tunesmith.http"))

        // Reverse order on shutdown: the application stops first, the dispatcher last.
        var services: [any Service] = [dispatcher]
        if configuration.workers > 0 { services.append(workerPool) }
        services.append(application)
        logger.info(
            "Tunesmith serving",
            metadata: [
                "address": "\(configuration.host):\(configuration.port)", "baseURL": "\(configuration.baseURL)",
                "workers": "\(configuration.workers)", "dataDir": "\(data.directory.root.path)",
            ])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("Tunesmith stopped")
    }

    /// The pool always exists so the API can cancel and wake through it; it is only run when `workers > 0`
    /// (with 0 this process serves the API and other processes generate).
    private func makeWorkerPool(store: any TunesmithStore, wakeCallbacks: @escaping @Sendable () -> Void) throws -> WorkerPool {
        let soundFont = SoundFontLocation(path: configuration.soundFont)
        if configuration.workers > 0 {
            // Fail at start, with a hint, rather than on every job.
            try soundFont.validate()
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Each song renders its parts in parallel; share the cores between the songs running at once.
        let renderer = SongRenderer(soundFont: soundFont, workers: max(1, cores / max(1, configuration.workers)))
        let engine = LocalEngine(renderer: renderer)
        let lease = Duration.seconds(configuration.leaseSeconds)
        let poolConfiguration = WorkerPoolConfiguration(
            concurrency: max(1, configuration.workers), leaseDuration: lease,
            heartbeatInterval: min(.seconds(1), lease / 3))
        return WorkerPool(
            store: store, engine: engine, media: data.directory.media, configuration: poolConfiguration,
            logger: Logger(label: "tunesmith.worker"), wakeCallbacks: wakeCallbacks)
    }
}
