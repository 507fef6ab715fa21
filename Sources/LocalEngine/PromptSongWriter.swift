import AudioEngine
import Composer
import TunesmithCore

/// The standard song writer: the prompt parser decides the brief, the composer writes the score, the performer
/// plays it.
public struct PromptSongWriter: SongWriter {
    public init() {}

    public func write(_ request: GenerationRequest) throws -> ComposedSong {
        let brief = PromptParser().brief(for: request.prompt, seed: request.seed, maxSeconds: request.maxSeconds)
        let score = SongComposer().compose(brief)
        return ComposedSong(score: score, performance: Performer().perform(score))
    }
}

extension LocalEngine {
    /// The engine with the standard prompt -> score -> performance pipeline.
    public init(renderer: SongRenderer = SongRenderer()) {
        self.init(writer: PromptSongWriter(), renderer: renderer)
    }
}
