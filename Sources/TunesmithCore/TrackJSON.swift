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

    /// The JSON text: keys in byte order, absent optionals left out, `/` unescaped. Byte for byte what
    /// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` makes of this value (the tests compare the
    /// two), written by hand because this is the body of every GET and callback, and `JSONEncoder` (its
    /// containers, boxing and key sorting) was one of the largest costs of a GET (figures in docs/modules/api.md).
    public func encoded() -> Data {
        var writer = JSONWriter(capacity: 768 + prompt.utf8.count + (lyrics?.utf8.count ?? 0))
        write(to: &writer)
        return Data(writer.bytes)
    }

    /// Appends this object to `writer` (also used for pages of tracks).
    public func write(to writer: inout JSONWriter) {
        // Keep this list sorted by key bytes ('_' sorts before letters): that is the order JSONEncoder uses.
        writer.beginObject()
        writer.field("asset_id", asset_id)
        writer.field("asset_source", asset_source)
        writer.field("asset_type", asset_type)
        writer.field("audio_id", audio_id)
        writer.field("audio_status", audio_status)
        writer.field("audio_status_final", audio_status_final)
        writer.field("audio_status_name", audio_status_name)
        writer.field("auto_lyrics", auto_lyrics)
        writer.field("bpm", bpm)
        writer.field("create_mode", create_mode)
        writer.field("created_at", created_at)
        writer.field("credits", credits)
        writer.field("duration", duration)
        writer.field("email", email)
        writer.field("fail_code", fail_code)
        writer.field("fail_reason", fail_reason)
        writer.field("genre", genre)
        writer.field("image_influence", image_influence)
        writer.field("instrumental", instrumental)
        writer.field("key", key)
        writer.field("lrc_url", lrc_url)
        writer.field("lyrics", lyrics)
        writer.field("midi_url", midi_url)
        writer.field("model", model)
        writer.field("name", name)
        writer.field("progress", progress)
        writer.field("prompt", prompt)
        writer.field("provider", provider)
        writer.field("replyRef", replyRef)
        writer.field("seed", seed)
        writer.field("sheet_url", sheet_url)
        writer.field("status", status)
        writer.field("title", title)
        writer.field("updated_at", updated_at)
        writer.field("url", url)
        writer.endObject()
    }
}

/// A minimal JSON writer for the hot response bodies, producing exactly `JSONEncoder`'s bytes for
/// `[.sortedKeys, .withoutEscapingSlashes]`: strings escape `"`, `\\` and control characters (`\b \f \n \r \t`,
/// else `\u00xx` in lower-case hex), everything else is raw UTF-8. The caller writes keys in sorted order.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the object or array being written needs a comma before its next member.
    private var needsComma = false

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray(_ key: String) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        writeKey(key)
        string(value)
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: Int?) {
        guard let value else { return }
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: Int64) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: UInt64) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: Bool) {
        writeKey(key)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    /// A nested JSON value (reports such as `image_influence`, on few tracks): encoded by `JSONEncoder` with the
    /// same options, so the bytes stay exactly what encoding the whole object would give.
    public mutating func field(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        writeKey(key)
        bytes.append(contentsOf: data)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Keys are the writer's own literals (plain ASCII), so they need no escaping. The value follows without a
    /// comma; whoever writes the value sets `needsComma` after it.
    private mutating func writeKey(_ key: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: key.utf8)
        bytes.append(contentsOf: "\":".utf8)
        needsComma = false
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Runs of bytes that need no escaping (nearly all of every id, link, title and lyric) are copied whole.
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
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
        let year = Int(parts.tm_year) + 1900
        // Years outside 0...9999 cannot be written in four digits; they never occur, but stay correct.
        guard (0...9999).contains(year) else { return slowString(year: year, parts: parts, millis: millis) }
        var text = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, at index: Int, width: Int) {
            var value = value
            for offset in stride(from: width - 1, through: 0, by: -1) {
                text[index + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        text[4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        text[7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), at: 8, width: 2)
        text[10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), at: 11, width: 2)
        text[13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), at: 14, width: 2)
        text[16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), at: 17, width: 2)
        text[19] = UInt8(ascii: ".")
        put(millis, at: 20, width: 3)
        text[23] = UInt8(ascii: "Z")
        return String(decoding: text, as: UTF8.self)
    }

    private static func slowString(year: Int, parts: tm, millis: Int) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }
}

private extension Int64 {
    /// Floor division (timestamps before 1970 round towards the past, keeping milliseconds positive).
    func quotient(dividingBy divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor < 0) ? q - 1 : q
    }
}
