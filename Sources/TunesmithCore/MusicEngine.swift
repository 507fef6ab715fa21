import Foundation

/// What a backend is asked to make.
public struct GenerationRequest: Sendable, Hashable {
    public var model: MusicModel
    public var prompt: String
    public var instrumental: Bool
    public var lyrics: String?
    /// Absolute file URLs of the reference images, in order.
    public var images: [URL]
    public var seed: UInt64
    /// Longest song the model may make.
    public var maxSeconds: Int
    /// Continuations of the song the fields above describe, oldest first (`music/extend`): the engine composes
    /// that song again and continues it, and returns the whole longer song. Empty for a new song.
    public var continuations: [SongContinuation] = []
    /// The MIDI file made for the song being continued (this request without its last continuation). The engine
    /// composes that song again and refuses to continue it if the notes differ (an engine version that composes
    /// differently would otherwise continue a song that is not the one the user heard).
    public var continuedMIDI: URL? = nil
    /// Also make the stems (`MediaKind.stems`).
    public var stems: Bool = false

    public init(
        model: MusicModel, prompt: String, instrumental: Bool, lyrics: String?, images: [URL], seed: UInt64,
        maxSeconds: Int
    ) {
        self.model = model
        self.prompt = prompt
        self.instrumental = instrumental
        self.lyrics = lyrics
        self.images = images
        self.seed = seed
        self.maxSeconds = maxSeconds
    }
}

/// What a backend made. Media is returned as bytes; the job layer stores it atomically.
public struct GeneratedSong: Sendable, Hashable {
    public var title: String
    /// The sung words; nil for instrumentals.
    public var lyrics: String?
    public var durationSeconds: Double
    /// Tempo, key and genre when the engine knows them (cloud providers mostly do not say).
    public var bpm: Int?
    public var key: String?
    public var genre: String?
    public var media: [MediaKind: Data]
    /// What the reference images changed (the engine's report, shown as `image_influence`); nil without images.
    public var imageInfluence: JSONValue? = nil
    /// The backend that actually made the song (the track's `provider`); nil means the engine's own `provider`.
    /// Set by engines that choose between backends, so a fallback is reported truthfully.
    public var provider: String? = nil
    /// The backend that was asked first and failed when another one made the song instead (`fallback_from`).
    public var fallbackFrom: String? = nil

    public init(
        title: String, lyrics: String?, durationSeconds: Double, bpm: Int?, key: String?, genre: String?,
        media: [MediaKind: Data]
    ) {
        self.title = title
        self.lyrics = lyrics
        self.durationSeconds = durationSeconds
        self.bpm = bpm
        self.key = key
        self.genre = genre
        self.media = media
    }
}

/// A backend that renders songs: the built-in local engine, or a cloud provider (`CloudEngines`).
/// Implementations must honour task cancellation promptly (within about a second): `DELETE scheduler/<id>`
/// cancels the task running `generate`.
public protocol MusicEngine: Sendable {
    /// Short backend name reported as the track's `provider` ("local", "minimax", "elevenlabs", "google").
    var provider: String { get }
    /// `progress` receives fractions 0...1 as the work advances.
    func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong
}

/// Thrown by an engine when the provider rejects the account's credentials (the account enters the
/// pending-error state at once, rather than after 5 failures).
public struct CredentialsRejected: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
