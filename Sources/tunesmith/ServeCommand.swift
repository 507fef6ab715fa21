import ArgumentParser
import AudioEngine
import CloudEngines
import Foundation
import Logging
import TunesmithCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API, the song workers and callback delivery in one process.",
        discussion: """
            Every option can also be set by environment variable (shown in brackets); a flag wins over the \
            environment, the environment over the default. On a data dir without users, serve creates the user \
            "admin" with a default account and prints its token. SIGTERM/SIGINT stop it gracefully: no new \
            requests, running songs finish or go back to the queue, due callbacks are sent.
            """
    )

    @Option(help: "Address to listen on [TUNESMITH_HOST] (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on [TUNESMITH_PORT] (default 8080).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Database and media folder [TUNESMITH_DATA_DIR] (default ./data).")
    var dataDirectory: String?

    @Option(help: "Songs generated at once; 0 = API only [TUNESMITH_WORKERS] (default: number of cores).")
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

    @Option(
        name: .customLong("max-body-bytes"),
        help: "Largest request body [TUNESMITH_MAX_BODY_BYTES] (default \(ServerConfiguration.defaultMaxBodyBytes)).")
    var maxBodyBytes: Int?

    @Option(
        name: .customLong("max-upload-bytes"),
        help: "Largest uploaded image [TUNESMITH_MAX_UPLOAD_BYTES] (default \(ServerConfiguration.defaultMaxUploadBytes)).")
    var maxUploadBytes: Int?

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
            host: host, port: port, dataDirectory: dataDirectory, workers: workers, baseURL: baseURL,
            soundFont: soundFont, maxBodyBytes: maxBodyBytes, maxUploadBytes: maxUploadBytes,
            allowPrivateCallbacks: allowPrivateCallbacks, logLevel: logLevel, leaseSeconds: leaseSeconds,
            providersConfig: providersConfig)
    }

    func run() async throws {
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
        let data = try OperatorStore(path: configuration.dataDirectory)
        try await FirstRun.createAdminIfEmpty(data, configuration: configuration)
        try await Server(configuration: configuration, routing: routing, data: data).run()
    }
}

/// The first start on an empty data dir makes the server usable at once: a user, a token, an account, and a
/// command to try it.
enum FirstRun {
    static let adminName = "admin"
    /// The reference page's example prompt.
    static let examplePrompt = "An upbeat synthwave track with a clear female vocal"

    static func createAdminIfEmpty(_ data: OperatorStore, configuration: ServerConfiguration) async throws {
        guard try await data.store.users().isEmpty else { return }
        let (user, token) = try await data.createUser(name: adminName)
        // Unbuffered: the operator (or a script) sees it before the server starts answering.
        FileHandle.standardOutput.write(Data((banner(user: user, token: token, configuration: configuration) + "\n").utf8))
    }

    static func banner(user: User, token: String, configuration: ServerConfiguration) -> String {
        """
        Created user "\(user.name)" (id \(user.id)) with account \(OperatorStore.defaultAccountEmail) \
        (maxJobs \(OperatorStore.defaultMaxJobs()), unlimited credits).
        Open the studio in your browser (this link signs you in; keep it private):
        \(studioLink(token: token, configuration: configuration))
        API token (shown only now; only its hash is stored):
        \(token)
        Webhook signing secret: tunesmith token secret --data-dir \(configuration.dataDirectory) --name \(user.name)
        Try it:
        curl -H "Accept: application/json" -H "Content-Type: application/json" -H "Authorization: Bearer \(token)" \
        -X POST "\(configuration.baseURL)/v2/pixverse/music/create" -d '{"prompt": "\(examplePrompt)"}'
        """
    }

    /// The studio page with the token in the fragment: browsers never send a fragment to the server, and the
    /// page stores the token and removes it from the address bar.
    static func studioLink(token: String, configuration: ServerConfiguration) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return "\(configuration.baseURL)/#token=\(encoded)"
    }
}
