import Foundation
import TunesmithCore

/// Google Lyria 3 Pro (`lyria-3-pro-preview`) through the Gemini API: `POST
/// /v1beta/models/<model>:generateContent`, header `x-goog-api-key`.
///
/// - The prompt is a text part; each reference image an inline image part (base64, its MIME type read from the
///   file's own bytes). An instrumental is asked for in the prompt (Lyria has no such field).
/// - The answer's audio part (`inlineData`) is the track; its text part (the lyrics and structure Lyria always
///   returns) becomes the track's lyrics, and a `Title:` line in it the title.
/// - Blocked prompts come back as HTTP 200 with `promptFeedback.blockReason` or a `finishReason` such as
///   `SAFETY`: the track fails with that reason.
struct GoogleLyriaAPI: ProviderAPI {
    static let instrumentalInstruction = "Instrumental only, no vocals."

    struct Body: Encodable {
        struct Content: Encodable {
            var role = "user"
            var parts: [Part]
        }

        struct Part: Encodable {
            struct InlineData: Encodable {
                var mimeType: String
                var data: String
            }

            var text: String?
            var inlineData: InlineData?
        }

        struct GenerationConfig: Encodable {
            var responseModalities = ["AUDIO", "TEXT"]
        }

        var contents: [Content]
        var generationConfig = GenerationConfig()
    }

