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
        // Seeded random streams (SplitMix64): the same seed gives the same song on every platform.
        .target(name: "SeededRandom", swiftSettings: strict),
        // What a reference image looks like, as plain values (no decoders): read by the brief, made by ImageAnalysis.
        .target(name: "ImageFeatureValues", swiftSettings: strict),
        // Prompt understanding: a prompt (+ image features) read into a `Brief` (genre, mood, tempo, key, band, voice).
        .target(
            name: "SongBrief", dependencies: ["MusicTheory", "SeededRandom", "ImageFeatureValues"], swiftSettings: strict),
        // Words to sing: the pronouncing dictionary, user lyrics parsed, lyrics written from a brief.
        .target(name: "SongLyrics", dependencies: ["MusicTheory", "SeededRandom", "SongBrief"], swiftSettings: strict),
        // The music: a brief (+ lyrics) composed into a `Score` (form, harmony, melody, arrangement) and performed.
        .target(
            name: "Composer", dependencies: ["MusicTheory", "SeededRandom", "SongBrief", "SongLyrics"],
            swiftSettings: strict),
        .systemLibrary(name: "CFluidSynth", providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(name: "CLame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(name: "CEbur128", providers: [.apt(["libebur128-dev"])]),
        .systemLibrary(name: "CAubio", providers: [.apt(["libaubio-dev"])]),
        .systemLibrary(name: "CStbImage", pkgConfig: "stb", providers: [.apt(["libstb-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        // Reference images: decoding (stb_image, libwebp) and measuring (brightness, colour, hues, edges).
        .target(
            name: "ImageAnalysis",
            dependencies: ["CStbImage", "CWebP", "ImageFeatureValues"],
            // Per-pixel loops; optimise even in debug builds so tests and uploads stay fast.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // The one Swift owner of libebur128 state: loudness and peaks per EBU R128, for mastering and for analysis.
        .target(name: "LoudnessMetering", dependencies: ["CEbur128"], swiftSettings: strict),
        // The singing voice: Flite's clustergen voices (recorded speech) predict the spectrum the singer sings with.
        .systemLibrary(name: "CFlite", providers: [.apt(["flite1-dev"])]),
        // File formats written or read by more than one engine: LRC lyrics, MP3 frame headers (durations).
        .target(name: "MediaFormats", swiftSettings: strict),
        .target(
            name: "AudioEngine",
            dependencies: [
                "MusicTheory", "SeededRandom", "SongBrief", "SongLyrics", "Composer", "LoudnessMetering",
                "MediaFormats", "CFluidSynth", "CLame", "CFlite", "CAubio",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // The DSP loops are far too slow unoptimised (docs/modules/audio.md); optimise even in debug builds.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // Measures rendered audio (tempo, key, loudness, silence); used by the tests and the benchmark.
        .target(name: "AudioAnalysis", dependencies: ["CAubio", "LoudnessMetering"], swiftSettings: strict),

        // MARK: Service: domain, storage, jobs, HTTP
        .target(
            name: "TunesmithCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "LocalEngine",
            dependencies: [
                "TunesmithCore", "SongBrief", "SongLyrics", "Composer", "AudioEngine", "ImageFeatureValues",
                "ImageAnalysis", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // MiniMax, ElevenLabs and Google Lyria behind the `MusicEngine` protocol, and the per-model routing.
        .target(
            name: "CloudEngines",
            dependencies: [
                "TunesmithCore", "MediaFormats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
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
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The composition root: configuration, roles (serve, worker), the backend, the one ServiceGroup. A library,
        // so the drills' test executable runs the same wiring with a test engine.
        .target(
            name: "TunesmithServer",
            dependencies: [
                "TunesmithCore", "Storage", "PostgresStorage", "Jobs", "API", "CloudEngines", "AudioEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tunesmith",
            dependencies: [
                "TunesmithCore", "SongBrief", "Composer", "AudioEngine", "LocalEngine", "CloudEngines", "Storage",
                "TunesmithServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TunesmithBench",
            dependencies: ["SongBrief", "Composer", "AudioEngine", "AudioAnalysis"],
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
        // Fixtures the music test targets share (the pronouncing dictionary, loaded once). Never in a product.
        .target(
            name: "MusicTestSupport", dependencies: ["SongLyrics"], path: "Tests/MusicTestSupport", swiftSettings: strict),
        .testTarget(name: "MusicTheoryTests", dependencies: ["MusicTheory"]),
        .testTarget(name: "SongBriefTests", dependencies: ["MusicTheory", "SongBrief", "ImageFeatureValues"]),
        .testTarget(
            name: "SongLyricsTests", dependencies: ["MusicTheory", "SongBrief", "SongLyrics", "MusicTestSupport"]),
        .testTarget(name: "ComposerTests", dependencies: [
            "MusicTheory", "SeededRandom", "SongBrief", "SongLyrics", "Composer", "MusicTestSupport",
        ]),
        .testTarget(name: "ImageAnalysisTests", dependencies: ["ImageFeatureValues", "ImageAnalysis"]),
        .testTarget(name: "AudioEngineTests", dependencies: [
            "MusicTheory", "SongBrief", "SongLyrics", "Composer", "AudioEngine", "AudioAnalysis", "LocalEngine",
            "TunesmithCore", "ImageFeatureValues", "ImageAnalysis", "MusicTestSupport",
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
            "TunesmithCore", "Storage", "Jobs", "API", "LocalEngine", "ImageAnalysis", "TestSupport", "ProviderFakes",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Loopback stand-ins for the three providers' APIs (test code only): they answer with a real MP3 made by
        // our own encoder, or with each documented error.
        .target(
            name: "ProviderFakes",
            dependencies: [
                "AudioEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Tests/ProviderFakes"
        ),
        .testTarget(name: "CloudEnginesTests", dependencies: [
            "CloudEngines", "MediaFormats", "ProviderFakes", "AudioEngine", "TunesmithCore", "Storage", "Jobs", "API",
            "LocalEngine",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // The drills' server process (test code only, never a product): the real `TunesmithServer` wiring with an
        // engine that sleeps instead of rendering (Tests/DrillNode/DrillNode.swift). Also used by
        // scripts/bench-scale.sh.
        .executableTarget(
            name: "DrillNode",
            dependencies: [
                "TunesmithCore", "TunesmithServer", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DrillNode",
            swiftSettings: strict
        ),
        // Failure drills: API and worker processes (DrillNode, the real `tunesmith worker`) on one PostgreSQL
        // database, with kill -9, SIGSTOP, database restarts and cancels under load. Only with a test database.
        .testTarget(name: "DrillTests", dependencies: [
            "DrillNode", "tunesmith", "TestSupport", "PostgresStorage",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Starts the real `tunesmith` binary and talks HTTP to it; also unit-tests its configuration parsing.
        // With TUNESMITH_TEST_ENGINES=cloud the server routes every model to fake providers (ProviderFakes).
        .testTarget(name: "LiveTests", dependencies: [
            "tunesmith", "TunesmithServer", "TunesmithCore", "TestSupport", "ProviderFakes",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
    ]
)
