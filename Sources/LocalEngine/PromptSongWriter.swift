import AudioEngine
import Composer
import Foundation
import ImageAnalysis
import TunesmithCore

/// The standard song writer: the prompt parser decides the brief (moved by the reference images, if any), the
/// composer writes the score, the performer plays it.
public struct PromptSongWriter: SongWriter {
    public var images: ImageFeatureExtractor

    public init(images: ImageFeatureExtractor = ImageFeatureExtractor()) {
        self.images = images
    }

    public func write(_ request: GenerationRequest) throws -> ComposedSong {
        let features = try request.images.map { url in
            do {
                return try images.features(ofFile: url)
            } catch {
                // Uploads are decoded when they arrive, so this means the stored file changed or a decoder
                // disagrees with itself: fail the job and say which image.
                throw ReferenceImageUnusable(name: url.lastPathComponent, reason: String(describing: error))
            }
        }
        let brief = PromptParser().brief(
            for: request.prompt, seed: request.seed, maxSeconds: request.maxSeconds,
            images: ImageFeatures.combined(features), count: features.count)
        let score = SongComposer().compose(brief)
        return ComposedSong(score: score, performance: Performer().perform(score))
    }
}

/// A stored reference image that cannot be decoded; the job fails with this as its reason.
public struct ReferenceImageUnusable: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var name: String
    public var reason: String

    public var description: String { "The reference image \(name) cannot be used: \(reason)" }
    public var errorDescription: String? { description }
}

extension LocalEngine {
    /// The engine with the standard prompt -> score -> performance pipeline.
    public init(renderer: SongRenderer = SongRenderer()) {
        self.init(writer: PromptSongWriter(), renderer: renderer)
    }
}
