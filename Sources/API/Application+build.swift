import Foundation
import Hummingbird
import Jobs
import NIOPosix
import Logging
import Storage
import TunesmithCore

/// Size limits the API enforces on what clients send.
public struct APILimits: Sendable, Hashable {
    /// Largest JSON, multipart or form body accepted (413 beyond).
    public var maxBodyBytes: Int
    /// Largest image accepted by `POST /files` (413 beyond).
    public var maxUploadBytes: Int
    /// Longest side, in pixels, of an uploaded image (400 beyond).
    public var maxImageSide: Int

    public init(maxBodyBytes: Int = 1 << 20, maxUploadBytes: Int = 20_000_000, maxImageSide: Int = 4_096) {
        self.maxBodyBytes = maxBodyBytes
        self.maxUploadBytes = maxUploadBytes
        self.maxImageSide = maxImageSide
    }
}

/// Checks a client's `replyUrl` before a job is created (scheme, and by default no private addresses).
public protocol ReplyURLValidator: Sendable {
    func validate(_ url: String) async throws(APIError) -> URL
}

/// Everything the HTTP layer needs; built once by the serve command (or a test).
public struct APIDependencies: Sendable {
    public var store: any TunesmithStore
    /// Where media files (tracks, uploads) live; `/media/<path>` serves them.
    public var media: any MediaStore
    public var signer: MediaLinkSigner
    public var jobCanceller: any JobCanceller
    /// Tells local workers a job was queued, so they claim it without waiting for their next poll.
    public var wakeWorkers: @Sendable () -> Void
    /// Tells the callback dispatcher an outbox message was written (a cancel of a track with a `replyUrl`).
    public var wakeCallbacks: @Sendable () -> Void
    public var replyURLValidator: any ReplyURLValidator
    public var limits: APILimits
    public var metrics: APIMetrics
    /// Which backend renders each model (shown by `GET /models`); "local" unless the operator configured one.
    public var backends: [MusicModel: String]
    /// Live track changes for `GET /events`; the serve command passes the broadcaster its store publishes to.
    public var trackChanges: any TrackChangeFeed
    /// Longest silence on an event stream before a keep-alive comment is sent.
    public var eventKeepAlive: Duration
    public var now: @Sendable () -> Date
    /// Where CPU-heavy or blocking work of a request runs (decoding an uploaded image), off the Swift
    /// concurrency pool whose few threads serve every request.
    public var blockingWork: NIOThreadPool = .singleton

    public init(
        store: any TunesmithStore, media: any MediaStore, signer: MediaLinkSigner, jobCanceller: any JobCanceller,
        wakeWorkers: @escaping @Sendable () -> Void, replyURLValidator: any ReplyURLValidator,
        limits: APILimits = APILimits(), metrics: APIMetrics = APIMetrics(), backends: [MusicModel: String] = [:],
        trackChanges: any TrackChangeFeed = TrackChangeBroadcaster(), eventKeepAlive: Duration = .seconds(15),
        now: @escaping @Sendable () -> Date = { Date() }, wakeCallbacks: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.media = media
        self.signer = signer
        self.jobCanceller = jobCanceller
        self.wakeWorkers = wakeWorkers
        self.wakeCallbacks = wakeCallbacks
        self.replyURLValidator = replyURLValidator
        self.limits = limits
        self.metrics = metrics
        self.backends = backends
        self.trackChanges = trackChanges
        self.eventKeepAlive = eventKeepAlive
        self.now = now
    }

    func backend(for model: MusicModel) -> String { backends[model] ?? "local" }
}

/// The base path of the contract (API.md).
public let apiBasePath = "/v2/pixverse"

/// All routes: the contract under `/v2/pixverse` (bearer token), plus the studio page (`/`, `/studio/...`),
/// `/healthz`, `/metrics`, `/openapi.json` and the signed `/media/...` links (no token).
public func buildRouter(_ dependencies: APIDependencies) -> Router<AppRequestContext> {
    buildRoutes(dependencies).router
}

/// The router of `buildRouter`, and every route it serves (method and path pattern, in registration order), for
/// checking a description of the API against what is really served.
public func buildRoutes(_ dependencies: APIDependencies) -> (router: Router<AppRequestContext>, routes: [APIRoute]) {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost first: metrics see the final status, after errors became JSON responses.
    router.add(middleware: HTTPMetricsMiddleware(metrics: dependencies.metrics))
    router.add(middleware: JSONErrorMiddleware())

    let table = RouteTable(router)
    HealthController(store: dependencies.store, metrics: dependencies.metrics).addRoutes(to: table)
    OpenAPIController().addRoutes(to: table)
    MediaController(dependencies: dependencies).addRoutes(to: table.group("media"))
    StudioController(page: StudioPage(mediaBaseURL: dependencies.signer.baseURL)).addRoutes(to: table)

    let api = table.group(RouterPath(apiBasePath))
        .add(middleware: BearerAuthMiddleware(store: dependencies.store))
        .group(context: AuthenticatedContext.self)
    MusicController(dependencies: dependencies).addRoutes(to: api)
    SchedulerController(dependencies: dependencies).addRoutes(to: api)
    FilesController(dependencies: dependencies).addRoutes(to: api)
    AccountsController(dependencies: dependencies).addRoutes(to: api)
    ModelsController(dependencies: dependencies).addRoutes(to: api)
    EventsController(dependencies: dependencies).addRoutes(to: api)

    table.addMethodNotAllowedResponders()
    return (router, table.routes)
}

/// The HTTP server as a `Service` for the serve command's `ServiceGroup`.
public func buildApplication(
    configuration: ApplicationConfiguration, dependencies: APIDependencies,
    logger: Logger = Logger(label: "tunesmith.http")
) -> some ApplicationProtocol {
    Application(router: buildRouter(dependencies), configuration: configuration, logger: logger)
}

/// The HTTP server of `tunesmith worker`: `/healthz` and `/metrics` only (no API, no token).
public func buildAdminApplication(
    configuration: ApplicationConfiguration, store: any TunesmithStore, metrics: APIMetrics,
    logger: Logger = Logger(label: "tunesmith.http")
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
    router.add(middleware: JSONErrorMiddleware())
    let table = RouteTable(router)
    HealthController(store: store, metrics: metrics).addRoutes(to: table)
    table.addMethodNotAllowedResponders()
    return Application(router: router, configuration: configuration, logger: logger)
}

/// The jobs module's policy is the validator the serve command uses (the same check runs before every delivery).
extension CallbackURLPolicy: ReplyURLValidator {}
