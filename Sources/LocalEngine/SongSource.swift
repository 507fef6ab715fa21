import AudioEngine
import Composer
import Foundation
import SongBrief
import TunesmithCore

/// What a song was made from: the request of its first song and the continuations since, plus the singer the
/// command line's `--voice` chose. Written into the song sheet (`source`), so that `tunesmith generate --extend`
/// can compose the song again and continue it.
public struct SongSource: Sendable, Hashable, Codable {
    public var prompt: String
    public var seed: UInt64
    public var instrumental: Bool
    /// The words given to sing; nil when the engine wrote them (or for an instrumental).
    public var lyrics: String?
    /// The singer chosen by `--voice`; nil when the prompt or the genre chose.
    public var voice: VoiceType?
    public var maxSeconds: Int
    public var continuations: [SongContinuation]

    public init(request: GenerationRequest, voice: VoiceType?) {
        prompt = request.prompt
        seed = request.seed
        instrumental = request.instrumental
        lyrics = request.lyrics
        self.voice = voice
        maxSeconds = request.maxSeconds
        continuations = request.continuations
    }

    /// The request that makes this song again (without reference images, which a sheet does not carry).
    public var request: GenerationRequest {
        var request = GenerationRequest(
            model: .default, prompt: prompt, instrumental: instrumental, lyrics: lyrics, images: [], seed: seed,
            maxSeconds: maxSeconds)
        request.continuations = continuations
        return request
    }
}

/// A song sheet with the `source` it was made from: the sheet's own JSON plus one key.
public struct SourcedSongSheet: Sendable, Hashable, Codable {
    public var sheet: SongSheet
    /// Nil in sheets written before sources were recorded.
    public var source: SongSource?

    public init(sheet: SongSheet, source: SongSource?) {
        self.sheet = sheet
        self.source = source
    }

    private enum CodingKeys: String, CodingKey { case source }

    public init(from decoder: any Decoder) throws {
        sheet = try SongSheet(from: decoder)
        source = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(SongSource.self, forKey: .source)
    }

    public func encode(to encoder: any Encoder) throws {
        try sheet.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(source, forKey: .source)
    }

    /// Written like `SongSheet.jsonData()`, keys sorted across the sheet and its source.
    public func jsonData() throws -> Data { try SongSheet.encoder.encode(self) }
}
