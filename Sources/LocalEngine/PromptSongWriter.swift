import AudioEngine
import Composer
import Foundation
import ImageAnalysis
import ImageFeatureValues
import SongBrief
import SongLyrics
import TunesmithCore

/// The standard song writer: the prompt parser decides the brief (moved by the reference images, if any), the
/// composer writes the score, the performer plays it. The output mode follows the request: `instrumental` has
/// no voice; `lyrics` are parsed and sung; with neither, the lyric writer writes the words (and the title) from
/// the prompt. A prompt that says "instrumental" or "no vocals" is honoured when the engine would otherwise
/// write the words itself.
public struct PromptSongWriter: SongWriter {
    /// Syllables, stress and rhymes for the words sung (loaded when the first song with words needs it).
    public var dictionary: PronouncingDictionaryLoader
    public var images: ImageFeatureExtractor
    /// Overrides the prompt's and the genre's choice of singer (the CLI's `--voice`).
    public var voice: VoiceType?

    public init(
        dictionary: PronouncingDictionaryLoader, images: ImageFeatureExtractor = ImageFeatureExtractor(),
        voice: VoiceType? = nil
    ) {
        self.dictionary = dictionary
        self.images = images
        self.voice = voice
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
        var brief = PromptParser().brief(
            for: request.prompt, seed: request.seed, maxSeconds: request.maxSeconds,
            images: ImageFeatures.combined(features), count: features.count)
        let userLyrics = request.lyrics.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if request.instrumental {
            brief.voice = nil
        } else if let voice {
            brief.voice = voice
        } else if userLyrics != nil, brief.voice == nil {
            // Words to sing outrank a prompt's "instrumental": they need a singer.
            brief.voice = brief.genre.defaultVoice
        }
        guard brief.voice != nil else {
            let score = SongComposer().compose(brief)
            return ComposedSong(score: score, performance: Performer().perform(score))
        }
        let dictionary = try self.dictionary.dictionary()
        var writtenTitle: String?
        let lyrics: Lyrics
        if let userLyrics {
            lyrics = LyricsParser(dictionary: dictionary).parse(userLyrics)
        } else {
            let written = LyricWriter(dictionary: dictionary).write(for: brief)
            writtenTitle = written.title
            lyrics = written.lyrics
        }
        var score = SongComposer().compose(brief, lyrics: lyrics)
        if let writtenTitle { score.title = writtenTitle }
        return ComposedSong(score: score, performance: Performer().perform(score),
                            lyrics: score.vocal.map { $0.lyrics.taggedText })
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
    /// The engine with the standard prompt -> score -> performance pipeline, its pronouncing dictionary found
    /// through this process's environment.
    public init(renderer: SongRenderer = SongRenderer()) {
        let dictionary = PronouncingDictionaryLoader(environment: ProcessInfo.processInfo.environment)
        self.init(writer: PromptSongWriter(dictionary: dictionary), renderer: renderer)
    }
}
