import Foundation
import TunesmithCore

/// MiniMax Music (`music-2.6`): `POST /v1/music_generation`, synchronous, `Authorization: Bearer <key>`.
///
/// - Instrumental: `is_instrumental: true` with the prompt.
/// - User lyrics: sent as `lyrics`, tags rewritten to MiniMax's clean tags (text inside brackets gets sung).
/// - Lyrics the model writes: `POST /v1/lyrics_generation` (`write_full_song`) first, so the track gets the
///   words and the title like a local one; when that endpoint is missing or answers no lyrics, the music call
///   writes them itself (`lyrics_optimizer: true`).
/// - The audio comes back hex-encoded or as a link (both shapes are read); errors arrive in
///   `base_resp.status_code` with HTTP 200.
struct MiniMaxAPI: ProviderAPI {
    static let lyricsLimit = 3_500

    struct MusicBody: Encodable {
        struct AudioSetting: Encodable {
            var sample_rate = 44_100
            var bitrate = 256_000
            var format = "mp3"
        }

        var model: String
        var prompt: String
        var lyrics: String?
        var is_instrumental: Bool
        var lyrics_optimizer: Bool
        var audio_setting = AudioSetting()
        var output_format = "hex"
    }

    struct LyricsBody: Encodable {
        var mode = "write_full_song"
        var prompt: String
    }

    func makeSong(_ request: GenerationRequest, call: ProviderCall) async throws -> ProviderSong {
        var lyrics: String?
        var title: String?
        if request.instrumental {
            lyrics = nil
        } else if let given = request.lyrics {
            let cleaned = LyricSections(given).miniMaxLyrics
            guard !cleaned.isEmpty else {
                throw ProviderFailure(.minimax, .invalid, "The lyrics have no line to sing")
            }
            lyrics = cleaned
        } else if let written = try await writeLyrics(prompt: request.prompt, call: call) {
            lyrics = written.lyrics
            title = written.title
        }
        let body = MusicBody(
            model: call.settings.modelID, prompt: request.prompt, lyrics: lyrics, is_instrumental: request.instrumental,
            lyrics_optimizer: !request.instrumental && lyrics == nil)
        let reply = try await call.postJSON(
            "/v1/music_generation", body: try RequestJSON.encode(body), headers: authorization(call))
        let json = try check(reply, call: call)
        let data = json["data"]
        guard let audio = data?["audio"]?.text ?? json["audio"]?.text else {
            throw ProviderFailure(.minimax, .invalid, "MiniMax answered without audio (data.status \(data?["status"]?.int.map(String.init) ?? "missing"))")
        }
        let bytes: Data
        if audio.hasPrefix("http://") || audio.hasPrefix("https://") {
            bytes = try await call.download(audio)
        } else if let decoded = Self.hexDecoded(audio) {
            bytes = decoded
        } else {
            throw ProviderFailure(.minimax, .invalid, "MiniMax answered with audio that is neither hex nor a link")
        }
        return ProviderSong(
            audio: bytes, declaredType: nil,
            title: title ?? data?.first("title", "song_title")?.text ?? json["song_title"]?.text,
            lyrics: request.instrumental ? nil : (lyrics ?? data?["lyrics"]?.text))
    }

    private func authorization(_ call: ProviderCall) -> [(String, String)] {
        [("Authorization", "Bearer \(call.settings.apiKey.exposedValue)")]
    }

    /// The lyrics and title MiniMax writes for the prompt; nil when it cannot (then the music call writes them).
    private func writeLyrics(prompt: String, call: ProviderCall) async throws -> (lyrics: String, title: String?)? {
        let reply = try await call.postJSON(
            "/v1/lyrics_generation", body: try RequestJSON.encode(LyricsBody(prompt: prompt)),
            headers: authorization(call))
        // A regional host or gateway without the endpoint: let the music call write the words instead.
        if reply.status == 404 || reply.status == 405 { return nil }
        let json = try check(reply, call: call)
        guard let lyrics = json.first("lyrics")?.text ?? json["data"]?["lyrics"]?.text,
            lyrics.count <= Self.lyricsLimit
        else { return nil }
        let title = json.first("song_title", "title")?.text ?? json["data"]?.first("title", "song_title")?.text
        return (lyrics, title)
    }

    /// The answer's JSON when it reports success; otherwise the failure its HTTP status or `base_resp` means.
    private func check(_ reply: ProviderReply, call: ProviderCall) throws -> JSONValue {
        let json = reply.json
        let code = json?[path: "base_resp", "status_code"]?.int
        let message = json?[path: "base_resp", "status_msg"]?.text
        guard (200..<300).contains(reply.status) else {
            throw call.failure(status: reply.status, headers: reply.headers, detail: message)
        }
        guard let json else { throw ProviderFailure(.minimax, .invalid, "MiniMax answered with something that is not JSON") }
        guard let code, code != 0 else { return json }
        throw Self.failure(code: code, message: message, redactor: call.redactor)
    }

    /// `base_resp.status_code` (providers.md; MiniMax's CLI source). 1002 is "rate limit" in the API docs but
    /// sensitive content in the CLI, so its message decides.
    static func failure(code: Int, message: String?, redactor: Redactor) -> ProviderFailure {
        let said = message.map { redactor.clean($0) } ?? "no message"
        let detail = "(status \(code): \(said))"
        switch code {
        case 1004, 2049:
            return ProviderFailure(.minimax, .credentialsRejected, "MiniMax rejected the API key \(detail)")
        case 1008:
            return ProviderFailure(.minimax, .accountLimit, "MiniMax account balance is insufficient \(detail)")
        case 2061:
            return ProviderFailure(.minimax, .accountLimit, "The MiniMax plan does not include this model \(detail)")
        case 1026, 1039:
            return ProviderFailure(.minimax, .contentRefused, "MiniMax refused the content as sensitive \(detail)")
        case 1002 where said.lowercased().contains("sensitiv"):
            return ProviderFailure(.minimax, .contentRefused, "MiniMax refused the content as sensitive \(detail)")
        case 1002:
            return ProviderFailure(.minimax, .rateLimited(retryAfter: nil), "MiniMax kept answering \"rate limit\" \(detail)")
        case 1001:
            return ProviderFailure(.minimax, .unavailable, "MiniMax timed out \(detail)")
        case 1000, 1024:
            return ProviderFailure(.minimax, .unavailable, "MiniMax had an internal error \(detail)")
        default:
            return ProviderFailure(.minimax, .invalid, "MiniMax refused the request \(detail)")
        }
    }

    /// Hex text to bytes; nil when it is not hex.
    static func hexDecoded(_ text: String) -> Data? {
        let utf8 = text.utf8
        guard utf8.count % 2 == 0, !utf8.isEmpty else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for character in utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return Data(bytes)
    }
}
