import AudioEngine
import Foundation
import Logging
import PostgresStorage

/// Everything `tunesmith serve` and `tunesmith worker` need to know, resolved once at start-up. Each setting comes
/// from its flag, else its environment variable, else the default, so a container can be configured by
/// environment alone.
public struct ServerConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    /// A PostgreSQL URL: many processes on many machines share that database. Nil: SQLite in the data dir.
    public var database: String?
    /// A folder for media files (e.g. a volume every node mounts). Nil: the data dir's `media` folder with
    /// SQLite, the database itself with PostgreSQL.
    public var mediaDirectory: String?
    /// Songs generated at the same time in this process; 0 runs the API only (another process does the work).
    public var workers: Int
    /// The public address clients reach the server at; media links in track JSON start with it.
    public var baseURL: String
    public var soundFont: String
    /// Largest JSON or multipart request body accepted (413 beyond).
    public var maxBodyBytes: Int
    /// Largest image accepted by `POST /files` (413 beyond).
    public var maxUploadBytes: Int
    /// Lets `replyUrl` point at loopback/private addresses (local development, tests).
    public var allowPrivateCallbacks: Bool
    public var logLevel: Logger.Level
    /// How long a worker's claim on a job lasts without a heartbeat: after a crash (kill -9, power loss) the
    /// job is taken over by another worker, or by this one after a restart, once it expired.
    public var leaseSeconds: Int
    /// `tunesmith worker`'s port for `/healthz` and `/metrics` (it serves no API).
    public var adminPort: Int
    /// The JSON file with per-model routing and provider settings (`CloudEngines.ProviderRouting`); nil = none.
    /// Provider keys are read from the environment only.
    public var providersConfig: String?

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080
    public static let defaultDataDirectory = "./data"
    public static let defaultMaxBodyBytes = 1 << 20
    public static let defaultMaxUploadBytes = 20_000_000
    public static let defaultLeaseSeconds = 30
    public static let defaultAdminPort = 8081

    /// The values given on the command line; nil = not given.
    public struct Flags: Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var dataDirectory: String?
        public var database: String?
        public var mediaDirectory: String?
        public var workers: Int?
        public var baseURL: String?
        public var soundFont: String?
        public var maxBodyBytes: Int?
        public var maxUploadBytes: Int?
        public var allowPrivateCallbacks: Bool?
        public var logLevel: String?
        public var leaseSeconds: Int?
        public var adminPort: Int?
        public var providersConfig: String?

        public init(
            host: String? = nil, port: Int? = nil, dataDirectory: String? = nil, database: String? = nil,
            mediaDirectory: String? = nil, workers: Int? = nil, baseURL: String? = nil, soundFont: String? = nil,
            maxBodyBytes: Int? = nil, maxUploadBytes: Int? = nil, allowPrivateCallbacks: Bool? = nil,
            logLevel: String? = nil, leaseSeconds: Int? = nil, adminPort: Int? = nil,
            providersConfig: String? = nil
        ) {
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.database = database
            self.mediaDirectory = mediaDirectory
            self.workers = workers
            self.baseURL = baseURL
            self.soundFont = soundFont
            self.maxBodyBytes = maxBodyBytes
            self.maxUploadBytes = maxUploadBytes
            self.allowPrivateCallbacks = allowPrivateCallbacks
            self.logLevel = logLevel
            self.leaseSeconds = leaseSeconds
            self.adminPort = adminPort
            self.providersConfig = providersConfig
        }
    }

    /// One row per setting: the flag, its environment variable and what it means (also printed in docs).
    public enum Setting: String, CaseIterable, Sendable {
        case host, port, dataDirectory, database, mediaDirectory, workers, baseURL, soundFont, maxBodyBytes
        case maxUploadBytes, allowPrivateCallbacks, logLevel, leaseSeconds, adminPort, providersConfig

        public var flag: String {
            switch self {
            case .host: "--host"
            case .port: "--port"
            case .dataDirectory: "--data-dir"
            case .database: "--database"
            case .mediaDirectory: "--media-dir"
            case .workers: "--workers"
            case .baseURL: "--base-url"
            case .soundFont: "--soundfont"
            case .maxBodyBytes: "--max-body-bytes"
            case .maxUploadBytes: "--max-upload-bytes"
            case .allowPrivateCallbacks: "--allow-private-callbacks"
            case .logLevel: "--log-level"
            case .leaseSeconds: "--lease-seconds"
            case .adminPort: "--admin-port"
            case .providersConfig: "--providers-config"
            }
        }

        public var environmentVariable: String {
            switch self {
            case .host: "TUNESMITH_HOST"
            case .port: "TUNESMITH_PORT"
            case .dataDirectory: "TUNESMITH_DATA_DIR"
            case .database: "TUNESMITH_DATABASE_URL"
            case .mediaDirectory: "TUNESMITH_MEDIA_DIR"
            case .workers: "TUNESMITH_WORKERS"
            case .baseURL: "TUNESMITH_BASE_URL"
            case .soundFont: "TUNESMITH_SOUNDFONT"
            case .maxBodyBytes: "TUNESMITH_MAX_BODY_BYTES"
            case .maxUploadBytes: "TUNESMITH_MAX_UPLOAD_BYTES"
            case .allowPrivateCallbacks: "TUNESMITH_ALLOW_PRIVATE_CALLBACKS"
            case .logLevel: "TUNESMITH_LOG_LEVEL"
            case .leaseSeconds: "TUNESMITH_LEASE_SECONDS"
            case .adminPort: "TUNESMITH_ADMIN_PORT"
            case .providersConfig: "TUNESMITH_PROVIDERS_CONFIG"
            }
        }
    }

    /// Resolves every setting (flag, then environment, then default) and checks it.
    /// `processorCount` is the default number of workers; `soundFontInstalled` tells which of the preferred
    /// SoundFonts exist, for the default one.
    public init(
        flags: Flags, environment: [String: String], processorCount: Int,
        soundFontInstalled: (String) -> Bool = FileManager.default.isReadableFile(atPath:)
    ) throws(ConfigurationError) {
        let resolver = Resolver(environment: environment)
        host = try resolver.string(.host, flags.host) ?? Self.defaultHost
        guard !host.isEmpty else { throw ConfigurationError(.host, "must not be empty") }
        port = try resolver.integer(.port, flags.port, in: 1...65_535) ?? Self.defaultPort
        dataDirectory = try resolver.string(.dataDirectory, flags.dataDirectory) ?? Self.defaultDataDirectory
        database = try resolver.string(.database, flags.database)
        if let database {
            do {
                _ = try DatabaseURL(database)
            } catch {
                throw ConfigurationError(.database, error.description)
            }
        }
        mediaDirectory = try resolver.string(.mediaDirectory, flags.mediaDirectory)
        adminPort = try resolver.integer(.adminPort, flags.adminPort, in: 1...65_535) ?? Self.defaultAdminPort
        workers = try resolver.integer(.workers, flags.workers, in: 0...256) ?? max(1, processorCount)
        soundFont =
            try resolver.string(.soundFont, flags.soundFont)
            ?? SoundFontLocation.installedDefaultPath(isInstalled: soundFontInstalled)
        maxBodyBytes =
            try resolver.integer(.maxBodyBytes, flags.maxBodyBytes, in: 1_024...(1 << 30)) ?? Self.defaultMaxBodyBytes
        maxUploadBytes =
            try resolver.integer(.maxUploadBytes, flags.maxUploadBytes, in: 1_024...(1 << 30))
            ?? Self.defaultMaxUploadBytes
        allowPrivateCallbacks = try resolver.boolean(.allowPrivateCallbacks, flags.allowPrivateCallbacks) ?? false
        logLevel = try resolver.logLevel(flags.logLevel) ?? .info
        leaseSeconds = try resolver.integer(.leaseSeconds, flags.leaseSeconds, in: 2...3_600) ?? Self.defaultLeaseSeconds
        providersConfig = try resolver.string(.providersConfig, flags.providersConfig)

        if let given = try resolver.string(.baseURL, flags.baseURL) {
            guard let url = URL(string: given), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil, url.query == nil
            else { throw ConfigurationError(.baseURL, "must be an absolute http(s) URL without a query, got '\(given)'") }
            baseURL = given.hasSuffix("/") ? String(given.dropLast()) : given
        } else {
            baseURL = Self.defaultBaseURL(host: host, port: port)
        }
    }

    /// A wildcard listen address is not somewhere a client can connect to, so links then name loopback.
    public static func defaultBaseURL(host: String, port: Int) -> String {
        let reachable = (host == "0.0.0.0" || host == "::" || host == "[::]") ? "127.0.0.1" : host
        let bracketed = reachable.contains(":") && !reachable.hasPrefix("[") ? "[\(reachable)]" : reachable
        return "http://\(bracketed):\(port)"
    }
}

