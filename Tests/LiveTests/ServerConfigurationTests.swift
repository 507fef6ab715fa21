import Logging
import Testing

@testable import TunesmithServer

@Suite("ServerConfiguration: flag wins over environment, environment over default")
struct ServerConfigurationTests {
    /// Only FluidR3 counts as installed unless a test says otherwise, so the defaults do not depend on the machine.
    private func resolve(
        _ flags: ServerConfiguration.Flags = .init(), _ environment: [String: String] = [:], cores: Int = 4,
        installed: Set<String> = ["/usr/share/sounds/sf2/FluidR3_GM.sf2"]
    ) throws -> ServerConfiguration {
        try ServerConfiguration(
            flags: flags, environment: environment, processorCount: cores, soundFontInstalled: installed.contains)
    }

    @Test func defaultsWhenNothingIsGiven() throws {
        let configuration = try resolve()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.workers == 4)
        #expect(configuration.baseURL == "http://127.0.0.1:8080")
        #expect(configuration.soundFont == "/usr/share/sounds/sf2/FluidR3_GM.sf2")
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.maxUploadBytes == 20_000_000)
        #expect(configuration.allowPrivateCallbacks == false)
        #expect(configuration.logLevel == .info)
        #expect(configuration.leaseSeconds == 30)
        #expect(configuration.database == nil)
        #expect(configuration.mediaDirectory == nil)
        #expect(configuration.adminPort == 8081)
    }

    @Test func defaultSoundFontIsMuseScoreGeneralWhenInstalled() throws {
        let museScore = "/usr/share/sounds/sf2/MuseScore_General_Full.sf2"
        let both: Set = [museScore, "/usr/share/sounds/sf2/FluidR3_GM.sf2"]
        #expect(try resolve(installed: both).soundFont == museScore)
        #expect(try resolve(installed: []).soundFont == "/usr/share/sounds/sf2/FluidR3_GM.sf2")
        #expect(try resolve(.init(), ["TUNESMITH_SOUNDFONT": "/tmp/x.sf2"], installed: both).soundFont == "/tmp/x.sf2")
    }

    @Test func environmentOverridesDefaults() throws {
        let configuration = try resolve(
            .init(),
            [
                "TUNESMITH_HOST": "0.0.0.0", "TUNESMITH_PORT": "9000", "TUNESMITH_DATA_DIR": "/var/lib/tunesmith",
                "TUNESMITH_WORKERS": "0", "TUNESMITH_SOUNDFONT": "/tmp/x.sf2", "TUNESMITH_MAX_BODY_BYTES": "4096",
                "TUNESMITH_MAX_UPLOAD_BYTES": "5000000", "TUNESMITH_ALLOW_PRIVATE_CALLBACKS": "1",
                "TUNESMITH_LOG_LEVEL": "DEBUG", "TUNESMITH_LEASE_SECONDS": "5",
                "TUNESMITH_DATABASE_URL": "postgres://tunesmith@db.internal/tunesmith",
                "TUNESMITH_MEDIA_DIR": "/mnt/media", "TUNESMITH_ADMIN_PORT": "9100",
            ])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.dataDirectory == "/var/lib/tunesmith")
        #expect(configuration.workers == 0)
        // A wildcard address is not reachable; links name loopback instead.
        #expect(configuration.baseURL == "http://127.0.0.1:9000")
        #expect(configuration.soundFont == "/tmp/x.sf2")
        #expect(configuration.maxBodyBytes == 4096)
        #expect(configuration.maxUploadBytes == 5_000_000)
        #expect(configuration.allowPrivateCallbacks)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.leaseSeconds == 5)
        #expect(configuration.database == "postgres://tunesmith@db.internal/tunesmith")
        #expect(configuration.mediaDirectory == "/mnt/media")
        #expect(configuration.adminPort == 9100)
    }

    @Test func flagsOverrideEnvironment() throws {
        var flags = ServerConfiguration.Flags()
        flags.port = 7000
        flags.workers = 3
        flags.allowPrivateCallbacks = false
        flags.baseURL = "https://music.example.com/"
        flags.logLevel = "warning"
        let configuration = try resolve(
            flags,
            [
                "TUNESMITH_PORT": "9000", "TUNESMITH_WORKERS": "8", "TUNESMITH_ALLOW_PRIVATE_CALLBACKS": "true",
                "TUNESMITH_BASE_URL": "http://other:1", "TUNESMITH_LOG_LEVEL": "trace",
            ])
        #expect(configuration.port == 7000)
        #expect(configuration.workers == 3)
        #expect(configuration.allowPrivateCallbacks == false)
        #expect(configuration.baseURL == "https://music.example.com")
        #expect(configuration.logLevel == .warning)
    }

    @Test func theProvidersConfigComesFromTheFlagOrTheEnvironment() throws {
        #expect(try resolve().providersConfig == nil)
        let environment = ["TUNESMITH_PROVIDERS_CONFIG": "/etc/tunesmith/providers.json"]
        #expect(try resolve(.init(), environment).providersConfig == "/etc/tunesmith/providers.json")
        var flags = ServerConfiguration.Flags()
        flags.providersConfig = "/tmp/providers.json"
        #expect(try resolve(flags, environment).providersConfig == "/tmp/providers.json")
    }

    @Test func blankEnvironmentValuesCountAsUnset() throws {
        let configuration = try resolve(.init(), ["TUNESMITH_PORT": " ", "TUNESMITH_HOST": ""])
        #expect(configuration.port == 8080)
        #expect(configuration.host == "127.0.0.1")
    }

    @Test func ipv6HostIsBracketedInTheDefaultBaseURL() throws {
        var flags = ServerConfiguration.Flags()
        flags.host = "::1"
        #expect(try resolve(flags).baseURL == "http://[::1]:8080")
    }

    @Test(arguments: [
        (["TUNESMITH_PORT": "eighty"], ServerConfiguration.Setting.port),
        (["TUNESMITH_PORT": "70000"], .port),
        (["TUNESMITH_PORT": "0"], .port),
        (["TUNESMITH_WORKERS": "-1"], .workers),
        (["TUNESMITH_ALLOW_PRIVATE_CALLBACKS": "maybe"], .allowPrivateCallbacks),
        (["TUNESMITH_LOG_LEVEL": "loud"], .logLevel),
        (["TUNESMITH_BASE_URL": "ftp://example.com"], .baseURL),
        (["TUNESMITH_BASE_URL": "not a url"], .baseURL),
        (["TUNESMITH_MAX_BODY_BYTES": "10"], .maxBodyBytes),
        (["TUNESMITH_LEASE_SECONDS": "1"], .leaseSeconds),
        (["TUNESMITH_DATABASE_URL": "mysql://tunesmith@db/tunesmith"], .database),
        (["TUNESMITH_DATABASE_URL": "postgres://db.internal/tunesmith"], .database),
        (["TUNESMITH_ADMIN_PORT": "0"], .adminPort),
    ])
    func badValuesAreRejectedNamingTheSetting(
        environment: [String: String], setting: ServerConfiguration.Setting
    ) throws {
        let error = #expect(throws: ConfigurationError.self) { try resolve(.init(), environment) }
        #expect(error?.setting == setting)
        #expect(error?.description.contains(setting.environmentVariable) == true)
        #expect(error?.description.contains(setting.flag) == true)
    }

    @Test func workersDefaultToTheCoreCountButAtLeastOne() throws {
        #expect(try resolve(cores: 8).workers == 8)
        #expect(try resolve(cores: 0).workers == 1)
    }
}
