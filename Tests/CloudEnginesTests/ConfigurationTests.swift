import CloudEngines
import Foundation
import Testing
import TunesmithCore

/// Routing is operator configuration: environment keys and base URLs, and an optional JSON file.
@Suite("Provider routing configuration")
struct ConfigurationTests {
    static let keys = [
        "TUNESMITH_MINIMAX_API_KEY": "mm-secret-1", "TUNESMITH_ELEVENLABS_API_KEY": "el-secret-2",
        "TUNESMITH_GOOGLE_API_KEY": "gg-secret-3",
    ]

    static func file(_ json: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("providers-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test func nothingConfiguredKeepsEveryModelLocal() throws {
        let routing = try ProviderRouting.resolve(environment: ["TUNESMITH_MINIMAX_API_KEY": "  "], configFile: nil)
        #expect(routing.providers.isEmpty)
        #expect(routing.backendNames == [.music26: "local", .musicV1: "local", .lyria3ProPreview: "local"])
        #expect(routing.summary == "music-2.6=local, music-v1=local, lyria-3-pro-preview=local")
    }

    @Test func aKeyRoutesItsModelToTheDocumentedHost() throws {
        let routing = try ProviderRouting.resolve(environment: ["TUNESMITH_ELEVENLABS_API_KEY": "el-secret-2"], configFile: nil)
        #expect(routing.backendNames == [.music26: "local", .musicV1: "elevenlabs", .lyria3ProPreview: "local"])
        let settings = try #require(routing.providers[.elevenlabs])
        #expect(settings.baseURL == "https://api.elevenlabs.io")
        #expect(settings.modelID == "music_v1")
        #expect(settings.apiKey.exposedValue == "el-secret-2")
        #expect(routing.route(for: .musicV1).fallbackToLocal == false)
    }

    @Test func everyKeyAndBaseURL() throws {
        var environment = Self.keys
        environment["TUNESMITH_MINIMAX_BASE_URL"] = "https://api.minimaxi.com/"
        environment["TUNESMITH_GOOGLE_BASE_URL"] = "http://127.0.0.1:9999/proxy"
        let routing = try ProviderRouting.resolve(environment: environment, configFile: nil)
        #expect(routing.backendNames == [.music26: "minimax", .musicV1: "elevenlabs", .lyria3ProPreview: "google"])
        #expect(routing.providers[.minimax]?.baseURL == "https://api.minimaxi.com")
        #expect(routing.providers[.google]?.baseURL == "http://127.0.0.1:9999/proxy")
        #expect(routing.providers[.elevenlabs]?.baseURL == "https://api.elevenlabs.io")
    }

    @Test func theFileSendsAModelBackToLocalAndSetsTimeoutsRetriesAndFallback() throws {
        let path = try Self.file(
            """
            {
              "providers": {
                "google": {"base_url": "https://eu.example.com", "request_timeout_seconds": 90, "max_attempts": 5,
                           "max_rate_limited_attempts": 2, "initial_backoff_seconds": 0.5, "max_backoff_seconds": 10,
                           "expected_seconds": 40, "model_id": "lyria-3-pro-preview-2", "download_timeout_seconds": 30}
              },
              "models": {
                "music-2.6": {"backend": "local"},
                "lyria-3-pro-preview": {"backend": "google", "fallback_to_local": true}
              }
            }
            """)
        var environment = Self.keys
        environment["TUNESMITH_GOOGLE_BASE_URL"] = "https://wins.example.com"
        let routing = try ProviderRouting.resolve(environment: environment, configFile: path)
        #expect(routing.backendNames == [.music26: "local", .musicV1: "elevenlabs", .lyria3ProPreview: "google"])
        #expect(routing.route(for: .lyria3ProPreview).fallbackToLocal)
        let google = try #require(routing.providers[.google])
        #expect(google.baseURL == "https://wins.example.com", "the environment wins over the file")
        #expect(google.modelID == "lyria-3-pro-preview-2")
        #expect(google.requestTimeout == .seconds(90) && google.downloadTimeout == .seconds(30))
        #expect(google.retry == RetryPolicy(maxAttempts: 5, maxRateLimitedAttempts: 2, initialBackoff: .milliseconds(500), maxBackoff: .seconds(10)))
        #expect(google.expectedSeconds == 40)
        #expect(routing.summary.contains("lyria-3-pro-preview=google+fallback"))
    }

    static let badFiles: [(String, String)] = [
        ("not json", "is not valid JSON"),
        (#"{"providers": {"minimax": {"api_key": "x"}}}"#, #"unknown setting "api_key""#),
        (#"{"providers": {"suno": {}}}"#, "providers.suno: unknown provider"),
        (#"{"models": {"music-9": {"backend": "local"}}}"#, "models.music-9: unknown model"),
        (#"{"models": {"music-2.6": {"backend": "google"}}}"#, #"can be rendered by "local" or "minimax" only"#),
        (#"{"models": {"music-2.6": {"backend": "local", "fallback_to_local": true}}}"#, "fallback_to_local needs the model routed"),
        (#"{"providers": {"google": {"max_attempts": 0}}}"#, "max_attempts must be a number in 1...10"),
        (#"{"providers": {"google": {"base_url": "ftp://x"}}}"#, "base_url must be an absolute http(s) URL"),
        (#"{"providers": {"google": {"initial_backoff_seconds": 9, "max_backoff_seconds": 3}}}"#, "must not be below"),
    ]

    @Test(arguments: badFiles.indices)
    func badFilesAreRefusedNamingTheSetting(index: Int) throws {
        let (json, message) = Self.badFiles[index]
        let path = try Self.file(json)
        let error = #expect(throws: ProviderConfigurationError.self) {
            try ProviderRouting.resolve(environment: Self.keys, configFile: path)
        }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test func aModelRoutedInTheFileNeedsItsKey() throws {
        let path = try Self.file(#"{"models": {"music-v1": {"backend": "elevenlabs"}}}"#)
        let error = #expect(throws: ProviderConfigurationError.self) {
            try ProviderRouting.resolve(environment: [:], configFile: path)
        }
        #expect(error?.description.contains("TUNESMITH_ELEVENLABS_API_KEY is not set") == true)
        #expect(throws: ProviderConfigurationError.self) {
            try ProviderRouting.resolve(environment: ["TUNESMITH_MINIMAX_BASE_URL": "api.minimax.io"], configFile: nil)
        }
        #expect(throws: ProviderConfigurationError.self) {
            try ProviderRouting.resolve(environment: [:], configFile: "/nonexistent/providers.json")
        }
    }

    @Test func keysNeverShowInDescriptions() throws {
        let routing = try ProviderRouting.resolve(environment: Self.keys, configFile: nil)
        var dumped = ""
        dump(routing, to: &dumped)
        let described = "\(routing) \(String(reflecting: routing)) \(dumped)"
        for key in Self.keys.values { #expect(!described.contains(key)) }
        #expect(APIKey("  padded\n")?.exposedValue == "padded")
        #expect(APIKey("") == nil && APIKey(nil) == nil)
    }
}
