import Foundation
import TunesmithCore

@testable import Jobs

struct EngineExploded: Error, CustomStringConvertible {
    var description: String { "the fake engine exploded" }
}

/// A music engine double: returns a few bytes per media kind, or fails, or blocks until cancelled or released,
/// and records what happened so tests can measure it.
final class FakeEngine: MusicEngine {
    enum Mode: Sendable {
        case succeed
        case fail
        case rejectCredentials
        /// Reports progress, then waits until its task is cancelled.
        case blockUntilCancelled
        /// Reports progress, then waits for `release()` and succeeds (ignores cancellation, like slow work).
        case blockUntilReleased
    }

    let provider = "fake"
    let mode: Locked<Mode>
    /// How many times `generate` was entered.
    let calls = Locked(0)
    /// When the engine noticed its cancellation.
    let cancelledAt = Locked<ContinuousClock.Instant?>(nil)
    private let startedSignal = WakeSignal()
    private let releaseSignal = WakeSignal()

    /// Written into the MP3's bytes, so a test can tell whose file it is.
    let tag: String

    init(_ mode: Mode = .succeed, tag: String = "") {
        self.mode = Locked(mode)
        self.tag = tag
    }

    /// Returns once `generate` has been entered (remembered if it already was).
    func waitUntilStarted() async { await startedSignal.wait() }

    func release() { releaseSignal.signal() }

    func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        calls.withValue { $0 += 1 }
        progress(0.42)
        startedSignal.signal()
        switch mode.current {
        case .succeed:
            break
        case .fail:
            throw EngineExploded()
        case .rejectCredentials:
            throw CredentialsRejected("provider said 401")
        case .blockUntilCancelled:
            do {
                while true { try await Task.sleep(for: .milliseconds(5)) }
            } catch {
                cancelledAt.withValue { $0 = .now }
                throw error
            }
        case .blockUntilReleased:
            await releaseSignal.wait()
        }
        progress(0.99)
        return GeneratedSong(
            title: "Song \(request.seed)", lyrics: request.instrumental ? nil : "la la la", durationSeconds: 2.4,
            bpm: 92, key: "F# minor", genre: "lofi",
            media: [
                .mp3: Data("ID3fake-mp3\(tag)".utf8), .midi: Data("MThd".utf8), .sheet: Data("{}".utf8),
                .lrc: Data("[00:00.00]la".utf8),
            ])
    }
}
