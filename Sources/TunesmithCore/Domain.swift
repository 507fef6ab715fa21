import Foundation

/// A person or program that holds API tokens. Each user sees only their own accounts, tracks and uploads.
public struct User: Sendable, Hashable, Codable {
    /// Short opaque id, appears in tokens (`user:<id>-...`) and audio ids.
    public var id: String
    public var name: String
    /// Secret for signing this user's callbacks (Standard Webhooks, `whsec_` + base64).
    public var webhookSecret: String
    public var createdAt: Date

    public init(id: String, name: String, webhookSecret: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.webhookSecret = webhookSecret
        self.createdAt = createdAt
    }
}

/// A generation slot pool with its own concurrency limit and credit balance (API.md "Accounts").
public struct Account: Sendable, Hashable, Codable {
    public var userID: String
    public var email: String
    public var maxJobs: Int
    /// Remaining credits; nil = unlimited.
    public var credits: Int?
    /// Set when the account is in the pending-error state (creates using it answer 596).
    public var error: String?
    /// Failed generations in a row; at 5 the account enters the pending-error state.
    public var consecutiveFailures: Int
    /// Tracks of this account that are not final (QUEUED or GENERATING), counted from the database.
    public var executing: Int
    public var createdAt: Date

    public init(
        userID: String, email: String, maxJobs: Int, credits: Int?, error: String?, consecutiveFailures: Int,
        executing: Int, createdAt: Date
    ) {
        self.userID = userID
        self.email = email
        self.maxJobs = maxJobs
        self.credits = credits
        self.error = error
        self.consecutiveFailures = consecutiveFailures
        self.executing = executing
        self.createdAt = createdAt
    }
}

/// The kinds of media a finished track can have, stored under the data dir's media folder.
public enum MediaKind: String, Sendable, Hashable, Codable, CaseIterable {
    case mp3, midi, sheet, lrc
    /// One zip of the song's stems (`stems: true`): a WAV per part, the vocal alone and the sung melody as MIDI.
    case stems

    public var fileExtension: String {
        switch self {
        case .mp3: "mp3"
        case .midi: "mid"
        case .sheet: "json"
        case .lrc: "lrc"
        case .stems: "zip"
        }
    }
}

/// What a finished generation produced (stored with the track).
public struct TrackResult: Sendable, Hashable, Codable {
    public var title: String
    /// The words that are sung; nil for instrumentals.
    public var lyrics: String?
    public var durationSeconds: Double
    /// Nil when the backend did not say (cloud providers).
    public var bpm: Int?
    public var key: String?
    public var genre: String?
    /// Backend that rendered it: "local", "minimax", "elevenlabs" or "google".
    public var provider: String
    /// Media files, as paths relative to the media folder.
    public var media: [MediaKind: String]
    /// What the reference images changed in the music (`image_influence`); nil without images. Stored inside the
    /// result's JSON, so older rows (without it) still decode.
    public var imageInfluence: JSONValue? = nil
    /// The backend that failed before `provider` made the track instead (operator-enabled fallback); nil
    /// otherwise. Optional in the stored JSON, so older rows still decode.
    public var fallbackFrom: String? = nil

    public init(
        title: String, lyrics: String?, durationSeconds: Double, bpm: Int?, key: String?, genre: String?,
        provider: String, media: [MediaKind: String]
    ) {
        self.title = title
        self.lyrics = lyrics
        self.durationSeconds = durationSeconds
        self.bpm = bpm
        self.key = key
        self.genre = genre
        self.provider = provider
        self.media = media
    }
}

/// What a client asked for (validated), as stored with the track.
public struct TrackRequest: Sendable, Hashable, Codable {
    public var model: MusicModel
    public var prompt: String
    public var instrumental: Bool
    public var lyrics: String?
    /// Upload paths (`upload/<uuid>.<ext>`), in order.
    public var imagePaths: [String]
    public var seed: UInt64
    public var replyURL: String?
    public var replyRef: String?
    /// Per-request override of the account's `maxJobs`.
    public var maxJobs: Int?
    /// `stems: true` (Tunesmith extension). Kept nil rather than false when not asked for, so the stored JSON of
    /// such requests is what it always was.
    public var stems: Bool? = nil
    /// Set for `POST music/extend`: the song this track continues.
    public var extending: SongExtension? = nil

