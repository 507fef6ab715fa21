import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// The fakes' successful answers, in the shapes providers.md describes.
struct Replies: Sendable {
    let mp3: Data
    let baseURL: String

    static let miniMaxTitle = "Neon Rain"
    static let miniMaxLyrics = "[Verse]\nWires hum beneath the rain\nWe run the neon mile\n\n[Chorus]\nHold on to the midnight line"
    static let elevenLabsTitle = "Midnight Circuit"
    static let elevenLabsGenre = "synthwave"
    static let googleTitle = "Glass Horizon"
    static let googleLyrics = "[Verse]\nLight on the water\nColours in the sky\n\n[Chorus]\nWe are the glass horizon"

    func song(
        _ endpoint: FakeProviders.Endpoint, request: FakeProviders.Request, shape: FakeProviders.Shape, audio: Data
    ) -> Response {
        switch endpoint {
        case .miniMaxMusic: miniMaxMusic(shape: shape, audio: audio)
        case .miniMaxLyrics: miniMaxLyrics(shape: shape)
        case .elevenLabsMusic: elevenLabs(request: request, shape: shape, audio: audio)
        case .gemini: gemini(request: request, shape: shape, audio: audio)
        }
    }

    private func miniMaxMusic(shape: FakeProviders.Shape, audio: Data) -> Response {
        let payload = shape == .link ? "\(baseURL)/files/redirect.mp3" : audio.map { String(format: "%02x", $0) }.joined()
        // The reported duration is wrong on purpose: Tunesmith must measure the file.
        return Self.json([
            "data": ["audio": payload, "status": 2],
            "trace_id": "fake-trace-1",
            "extra_info": [
                "music_duration": 987_654, "music_sample_rate": 44_100, "music_channel": 2, "bitrate": 256_000,
                "music_size": audio.count,
            ],
            "base_resp": ["status_code": 0, "status_msg": "success"],
        ])
    }

    private func miniMaxLyrics(shape: FakeProviders.Shape) -> Response {
        let success = ["status_code": 0, "status_msg": "success"] as [String: Any]
        if shape == .alternative {
            return Self.json(["data": ["title": Self.miniMaxTitle, "lyrics": Self.miniMaxLyrics], "base_resp": success])
        }
        return Self.json([
            "song_title": Self.miniMaxTitle, "style_tags": "synthwave, female vocal", "lyrics": Self.miniMaxLyrics,
            "base_resp": success,
        ])
    }

    private func elevenLabs(request: FakeProviders.Request, shape: FakeProviders.Shape, audio: Data) -> Response {
        let audioType = audio.starts(with: Array("RIFF".utf8)) ? "audio/wav" : "audio/mpeg"
        if shape == .alternative {
            return Response(status: .ok, headers: [.contentType: audioType], body: .init(byteBuffer: ByteBuffer(data: audio)))
        }
        let body = request.json
        let instrumental = body["force_instrumental"] as? Bool == true
        let plan: [String: Any] =
            body["composition_plan"] as? [String: Any] ?? [
                "positive_global_styles": ["synthwave"], "negative_global_styles": [],
                "sections": [
                    ["section_name": "Verse 1", "positive_local_styles": [], "negative_local_styles": [],
                     "duration_ms": 10_000, "lines": instrumental ? [] : ["Wires hum beneath the rain", "We run the neon mile"]],
                    ["section_name": "Chorus", "positive_local_styles": [], "negative_local_styles": [],
                     "duration_ms": 8_000, "lines": instrumental ? [] : ["Hold on to the midnight line"]],
                ],
            ]
        var words: [[String: Any]] = []
        var time = 500
        for section in plan["sections"] as? [[String: Any]] ?? [] {
            for line in section["lines"] as? [String] ?? [] {
                for word in line.split(separator: " ") {
                    words.append(["word": String(word), "start_ms": time, "end_ms": time + 300])
                    time += 400
                }
                time += 1_000
            }
        }
        let metadata: [String: Any] = [
            "composition_plan": plan,
            "song_metadata": [
                "title": Self.elevenLabsTitle, "description": "A fake song", "genres": [Self.elevenLabsGenre, "pop"],
                "languages": ["en"], "is_explicit": false,
            ],
            "words_timestamps": words,
        ]
        let boundary = "fake-boundary-5b1e"
        var multipart = Data("--\(boundary)\r\nContent-Type: application/json\r\n\r\n".utf8)
        multipart.append((try? JSONSerialization.data(withJSONObject: metadata)) ?? Data())
        multipart.append(Data("\r\n--\(boundary)\r\nContent-Type: \(audioType)\r\nContent-Disposition: attachment; filename=\"song.mp3\"\r\n\r\n".utf8))
        multipart.append(audio)
        multipart.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return Response(
            status: .ok, headers: [.contentType: "multipart/mixed; boundary=\(boundary)"],
            body: .init(byteBuffer: ByteBuffer(data: multipart)))
    }

    private func gemini(request: FakeProviders.Request, shape: FakeProviders.Shape, audio: Data) -> Response {
        let parts = (request.json["contents"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]] ?? []
        let prompt = parts.compactMap { $0["text"] as? String }.joined()
        let instrumental = prompt.contains("Instrumental only")
        let text = "Title: \(Self.googleTitle)\n\n"
            + (instrumental ? "[0:00 - 0:02] Intro: soft synth pads\n[0:02 - 0:04] Outro" : Self.googleLyrics)
        let mimeType = audio.starts(with: Array("RIFF".utf8)) ? "audio/wav" : "audio/mpeg"
        let audioPart: [String: Any] =
            shape == .alternative
            ? ["inline_data": ["mime_type": mimeType, "data": audio.base64EncodedString()]]
            : ["inlineData": ["mimeType": mimeType, "data": audio.base64EncodedString()]]
        return Self.json([
            "candidates": [["content": ["role": "model", "parts": [["text": text], audioPart]], "finishReason": "STOP"]],
            "usageMetadata": ["promptTokenCount": 12],
        ])
    }

    static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
