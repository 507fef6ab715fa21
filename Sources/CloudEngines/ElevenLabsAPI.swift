import Foundation
import MediaFormats
import TunesmithCore

/// ElevenLabs Music (`music-v1`): `POST /v1/music/detailed?output_format=mp3_44100_128`, header `xi-api-key`.
///
/// - Prompt mode (lyrics written by the model, or `force_instrumental`): the prompt alone; the length is left
///   to the model, which chooses it from the prompt (the contract's "length chosen by the engine").
/// - User lyrics: a `composition_plan` whose sections carry the lines (see `CompositionPlan`).
/// - The answer is `multipart/mixed`: JSON metadata (`song_metadata.title`, `genres`, the `composition_plan`
///   that was sung, `words_timestamps`) and the MP3. A plain `audio/*` answer (as `/v1/music` gives) or JSON with
///   base64 audio are read too.
/// - `bad_prompt` / `bad_composition_plan` (copyrighted material) fail the track with ElevenLabs' reason and
///   its `prompt_suggestion`.
struct ElevenLabsAPI: ProviderAPI {
    static let outputFormat = "mp3_44100_128"

    struct PromptBody: Encodable {
        var prompt: String
        var model_id: String
        var force_instrumental: Bool
        var with_timestamps = true
    }

    struct PlanBody: Encodable {
        var composition_plan: CompositionPlan
        var model_id: String
        var respect_sections_durations = false
        var with_timestamps = true
    }

    func makeSong(_ request: GenerationRequest, call: ProviderCall) async throws -> ProviderSong {
        let body: Data
        if let lyrics = request.lyrics, !request.instrumental {
            let sections = LyricSections(lyrics)
            guard sections.sections.contains(where: { !$0.sungLines.isEmpty }) else {
                throw ProviderFailure(.elevenlabs, .invalid, "The lyrics have no line to sing")
            }
            let plan = CompositionPlan(lyrics: sections, prompt: request.prompt, maxSeconds: request.maxSeconds)
            body = try RequestJSON.encode(PlanBody(composition_plan: plan, model_id: call.settings.modelID))
        } else {
            body = try RequestJSON.encode(
                PromptBody(prompt: request.prompt, model_id: call.settings.modelID, force_instrumental: request.instrumental))
        }
        let reply = try await call.postJSON(
            "/v1/music/detailed?output_format=\(Self.outputFormat)", body: body,
            headers: [("xi-api-key", call.settings.apiKey.exposedValue), ("Accept", "multipart/mixed, audio/mpeg")])
        guard (200..<300).contains(reply.status) else { throw Self.failure(reply, call: call) }

        let (metadata, audio, audioType) = try Self.split(reply)
        let song = metadata?.first("song_metadata", "songMetadata")
        let plan = metadata?.first("composition_plan", "compositionPlan")
        let planLines = Self.lines(of: plan)
        // What was sung: the plan that came back (ours, for user lyrics), as tagged text.
        let sungLyrics: String? = request.instrumental ? nil : (Self.lyrics(of: plan) ?? request.lyrics)
        let words = Self.words(metadata?.first("words_timestamps", "wordsTimestamps", "word_timestamps"))
        return ProviderSong(
            audio: audio, declaredType: audioType, title: song?["title"]?.text, lyrics: sungLyrics,
            timedLines: request.instrumental ? [] : WordTiming.lines(words: words, lyricLines: planLines),
            genre: song?["genres"]?.array?.first?.text)
    }