/// A setting with a value that cannot be used; says which flag/variable and why.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var setting: ServerConfiguration.Setting
    public var reason: String

    init(_ setting: ServerConfiguration.Setting, _ reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "\(setting.flag) / \(setting.environmentVariable) \(reason)" }
}

/// Picks the flag value, else the environment value (blank counts as unset), and converts it.
private struct Resolver {
    var environment: [String: String]

    func raw(_ setting: ServerConfiguration.Setting) -> String? {
        guard let value = environment[setting.environmentVariable]?.trimmingCharacters(in: .whitespaces),
            !value.isEmpty
        else { return nil }
        return value
    }

    func string(_ setting: ServerConfiguration.Setting, _ flag: String?) throws(ConfigurationError) -> String? {
        if let flag {
            guard !flag.isEmpty else { throw ConfigurationError(setting, "must not be empty") }
            return flag
        }
        return raw(setting)
    }

    func integer(
        _ setting: ServerConfiguration.Setting, _ flag: Int?, in range: ClosedRange<Int>
    ) throws(ConfigurationError) -> Int? {
        let value: Int
        if let flag {
            value = flag
        } else if let text = raw(setting) {
            guard let parsed = Int(text) else { throw ConfigurationError(setting, "must be an integer, got '\(text)'") }
            value = parsed
        } else {
            return nil
        }
        guard range.contains(value) else {
            throw ConfigurationError(setting, "must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    func boolean(_ setting: ServerConfiguration.Setting, _ flag: Bool?) throws(ConfigurationError) -> Bool? {
        if let flag { return flag }
        guard let text = raw(setting) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(setting, "must be 1 or 0 (true/false), got '\(text)'")
        }
    }

    func logLevel(_ flag: String?) throws(ConfigurationError) -> Logger.Level? {
        guard let text = try string(.logLevel, flag) else { return nil }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(.logLevel, "must be one of \(names), got '\(text)'")
        }
        return level
    }
}
