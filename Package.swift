// swift-tools-version:6.1
import PackageDescription

// Tunesmith: a self-hosted music-generation server. See docs/ARCHITECTURE.md for how the targets fit together.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "tunesmith",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tunesmith", targets: ["tunesmith"]),
        .executable(name: "tunesmith-bench", targets: ["TunesmithBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // MARK: Music: pure values, composing, rendering
        .target(name: "MusicTheory", swiftSettings: strict),
        .target(name: "Composer", dependencies: ["MusicTheory", "ImageAnalysis"], swiftSettings: strict),
        .systemLibrary(name: "CFluidSynth", providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(name: "CLame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(name: "CEbur128", providers: [.apt(["libebur128-dev"])]),
        .systemLibrary(name: "CAubio", providers: [.apt(["libaubio-dev"])]),
        .systemLibrary(name: "CStbImage", pkgConfig: "stb", providers: [.apt(["libstb-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        // Reference images: decoding (stb_image, libwebp) and measuring (brightness, colour, hues, edges).
        .target(
            name: "ImageAnalysis",
            dependencies: ["CStbImage", "CWebP"],
            // Per-pixel loops; optimise even in debug builds so tests and uploads stay fast.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // The singing voice speaks each word with espeak-ng at a flat pitch, then re-pitches and re-times it.
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev", "espeak-ng-data"])]),
        .target(
            name: "AudioEngine",
            dependencies: ["MusicTheory", "Composer", "CFluidSynth", "CLame", "CEbur128", "CEspeakNG"],
            // DSP loops run ~50x slower unoptimised; optimise even in debug builds so tests stay fast.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // Measures rendered audio (tempo, key, loudness, silence); used by the tests and the benchmark.
        .target(name: "AudioAnalysis", dependencies: ["CAubio", "CEbur128"], swiftSettings: strict),

        // MARK: Service: domain, storage, jobs, HTTP
        .target(
            name: "TunesmithCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "LocalEngine",
            dependencies: ["TunesmithCore", "Composer", "AudioEngine", "ImageAnalysis"],
            swiftSettings: strict
        ),
        .target(
            name: "Storage",
            dependencies: [
                "TunesmithCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The PostgreSQL backend of the stores and the media, and LISTEN/NOTIFY wake-ups between processes.
        .target(
            name: "PostgresStorage",
            dependencies: [
                "TunesmithCore", "Storage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Jobs",
            dependencies: [
                "TunesmithCore", "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "API",
            dependencies: [
                "TunesmithCore", "Storage", "Jobs", "ImageAnalysis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The composition root: configuration, roles (serve, worker), the backend, the one ServiceGroup. A library,
        // so the drills' test executable runs the same wiring with a test engine.
        .target(
            name: "TunesmithServer",
            dependencies: [
                "TunesmithCore", "Storage", "PostgresStorage", "Jobs", "API",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tunesmith",
            dependencies: [
                "TunesmithCore", "Composer", "AudioEngine", "LocalEngine", "TunesmithServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TunesmithBench",
            dependencies: ["Composer", "AudioEngine", "AudioAnalysis"],
            path: "Benchmarks/TunesmithBench",
            swiftSettings: strict
        ),

        // MARK: Tests
        // Test doubles and fixtures shared by the test targets (store backends: SQLite and a throwaway PostgreSQL
        // database per test; test clock, fake engine, callback receiver, temporary folders). Used only by test
        // targets, never by a product.
        .target(
            name: "TestSupport",
            dependencies: [
                "TunesmithCore", "Storage", "PostgresStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "MusicTheoryTests", dependencies: ["MusicTheory"]),
        .testTarget(name: "ComposerTests", dependencies: ["MusicTheory", "Composer", "ImageAnalysis"]),
        .testTarget(name: "ImageAnalysisTests", dependencies: ["ImageAnalysis"]),
        .testTarget(name: "AudioEngineTests", dependencies: [
            "Composer", "AudioEngine", "AudioAnalysis", "LocalEngine", "TunesmithCore", "ImageAnalysis",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "StorageTests", dependencies: [
            "TunesmithCore", "Storage", "PostgresStorage", "TestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "JobsTests", dependencies: [
            "TunesmithCore", "Storage", "Jobs", "TestSupport",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "APITests", dependencies: [
            "TunesmithCore", "Storage", "Jobs", "API", "LocalEngine", "ImageAnalysis", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Starts the real `tunesmith` binary and talks HTTP to it; also unit-tests its configuration parsing.
        .testTarget(name: "LiveTests", dependencies: [
            "tunesmith", "TunesmithServer", "TunesmithCore", "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
    ]
)
