import Foundation
import Logging
import TunesmithCore
import TunesmithServer

/// A test-only server process for the scale-out drills and `scripts/bench-scale.sh`: the real `TunesmithServer`
/// wiring (database, notifier, worker pool, callbacks, HTTP) with an engine that sleeps instead of rendering, so a
/// drill can run hundreds of jobs across several processes in seconds. Never part of a product.
///
/// Configured exactly like `tunesmith serve|worker` by the TUNESMITH_* environment variables (ServerConfiguration),
/// plus:
///   - the first argument: `serve` or `worker` (the role);
///   - TUNESMITH_DRILL_SLEEP_MS: how long each "render" takes (default 200; 0 = return at once).
@main
struct DrillNode {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let roleName = arguments.first, let role = ServerRole(rawValue: roleName) else {
            FileHandle.standardError.write(Data("usage: DrillNode serve|worker (settings by TUNESMITH_* variables)\n".utf8))
            exit(2)
        }
        let environment = ProcessInfo.processInfo.environment
        let configuration = try ServerConfiguration(
            flags: .init(), environment: environment, processorCount: ProcessInfo.processInfo.activeProcessorCount)
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label), level: level)
        }
        let sleep = Int(environment["TUNESMITH_DRILL_SLEEP_MS"] ?? "") ?? 200
        try await Server(configuration: configuration, role: role).run(engine: SleepingEngine(milliseconds: sleep))
    }
}

/// Sleeps (cancellably, as a real engine must stop within a second of a DELETE) and returns a few bytes per
/// media kind. The MP3's bytes name this process and the request's seed, so a drill can tell whose file it is.
struct SleepingEngine: MusicEngine {
    let provider = "local"
    let milliseconds: Int

    func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        progress(0.1)
        if milliseconds > 0 { try await Task.sleep(for: .milliseconds(milliseconds)) }
        try Task.checkCancellation()
        progress(0.9)
        let owner = "drill-pid=\(ProcessInfo.processInfo.processIdentifier);seed=\(request.seed);"
        // ID3 first: what the API and clients take for an MP3; padded so Range requests have bytes to cut.
        let mp3 = Data("ID3\(owner)".utf8) + Data(repeating: 0x55, count: 4_096)
        return GeneratedSong(
            title: "Drill \(request.seed)", lyrics: request.instrumental ? nil : "la la la",
            durationSeconds: Double(min(30, request.maxSeconds)), bpm: 100, key: "C major", genre: "drill",
            media: [.mp3: mp3, .midi: Data("MThd".utf8), .sheet: Data("{}".utf8), .lrc: Data("[00:00.00]la".utf8)])
    }
}
