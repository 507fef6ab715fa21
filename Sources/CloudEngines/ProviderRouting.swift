import Foundation
import TunesmithCore

/// How Tunesmith talks to one provider.
public struct ProviderSettings: Sendable {
    public var provider: CloudProvider
    public var apiKey: APIKey
    /// Scheme and host (and optional path prefix), no trailing slash: `https://api.minimax.io`.
    public var baseURL: String
    /// The provider's own name for the model (`music-2.6`, `music_v1`, `lyria-3-pro-preview`).
    public var modelID: String
    /// Longest wait for one generation call, answer body included.
    public var requestTimeout: Duration
    /// Longest wait for downloading audio the provider answered with a URL.
    public var downloadTimeout: Duration
    public var retry: RetryPolicy
    /// A typical generation time; the progress estimate approaches 90 % around three times this.
    public var expectedSeconds: Int

    public init(
        provider: CloudProvider, apiKey: APIKey, baseURL: String? = nil, modelID: String? = nil,
        requestTimeout: Duration = .seconds(600), downloadTimeout: Duration = .seconds(120),
        retry: RetryPolicy = RetryPolicy(), expectedSeconds: Int? = nil
    ) {
        self.provider = provider
        self.apiKey = apiKey
        let base = baseURL ?? provider.defaultBaseURL
        self.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.modelID = modelID ?? Self.defaultModelID(provider)
        self.requestTimeout = requestTimeout
        self.downloadTimeout = downloadTimeout
        self.retry = retry
        self.expectedSeconds = max(1, expectedSeconds ?? provider.defaultExpectedSeconds)
    }

    static func defaultModelID(_ provider: CloudProvider) -> String {
        switch provider {
        case .minimax: "music-2.6"
        case .elevenlabs: "music_v1"
        case .google: "lyria-3-pro-preview"
        }
    }
}

/// Which backend renders a model.
public enum ModelBackend: Sendable, Hashable {
    case local
    case cloud(CloudProvider)

    /// As `GET /models` shows it and the track's `provider` names it.
    public var name: String {
        switch self {
        case .local: "local"
        case .cloud(let provider): provider.rawValue
        }
    }
}

public struct ModelRoute: Sendable, Hashable {
    public var backend: ModelBackend
    /// When the provider is down (timeouts, 5xx, rate limits that outlast the retries), make the song with the
    /// local engine instead and mark it (`provider: "local"`, `fallback_from`). Off unless configured.
    public var fallbackToLocal: Bool

    public init(backend: ModelBackend, fallbackToLocal: Bool = false) {
        self.backend = backend
        self.fallbackToLocal = fallbackToLocal
    }
}

/// The operator's routing of models to backends, resolved once at start-up from the environment and an optional
/// JSON file. Without any of it every model stays on the local engine.
///
/// Environment: `TUNESMITH_<PROVIDER>_API_KEY` (setting one routes the provider's model to it) and
/// `TUNESMITH_<PROVIDER>_BASE_URL`. Keys come from the environment only, never from the file, so the file can be
/// committed or shown. The file (`--providers-config`, `TUNESMITH_PROVIDERS_CONFIG`) may set, per provider,
/// `base_url`, `model_id`, `request_timeout_seconds`, `download_timeout_seconds`, `max_attempts`,
/// `max_rate_limited_attempts`, `initial_backoff_seconds`, `max_backoff_seconds` and `expected_seconds`, and, per
/// model, `backend` (`"local"` or its provider) and `fallback_to_local`. The environment's base URL wins over the
/// file's.
public struct ProviderRouting: Sendable {
    public static let configFileVariable = "TUNESMITH_PROVIDERS_CONFIG"

    /// Providers with a key, whether or not a model is routed to them.
    public var providers: [CloudProvider: ProviderSettings]
    public var routes: [MusicModel: ModelRoute]

    public init(providers: [CloudProvider: ProviderSettings] = [:], routes: [MusicModel: ModelRoute] = [:]) {
        self.providers = providers
        self.routes = routes
    }

    public func route(for model: MusicModel) -> ModelRoute { routes[model] ?? ModelRoute(backend: .local) }

    /// Each model's backend name, for `GET /models`.
    public var backendNames: [MusicModel: String] {
        Dictionary(uniqueKeysWithValues: MusicModel.allCases.map { ($0, route(for: $0).backend.name) })
    }