    func makeSong(_ request: GenerationRequest, call: ProviderCall) async throws -> ProviderSong {
        var parts = [Body.Part(text: Self.prompt(for: request))]
        for image in request.images {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: image)
            } catch {
                throw ProviderFailure(.google, .invalid, "A reference image could not be read: \(image.lastPathComponent)")
            }
            parts.append(
                Body.Part(inlineData: .init(mimeType: Self.imageType(bytes, name: image), data: bytes.base64EncodedString())))
        }
        let body = try RequestJSON.encode(Body(contents: [Body.Content(parts: parts)]))
        let reply = try await call.postJSON(
            "/v1beta/models/\(call.settings.modelID):generateContent", body: body,
            headers: [("x-goog-api-key", call.settings.apiKey.exposedValue)])
        guard (200..<300).contains(reply.status) else { throw Self.failure(reply, call: call) }
        guard let json = reply.json else {
            throw ProviderFailure(.google, .invalid, "Google answered with something that is not JSON")
        }
        return try Self.song(from: json, instrumental: request.instrumental, redactor: call.redactor)
    }

    static func prompt(for request: GenerationRequest) -> String {
        var text = request.prompt
        if request.instrumental { text += "\n\n" + instrumentalInstruction }
        if let lyrics = request.lyrics, !request.instrumental { text += "\n\nLyrics:\n" + lyrics }
        return text
    }

    /// The image's type from its first bytes (uploads were checked to be one of these), else from its name.
    static func imageType(_ bytes: Data, name: URL) -> String {
        let head = [UInt8](bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        if head.starts(with: Array("RIFF".utf8)), head.count >= 12, Array(head[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        switch name.pathExtension.lowercased() {
        case "png": return "image/png"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        default: return "image/jpeg"
        }
    }

    /// Reads `candidates[0].content.parts` (camelCase or snake_case), or says why there is no song.
    static func song(from json: JSONValue, instrumental: Bool, redactor: Redactor) throws -> ProviderSong {
        if let blocked = json.first("promptFeedback", "prompt_feedback")?.first("blockReason", "block_reason")?.text {
            let message = json.first("promptFeedback", "prompt_feedback")?.first("blockReasonMessage", "block_reason_message")?.text
            throw ProviderFailure(
                .google, .contentRefused,
                "Google blocked the prompt (\(redactor.clean(blocked)))" + (message.map { ": \(redactor.clean($0))" } ?? ""))
        }
        let candidate = json["candidates"]?.array?.first
        let parts = candidate?["content"]?["parts"]?.array ?? []
        var audio: (data: Data, type: String?)?
        var texts: [String] = []
        for part in parts {
            if let inline = part.first("inlineData", "inline_data"),
                let encoded = inline["data"]?.string, let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters)
            {
                let type = inline.first("mimeType", "mime_type")?.text
                if audio == nil, type?.lowercased().hasPrefix("image/") != true { audio = (data, type) }
            } else if part["thought"]?.bool != true, let text = part["text"]?.text {
                texts.append(text)
            }
        }
        guard let audio else {
            let reason = candidate?.first("finishReason", "finish_reason")?.text ?? "no audio part"
            let message = candidate?.first("finishMessage", "finish_message")?.text.map { ": \(redactor.clean($0))" } ?? ""
            let refused = ["SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "RECITATION", "SPII", "IMAGE_SAFETY"]
            let kind: ProviderFailure.Kind = refused.contains(reason.uppercased()) ? .contentRefused : .invalid
            throw ProviderFailure(.google, kind, "Google returned no song (\(redactor.clean(reason)))\(message)")
        }
        let (title, lyrics) = titleAndLyrics(texts.joined(separator: "\n\n"))
        return ProviderSong(audio: audio.data, declaredType: audio.type, title: title, lyrics: instrumental ? nil : lyrics)
    }

    /// Splits a `Title: ...` line (or a Markdown heading) off the text part; the rest is the lyrics.
    static func titleAndLyrics(_ text: String) -> (title: String?, lyrics: String?) {
        var title: String?
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let bare = line.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "**", with: "")
            if title == nil, let found = Self.titleLine(bare) {
                title = found
                continue
            }
            kept.append(line)
        }
        let lyrics = kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (title, lyrics.isEmpty ? nil : lyrics)
    }

    private static func titleLine(_ line: String) -> String? {
        let candidate: Substring
        if line.lowercased().hasPrefix("title:") {
            candidate = line.dropFirst("title:".count)
        } else if line.hasPrefix("# ") {
            candidate = line.dropFirst(2)
        } else {
            return nil
        }
        let title = candidate.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        return title.isEmpty ? nil : String(title.prefix(120))
    }

    /// Gemini API errors: `{"error": {"code", "message", "status", "details": [...]}}`.
    static func failure(_ reply: ProviderReply, call: ProviderCall) -> ProviderFailure {
        let error = reply.json?["error"]
        let status = error?["status"]?.text ?? ""
        let message = error?["message"]?.text
        let said = message.map { ": \(call.redactor.clean($0))" } ?? ""
        let details = error?["details"]?.array ?? []
        let reasons = Set(details.compactMap { $0["reason"]?.text })
        let keyProblem = !reasons.isDisjoint(with: ["API_KEY_INVALID", "API_KEY_EXPIRED", "API_KEY_SERVICE_BLOCKED"])
            || (status == "INVALID_ARGUMENT" && message?.lowercased().contains("api key") == true)
        if keyProblem || status == "UNAUTHENTICATED" || status == "PERMISSION_DENIED" {
            return ProviderFailure(.google, .credentialsRejected, "Google rejected the API key (\(status.isEmpty ? "HTTP \(reply.status)" : status))\(said)")
        }
        switch (reply.status, status) {
        case (429, _), (_, "RESOURCE_EXHAUSTED"):
            let retryDelay = details.compactMap { RetryAfter.parseProtobufDuration($0["retryDelay"]?.text) }.first
            return ProviderFailure(
                .google, .rateLimited(retryAfter: retryDelay ?? RetryAfter.parse(reply.headers.first(name: "Retry-After"))),
                "Google kept answering \"resource exhausted\" (HTTP \(reply.status))\(said)")
        case (_, "FAILED_PRECONDITION"), (404, _):
            return ProviderFailure(.google, .accountLimit, "The Google project cannot use \(call.settings.modelID) (\(status.isEmpty ? "HTTP \(reply.status)" : status))\(said)")
        default:
            return call.failure(status: reply.status, headers: reply.headers, detail: message)
        }
    }
}
