import Foundation

/// The public JSON of a track (API.md "Track object"): the body of `GET /music/<audio_id>` and of every
/// callback, so both always have the same shape.
public struct TrackJSON: Sendable, Encodable {
    public var audio_id: String
    public var asset_id: Int64
    public var asset_type = 2
    public var asset_source = 1
    public var create_mode = "music"
    public var status: String
    public var audio_status: Int
    public var audio_status_name: String
    public var audio_status_final: Bool
    public var credits: Int
    public var model: String
    public var provider: String?
    public var prompt: String
    public var instrumental: Bool
    public var auto_lyrics: Bool
    public var title: String?
    public var lyrics: String?
    public var url: String?
    public var name: String
    public var duration: Int?
    public var progress: Int
    public var created_at: String
    public var updated_at: String
    public var replyRef: String?
    public var fail_code: String?
    public var fail_reason: String?
    // Extensions.
    public var email: String
    public var seed: UInt64
    public var bpm: Int?
    public var key: String?
    public var genre: String?
    public var midi_url: String?
    public var sheet_url: String?
    public var lrc_url: String?
    /// What the reference images changed (lyria-3-pro-preview with `image_path_N`); see docs/images.md.
    public var image_influence: JSONValue?

    /// `links` gives the signed URL of each media file the track has.
    public init(_ track: Track, links: [MediaKind: String]) {
        audio_id = track.audioID
        asset_id = track.assetID
        status = track.status.coarse
        audio_status = track.status.rawValue
        audio_status_name = track.status.name
        audio_status_final = track.status.isFinal
        credits = track.credits
        model = track.request.model.rawValue
        provider = track.result?.provider
        prompt = track.request.prompt
        instrumental = track.request.instrumental
        auto_lyrics = track.request.autoLyrics
        title = track.result?.title
        lyrics = track.result?.lyrics
        url = links[.mp3]
        name = "\(track.result?.title ?? track.audioID).mp3"
        duration = track.result.map { Int($0.durationSeconds.rounded()) }
        progress = track.status == .completed ? 100 : track.progress
        created_at = ISO8601.string(track.createdAt)
        updated_at = ISO8601.string(track.updatedAt)
        replyRef = track.request.replyRef
        fail_code = track.failCode
        fail_reason = track.failReason
        email = track.email
        seed = track.request.seed
        bpm = track.result?.bpm
        key = track.result?.key
        genre = track.result?.genre
        midi_url = links[.midi]
        sheet_url = links[.sheet]
        lrc_url = links[.lrc]
        image_influence = track.result?.imageInfluence
    }

    /// Encodes with stable key order, so callbacks and GET bodies are byte-comparable.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}

/// ISO 8601 UTC timestamps with milliseconds: `2026-11-24T21:32:28.123Z`. Formatted by hand from `gmtime_r`:
/// every track JSON has two of them, and Foundation's format styles are slow on Linux.
public enum ISO8601 {
    public static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds.quotient(dividingBy: 1000))
        let millis = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

private extension Int64 {
    /// Floor division (timestamps before 1970 round towards the past, keeping milliseconds positive).
    func quotient(dividingBy divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor < 0) ? q - 1 : q
    }
}