    /// `music-2.6=minimax, music-v1=local, ...` (with `+fallback` where enabled), for the start-up log line.
    public var summary: String {
        MusicModel.allCases.map { model in
            let route = route(for: model)
            return "\(model.rawValue)=\(route.backend.name)" + (route.fallbackToLocal ? "+fallback" : "")
        }.joined(separator: ", ")
    }

    /// Every key in use, to redact from provider text.
    var apiKeys: [APIKey] { providers.values.map(\.apiKey) }

    /// Reads the environment and, when `configFile` names one, the JSON file.
    public static func resolve(
        environment: [String: String], configFile: String?
    ) throws(ProviderConfigurationError) -> ProviderRouting {
        let file: ConfigFile
        if let configFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: configFile))
            } catch {
                throw ProviderConfigurationError("cannot read the providers config \(configFile): \(error.localizedDescription)")
            }
            file = try ConfigFile(data, path: configFile)
        } else {
            file = ConfigFile()
        }

        var routing = ProviderRouting()
        for provider in CloudProvider.allCases {
            let options = file.providers[provider] ?? ProviderOptions()
            var baseURL = options.baseURL
            if let fromEnvironment = environment[provider.baseURLVariable].flatMap(nonBlank) {
                baseURL = try checkedBaseURL(fromEnvironment, source: provider.baseURLVariable)
            }
            guard let key = APIKey(environment[provider.apiKeyVariable]) else { continue }
            routing.providers[provider] = ProviderSettings(
                provider: provider, apiKey: key, baseURL: baseURL, modelID: options.modelID,
                requestTimeout: options.requestTimeout ?? .seconds(600),
                downloadTimeout: options.downloadTimeout ?? .seconds(120), retry: options.retry,
                expectedSeconds: options.expectedSeconds)
        }
        for model in MusicModel.allCases {
            let provider = CloudProvider(model: model)
            let configured = file.models[model]
            let backend: ModelBackend
            switch configured?.backend {
            case .local?:
                backend = .local
            case .cloud(let named)?:
                guard named == provider else {
                    throw ProviderConfigurationError(
                        "models.\(model.rawValue).backend: \(model.rawValue) can be rendered by \"local\" or \"\(provider.rawValue)\" only, got \"\(named.rawValue)\"")
                }
                guard routing.providers[provider] != nil else {
                    throw ProviderConfigurationError(
                        "models.\(model.rawValue).backend is \"\(provider.rawValue)\" but \(provider.apiKeyVariable) is not set")
                }
                backend = .cloud(provider)
            case nil:
                backend = routing.providers[provider] != nil ? .cloud(provider) : .local
            }
            let fallback = configured?.fallbackToLocal ?? false
            if fallback, backend == .local {
                throw ProviderConfigurationError(
                    "models.\(model.rawValue).fallback_to_local needs the model routed to \(provider.rawValue)")
            }
            if backend != .local || fallback { routing.routes[model] = ModelRoute(backend: backend, fallbackToLocal: fallback) }
        }
        return routing
    }

    private static func nonBlank(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func checkedBaseURL(_ text: String, source: String) throws(ProviderConfigurationError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil, url.query == nil, url.fragment == nil
        else {
            throw ProviderConfigurationError("\(source) must be an absolute http(s) URL without a query, got '\(text)'")
        }
        return text
    }
}

/// A providers setting that cannot be used; says which and why (never a key).
public struct ProviderConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - The JSON file

struct ProviderOptions: Sendable {
    var baseURL: String?
    var modelID: String?
    var requestTimeout: Duration?
    var downloadTimeout: Duration?
    var retry = RetryPolicy()
    var expectedSeconds: Int?
}

struct ModelOptions: Sendable {
    var backend: ModelBackend?
    var fallbackToLocal: Bool?
}

/// The parsed providers config. Unknown names are errors, so a typo is not silently ignored.
struct ConfigFile: Sendable {
    var providers: [CloudProvider: ProviderOptions] = [:]
    var models: [MusicModel: ModelOptions] = [:]

    init() {}

