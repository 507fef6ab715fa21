import Foundation
import NIOConcurrencyHelpers
import TunesmithCore

public struct EngineExploded: Error, CustomStringConvertible {
    public var description: String { "the fake engine exploded" }
}

/// A music engine double: returns a few bytes per media kind, or fails, or holds until cancelled or released,
/// and records what happened so tests can check it.
public final class FakeEngine: MusicEngine {
    public enum Mode: Sendable {
        case succeed
        case fail
        case rejectCredentials
        /// Reports progress, then holds until its task is cancelled.
        case blockUntilCancelled
        /// Reports progress, then holds until `release()` and succeeds (ignores cancellation, like slow work).
        case blockUntilReleased
    }

    public let provider = "fake"
    /// The bytes it returns as the stems zip when a request asks for stems.
    public static let stemsZip = Data("PK\u{05}\u{06}fake-zip".utf8)
    public let mode: Mode
    private let callCount = NIOLockedValueBox(0)
    private let asked = NIOLockedValueBox<[GenerationRequest]>([])
    private let cancelled = NIOLockedValueBox(false)
    private let started = Gate()
    private let released = Gate()

    /// Written into the MP3's bytes, so a test can tell whose file it is.
    public let tag: String

    public init(_ mode: Mode = .succeed, tag: String = "") {
        self.mode = mode
        self.tag = tag
    }

    /// How many times `generate` was entered.
    public var calls: Int { callCount.withLockedValue { $0 } }
    /// What it was asked to make, in order.
    public var requests: [GenerationRequest] { asked.withLockedValue { $0 } }
    /// Whether a generation saw its task cancelled.
    public var wasCancelled: Bool { cancelled.withLockedValue { $0 } }

    /// Returns once `generate` has been entered (at once if it already was).
    public func waitUntilStarted() async { await started.wait() }

    public func release() { released.open() }

    public func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        callCount.withLockedValue { $0 += 1 }
        asked.withLockedValue { $0.append(request) }
        progress(0.42)
        started.open()
        switch mode {
        case .succeed:
            break
        case .fail:
            throw EngineExploded()
        case .rejectCredentials:
            throw CredentialsRejected("provider said 401")
        case .blockUntilCancelled:
            // A gate nobody opens: only cancellation gets past it.
            await Gate().wait()
            cancelled.withLockedValue { $0 = true }
            throw CancellationError()
        case .blockUntilReleased:
            await released.wait()
        }
        progress(0.99)
        var media: [MediaKind: Data] = [
            .mp3: Data("ID3fake-mp3\(tag)".utf8), .midi: Data("MThd".utf8), .sheet: Data("{}".utf8),
            .lrc: Data("[00:00.00]la".utf8),
        ]
        if request.stems { media[.stems] = Self.stemsZip }
        return GeneratedSong(
            title: "Song \(request.seed)", lyrics: request.instrumental ? nil : "la la la", durationSeconds: 2.4,
            bpm: 92, key: "F# minor", genre: "lofi", media: media)
    }
}
