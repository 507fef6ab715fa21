import ArgumentParser
import AudioEngine
import CloudEngines
import Foundation
import Logging
import TunesmithCore
import TunesmithServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API, callback delivery and (unless --no-workers) the song workers.",
        discussion: """
            Every option can also be set by environment variable (shown in brackets); a flag wins over the \
            environment, the environment over the default. On a database without users, serve creates the user \
            "admin" with a default account and prints its token. SIGTERM/SIGINT stop it gracefully: no new \
            requests, running songs finish or go back to the queue, due callbacks are sent. Any number of serve \
            and worker processes may share one PostgreSQL database (--database).
            """
    )

    @OptionGroup var common: CommonServerOptions

    @Option(help: "Port to listen on [TUNESMITH_PORT] (default 8080).")
    var port: Int?

    @Flag(name: .customLong("no-workers"), help: "Serve the API only; other processes generate (same as --workers 0).")
    var noWorkers = false

    @Option(
        name: .customLong("max-body-bytes"),
        help: "Largest request body [TUNESMITH_MAX_BODY_BYTES] (default \(ServerConfiguration.defaultMaxBodyBytes)).")
    var maxBodyBytes: Int?

    @Option(
        name: .customLong("max-upload-bytes"),
        help: "Largest uploaded image [TUNESMITH_MAX_UPLOAD_BYTES] (default \(ServerConfiguration.defaultMaxUploadBytes)).")
    var maxUploadBytes: Int?

    var flags: ServerConfiguration.Flags {
        var flags = common.flags
        flags.port = port
        flags.maxBodyBytes = maxBodyBytes
        flags.maxUploadBytes = maxUploadBytes
        if noWorkers { flags.workers = 0 }
        return flags
    }

    func run() async throws {
        let (configuration, routing) = try CommonServerOptions.resolve(flags)
        try await Server(configuration: configuration, role: .serve, routing: routing)
            .run(engine: try LocalEngineSetup.engine(for: configuration, rendersSongs: configuration.workers > 0))
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Generate songs and deliver callbacks for a shared database; no API.",
        discussion: """
            A worker process claims queued songs from the database named by --database (PostgreSQL) or the data \
            dir's SQLite file, renders them, stores their media and delivers callbacks. It serves no API: only \
            GET /healthz and GET /metrics on --admin-port. Options as for serve, by flag or environment variable.
            """
    )

    @OptionGroup var common: CommonServerOptions

    @Option(
        name: .customLong("admin-port"),
        help: "Port for /healthz and /metrics [TUNESMITH_ADMIN_PORT] (default \(ServerConfiguration.defaultAdminPort)).")
    var adminPort: Int?

    func run() async throws {
        var flags = common.flags
        flags.adminPort = adminPort
        let (configuration, routing) = try CommonServerOptions.resolve(flags)
        guard configuration.workers > 0 else {
            throw ValidationError("--workers / TUNESMITH_WORKERS must be at least 1 for a worker process")
        }
        try await Server(configuration: configuration, role: .worker, routing: routing)
            .run(engine: try LocalEngineSetup.engine(for: configuration, rendersSongs: true))
    }
}

/// The options `serve` and `worker` share.
struct CommonServerOptions: ParsableArguments {
    @Option(help: "Address to listen on [TUNESMITH_HOST] (default 127.0.0.1).")
    var host: String?

    @Option(name: .customLong("data-dir"), help: "SQLite database, key and media folder [TUNESMITH_DATA_DIR] (default ./data).")
    var dataDirectory: String?

    @Option(help: "PostgreSQL URL postgres://user[:password]@host[:port]/db shared by many processes [TUNESMITH_DATABASE_URL] (default: SQLite in the data dir).")
    var database: String?

    @Option(name: .customLong("media-dir"), help: "Media folder, e.g. a volume every node mounts [TUNESMITH_MEDIA_DIR] (default: the data dir with SQLite, the database with PostgreSQL).")
    var mediaDirectory: String?

    @Option(help: "Songs generated at once; 0 = none [TUNESMITH_WORKERS] (default: number of cores).")
    var workers: Int?

    @Option(
        name: .customLong("base-url"),
        help: "Public address used in media links [TUNESMITH_BASE_URL] (default http://<host>:<port>).")
    var baseURL: String?

    @Option(
        name: .customLong("soundfont"),
        help: """
            General MIDI SoundFont (.sf2) [TUNESMITH_SOUNDFONT] (default: the first installed of \
            \(SoundFontLocation.preferredPaths.joined(separator: ", "))).
            """)
    var soundFont: String?

    @Flag(
        name: .customLong("allow-private-callbacks"), inversion: .prefixedNo,
        help: "Allow replyUrl on loopback/private addresses [TUNESMITH_ALLOW_PRIVATE_CALLBACKS=1] (default off).")
    var allowPrivateCallbacks: Bool?

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical [TUNESMITH_LOG_LEVEL] (default info).")
    var logLevel: String?

    @Option(
        name: .customLong("lease-seconds"),
        help: "How soon a crashed worker's job is taken over [TUNESMITH_LEASE_SECONDS] (default \(ServerConfiguration.defaultLeaseSeconds)).")
    var leaseSeconds: Int?

    @Option(
        name: .customLong("providers-config"),
        help: "JSON file routing models to cloud providers [TUNESMITH_PROVIDERS_CONFIG] (default none; keys come from TUNESMITH_<PROVIDER>_API_KEY).")
    var providersConfig: String?

    var flags: ServerConfiguration.Flags {
        ServerConfiguration.Flags(
            host: host, dataDirectory: dataDirectory, database: database, mediaDirectory: mediaDirectory,
            workers: workers, baseURL: baseURL, soundFont: soundFont, allowPrivateCallbacks: allowPrivateCallbacks,
            logLevel: logLevel, leaseSeconds: leaseSeconds, providersConfig: providersConfig)
    }

    /// The configuration from `flags` and the environment, with logging set up at its level, and where each model
    /// is rendered (the environment's provider keys and `--providers-config`).
    static func resolve(_ flags: ServerConfiguration.Flags) throws -> (ServerConfiguration, ProviderRouting) {
        let configuration: ServerConfiguration
        let routing: ProviderRouting
        let environment = ProcessInfo.processInfo.environment
        do {
            configuration = try ServerConfiguration(
                flags: flags, environment: environment, processorCount: ProcessInfo.processInfo.activeProcessorCount)
            routing = try ProviderRouting.resolve(environment: environment, configFile: configuration.providersConfig)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError("\(error)")
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label), level: level)
        }
        return (configuration, routing)
    }
}