    public init(
        model: MusicModel, prompt: String, instrumental: Bool, lyrics: String?, imagePaths: [String], seed: UInt64,
        replyURL: String?, replyRef: String?, maxJobs: Int?
    ) {
        self.model = model
        self.prompt = prompt
        self.instrumental = instrumental
        self.lyrics = lyrics
        self.imagePaths = imagePaths
        self.seed = seed
        self.replyURL = replyURL
        self.replyRef = replyRef
        self.maxJobs = maxJobs
    }

    /// Output mode is derived: no instrumental flag and no lyrics -> the engine writes the lyrics. An extension
    /// has words of its own only when neither its original nor any continuation was given lyrics.
    public var autoLyrics: Bool {
        guard !instrumental, lyrics == nil else { return false }
        guard let extending else { return true }
        return extending.base.lyrics == nil && extending.continuations.allSatisfy { $0.lyrics == nil }
    }

    public var wantsStems: Bool { stems ?? false }

    /// The first song of the chain this request makes: its own prompt, words, images and seed, or for an
    /// extension the first song of its original.
    public var baseSong: BaseSong {
        extending?.base
            ?? BaseSong(prompt: prompt, instrumental: instrumental, lyrics: lyrics, imagePaths: imagePaths, seed: seed)
    }
}

/// What `POST music/extend` continues, stored with the extension's request so the engine can compose the original
/// again (same request + seed = same song) and continue it: the first song of the chain as it was asked for, and
/// every continuation since, this one last.
public struct SongExtension: Sendable, Hashable, Codable {
    /// The track that was extended (which may itself be an extension).
    public var originalAudioID: String
    public var originalAssetID: Int64
    /// The media path of the original's MIDI file, which the engine checks it composes again (nil in requests
    /// stored before it was recorded: the check is then skipped).
    public var originalMIDIPath: String?
    /// The request of the first song of the chain.
    public var base: BaseSong
    /// Oldest first; the last one is this track's own.
    public var continuations: [SongContinuation]

    public init(
        originalAudioID: String, originalAssetID: Int64, base: BaseSong, continuations: [SongContinuation],
        originalMIDIPath: String? = nil
    ) {
        self.originalAudioID = originalAudioID
        self.originalAssetID = originalAssetID
        self.originalMIDIPath = originalMIDIPath
        self.base = base
        self.continuations = continuations
    }
}

/// The musical part of a create request: what the engine needs to compose that song again.
public struct BaseSong: Sendable, Hashable, Codable {
    public var prompt: String
    public var instrumental: Bool
    public var lyrics: String?
    public var imagePaths: [String]
    public var seed: UInt64

    public init(prompt: String, instrumental: Bool, lyrics: String?, imagePaths: [String], seed: UInt64) {
        self.prompt = prompt
        self.instrumental = instrumental
        self.lyrics = lyrics
        self.imagePaths = imagePaths
        self.seed = seed
    }
}

/// One continuation of a song: its own prompt (the band's mood from here on) and words, and the seed that chooses
/// its shape. Nil prompt and lyrics: the song goes on as it was and sings its chorus again.
public struct SongContinuation: Sendable, Hashable, Codable {
    public var prompt: String?
    public var lyrics: String?
    public var seed: UInt64

    public init(prompt: String?, lyrics: String?, seed: UInt64) {
        self.prompt = prompt
        self.lyrics = lyrics
        self.seed = seed
    }
}

/// A track and the job that makes it: one row, one state machine (QUEUED -> GENERATING -> COMPLETED | FAILED).
public struct Track: Sendable, Hashable, Codable {
    public var assetID: Int64
    public var userID: String
    public var email: String
    public var request: TrackRequest
    /// Credits debited at create (refunded on failure or cancel).
    public var credits: Int
    public var status: AudioStatus
    /// 0...100.
    public var progress: Int
    public var result: TrackResult?
    public var failCode: String?
    public var failReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    /// Worker that holds the lease while GENERATING, and until when.
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    /// How many times a worker has claimed it (a restart after a crash claims it again).
    public var attempts: Int