    init(_ data: Data, path: String) throws(ProviderConfigurationError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ProviderConfigurationError("\(path) is not valid JSON")
        }
        let top = try Self.object(root, "the top level", allowed: ["providers", "models"])
        if let providers = top["providers"] {
            for (name, value) in try Self.object(providers, "providers", allowed: nil) {
                guard let provider = CloudProvider(rawValue: name) else {
                    throw ProviderConfigurationError(
                        "providers.\(name): unknown provider (minimax, elevenlabs or google)")
                }
                self.providers[provider] = try Self.providerOptions(value, provider: provider)
            }
        }
        if let models = top["models"] {
            for (name, value) in try Self.object(models, "models", allowed: nil) {
                guard let model = MusicModel(rawValue: name) else {
                    throw ProviderConfigurationError("models.\(name): unknown model")
                }
                let fields = try Self.object(value, "models.\(name)", allowed: ["backend", "fallback_to_local"])
                var options = ModelOptions()
                if let backend = fields["backend"] {
                    guard case .string(let text) = backend else {
                        throw ProviderConfigurationError("models.\(name).backend must be a string")
                    }
                    if text == "local" {
                        options.backend = .local
                    } else if let provider = CloudProvider(rawValue: text) {
                        options.backend = .cloud(provider)
                    } else {
                        throw ProviderConfigurationError("models.\(name).backend: unknown backend \"\(text)\"")
                    }
                }
                if let fallback = fields["fallback_to_local"] {
                    guard case .bool(let flag) = fallback else {
                        throw ProviderConfigurationError("models.\(name).fallback_to_local must be true or false")
                    }
                    options.fallbackToLocal = flag
                }
                self.models[model] = options
            }
        }
    }

    private static let providerFields: Set<String> = [
        "base_url", "model_id", "request_timeout_seconds", "download_timeout_seconds", "max_attempts",
        "max_rate_limited_attempts", "initial_backoff_seconds", "max_backoff_seconds", "expected_seconds",
    ]

    private static func providerOptions(
        _ value: JSONValue, provider: CloudProvider
    ) throws(ProviderConfigurationError) -> ProviderOptions {
        let where_ = "providers.\(provider.rawValue)"
        let fields = try object(value, where_, allowed: providerFields)
        var options = ProviderOptions()
        if let text = try string(fields["base_url"], "\(where_).base_url") {
            options.baseURL = try ProviderRouting.checkedBaseURL(text, source: "\(where_).base_url")
        }
        options.modelID = try string(fields["model_id"], "\(where_).model_id")
        options.requestTimeout = try seconds(fields["request_timeout_seconds"], "\(where_).request_timeout_seconds", 1...3_600)
        options.downloadTimeout = try seconds(fields["download_timeout_seconds"], "\(where_).download_timeout_seconds", 1...3_600)
        var retry = RetryPolicy()
        if let attempts = try number(fields["max_attempts"], "\(where_).max_attempts", 1...10) {
            retry.maxAttempts = Int(attempts)
        }
        if let attempts = try number(fields["max_rate_limited_attempts"], "\(where_).max_rate_limited_attempts", 1...50) {
            retry.maxRateLimitedAttempts = Int(attempts)
        }
        if let initial = try seconds(fields["initial_backoff_seconds"], "\(where_).initial_backoff_seconds", 0...600) {
            retry.initialBackoff = initial
        }
        if let maximum = try seconds(fields["max_backoff_seconds"], "\(where_).max_backoff_seconds", 0...3_600) {
            retry.maxBackoff = maximum
        }
        guard retry.maxBackoff >= retry.initialBackoff else {
            throw ProviderConfigurationError("\(where_).max_backoff_seconds must not be below initial_backoff_seconds")
        }
        options.retry = retry
        options.expectedSeconds = try number(fields["expected_seconds"], "\(where_).expected_seconds", 1...3_600).map { Int($0) }
        return options
    }

    private static func object(
        _ value: JSONValue, _ name: String, allowed: Set<String>?
    ) throws(ProviderConfigurationError) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw ProviderConfigurationError("\(name) must be an object") }
        if let allowed, let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ProviderConfigurationError(
                "\(name): unknown setting \"\(unknown)\" (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        return members
    }

    private static func string(_ value: JSONValue?, _ name: String) throws(ProviderConfigurationError) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value, !text.isEmpty else {
            throw ProviderConfigurationError("\(name) must be a non-empty string")
        }
        return text
    }

    private static func number(
        _ value: JSONValue?, _ name: String, _ range: ClosedRange<Double>
    ) throws(ProviderConfigurationError) -> Double? {
        guard let value else { return nil }
        guard case .number(let number) = value, range.contains(number) else {
            throw ProviderConfigurationError(
                "\(name) must be a number in \(Int(range.lowerBound))...\(Int(range.upperBound))")
        }
        return number
    }

    private static func seconds(
        _ value: JSONValue?, _ name: String, _ range: ClosedRange<Double>
    ) throws(ProviderConfigurationError) -> Duration? {
        try number(value, name, range).map { .milliseconds(Int64($0 * 1000)) }
    }
}