    /// The metadata JSON (if any) and the audio of an answer, whatever of the plausible shapes it has.
    static func split(_ reply: ProviderReply) throws -> (JSONValue?, Data, String?) {
        let type = reply.contentType ?? ""
        if let boundary = MultipartMixed.boundary(contentType: type) {
            guard let multipart = MultipartMixed(reply.body, boundary: boundary) else {
                throw ProviderFailure(.elevenlabs, .invalid, "ElevenLabs answered with an unreadable multipart body")
            }
            let metadata = multipart.parts.first { $0.contentType.contains("json") }.flatMap { JSONValue(parsing: $0.body) }
            guard let audio = multipart.parts.first(where: { !$0.contentType.contains("json") }) else {
                throw ProviderFailure(.elevenlabs, .invalid, "ElevenLabs answered without an audio part")
            }
            return (metadata, audio.body, audio.headers["content-type"])
        }
        if type.lowercased().contains("json") {
            let json = reply.json
            guard let encoded = json?.first("audio_base64", "audio")?.text, let audio = Data(base64Encoded: encoded) else {
                throw ProviderFailure(.elevenlabs, .invalid, "ElevenLabs answered with JSON but no audio")
            }
            return (json, audio, nil)
        }
        return (nil, reply.body, reply.contentType)
    }

    /// The plan's sections as tagged lyrics (what the model sang in prompt mode).
    static func lyrics(of plan: JSONValue?) -> String? {
        let sections = (plan?["sections"]?.array ?? []).compactMap { section -> String? in
            let lines = (section["lines"]?.array ?? []).compactMap(\.text)
            guard !lines.isEmpty else { return nil }
            let name = section.first("section_name", "sectionName")?.text ?? "Verse"
            return (["[\(name)]"] + lines).joined(separator: "\n")
        }
        return sections.isEmpty ? nil : sections.joined(separator: "\n\n")
    }

    static func lines(of plan: JSONValue?) -> [String] {
        (plan?["sections"]?.array ?? []).flatMap { ($0["lines"]?.array ?? []).compactMap(\.text) }
    }

    /// Word timestamps: `{word, start_ms, end_ms}`, or seconds under `start`/`end`.
    static func words(_ value: JSONValue?) -> [WordTiming] {
        (value?.array ?? []).compactMap { item in
            guard let word = item.first("word", "text")?.text else { return nil }
            if let start = item.first("start_ms", "startMs")?.double {
                let end = item.first("end_ms", "endMs")?.double ?? start
                return WordTiming(word: word, start: start / 1000, end: end / 1000)
            }
            guard let start = item["start"]?.double else { return nil }
            return WordTiming(word: word, start: start, end: item["end"]?.double ?? start)
        }
    }

    /// Error bodies are `{"detail": {"status", "message", ...}}` (422: `{"detail": [{"msg", ...}]}`).
    static func failure(_ reply: ProviderReply, call: ProviderCall) -> ProviderFailure {
        let detail = reply.json?["detail"]
        let status = detail?["status"]?.text?.lowercased() ?? ""
        let validation = detail?.array?.compactMap { item -> String? in item.first("msg", "message")?.text }
        let message: String? = detail?["message"]?.text ?? detail?.text ?? validation?.joined(separator: "; ")
        let said = message.map { ": \(call.redactor.clean($0))" } ?? ""
        switch (reply.status, status) {
        case (400, "bad_prompt"), (400, "bad_composition_plan"):
            let suggestion: String? =
                detail?["prompt_suggestion"]?.text ?? detail?[path: "data", "prompt_suggestion"]?.text
                ?? detail?[path: "data", "composition_plan_suggestion"]?.text
            let hint = suggestion.map { ". ElevenLabs suggests: \(call.redactor.clean($0))" } ?? ""
            let what = status == "bad_prompt" ? "prompt" : "lyrics"
            return ProviderFailure(.elevenlabs, .contentRefused, "ElevenLabs refused the \(what) (\(status))\(said)\(hint)")
        case (401, "quota_exceeded"), (402, _), (403, "quota_exceeded"):
            return ProviderFailure(.elevenlabs, .accountLimit, "ElevenLabs account has no credits left for this (HTTP \(reply.status))\(said)")
        default:
            return call.failure(status: reply.status, headers: reply.headers, detail: message)
        }
    }
}