    public init(
        assetID: Int64, userID: String, email: String, request: TrackRequest, credits: Int, status: AudioStatus,
        progress: Int, result: TrackResult?, failCode: String?, failReason: String?, createdAt: Date,
        updatedAt: Date, startedAt: Date?, leaseOwner: String?, leaseExpiresAt: Date?, attempts: Int
    ) {
        self.assetID = assetID
        self.userID = userID
        self.email = email
        self.request = request
        self.credits = credits
        self.status = status
        self.progress = progress
        self.result = result
        self.failCode = failCode
        self.failReason = failReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.startedAt = startedAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.attempts = attempts
    }

    /// `user:<userid>-pixverse:<email>-music:<asset_id>` (API.md).
    public var audioID: String { AudioID(userID: userID, email: email, assetID: assetID).description }
}

/// The public id of a track. Parsing accepts exactly the form `description` produces.
public struct AudioID: Sendable, Hashable, CustomStringConvertible {
    public var userID: String
    public var email: String
    public var assetID: Int64

    public init(userID: String, email: String, assetID: Int64) {
        self.userID = userID
        self.email = email
        self.assetID = assetID
    }

    public var description: String { "user:\(userID)-pixverse:\(email)-music:\(assetID)" }

    /// Parses `user:<user>-pixverse:<email>-music:<asset>`: the email is what lies between the first
    /// `-pixverse:` and the last `-music:`. Searched as bytes: this runs on every track request, and
    /// Foundation's `range(of:)` is slow on Linux.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        let (prefix, pixverse, music) = (Self.prefix, Self.pixverse, Self.music)
        func matches(_ needle: [UInt8], at index: Int) -> Bool {
            index >= 0 && index + needle.count <= bytes.count && bytes[index..<index + needle.count].elementsEqual(needle)
        }
        guard matches(prefix, at: 0),
            let pixverseStart = (prefix.count..<bytes.count).first(where: { matches(pixverse, at: $0) }),
            let musicStart = stride(from: bytes.count - music.count, through: pixverseStart + pixverse.count, by: -1)
                .first(where: { matches(music, at: $0) }),
            let assetID = Int64(String(decoding: bytes[(musicStart + music.count)...], as: UTF8.self)), assetID > 0
        else { return nil }
        self.userID = String(decoding: bytes[prefix.count..<pixverseStart], as: UTF8.self)
        self.email = String(decoding: bytes[(pixverseStart + pixverse.count)..<musicStart], as: UTF8.self)
        self.assetID = assetID
    }

    private static let prefix = Array("user:".utf8)
    private static let pixverse = Array("-pixverse:".utf8)
    private static let music = Array("-music:".utf8)
}

/// An uploaded reference image (POST /files).
public struct Upload: Sendable, Hashable, Codable {
    public var id: Int64
    public var userID: String
    /// `upload/<uuid>.<ext>`: what `image_path_N` takes; also its path under the media folder.
    public var path: String
    public var sha256: String
    public var size: Int
    public var name: String
    public var contentType: String
    public var createdAt: Date

    public init(
        id: Int64, userID: String, path: String, sha256: String, size: Int, name: String, contentType: String,
        createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.name = name
        self.contentType = contentType
        self.createdAt = createdAt
    }
}

/// A callback waiting to be delivered (the outbox), written in the same transaction as the state change.
public struct CallbackMessage: Sendable, Hashable, Codable {
    public var id: Int64
    /// Stable across retries: the Standard Webhooks `webhook-id`.
    public var webhookID: String
    public var userID: String
    public var assetID: Int64
    public var url: String
    /// The track as it was at the state change (rendered to the public JSON at delivery).
    public var snapshot: Track
    /// Final-state callbacks must be delivered (retried for at least 24 h); progress ones are best effort.
    public var isFinal: Bool
    public var attempts: Int
    public var nextAttemptAt: Date
    public var createdAt: Date
    public var lastError: String?

    public init(
        id: Int64, webhookID: String, userID: String, assetID: Int64, url: String, snapshot: Track, isFinal: Bool,
        attempts: Int, nextAttemptAt: Date, createdAt: Date, lastError: String?
    ) {
        self.id = id
        self.webhookID = webhookID
        self.userID = userID
        self.assetID = assetID
        self.url = url
        self.snapshot = snapshot
        self.isFinal = isFinal
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.lastError = lastError
    }
}
