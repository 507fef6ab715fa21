import Foundation
import TunesmithCore

/// A `POST /music/extend` body (Tunesmith extension): the finished track to continue, an optional prompt and
/// lyrics for the continuation, and the options every job takes. The rules that need the original are
/// checked by `trackRequest(extending:backend:seed:)` once the controller has found it.
struct ExtendMusicInput: Sendable, Hashable {
    var audioID: String
    var prompt: String?
    var lyrics: String?
    var options: JobOptions

    /// Fields of `music/create` that an extension takes from its original; sending one is a mistake worth a 400.
    static let keptFromOriginal = ["model": "model", "instrumental": "output mode (instrumental or sung)"]

    /// Least room a continuation needs within the model's longest length (a chorus and an outro at most tempos).
    static let minimumRoomSeconds = 20.0

    init(_ fields: RequestFields) throws(APIError) {
        let audioID = try fields.string("audio_id")
        let prompt = try fields.string("prompt")
        let lyrics = try fields.string("lyrics")
        let given = try JobOptions.Given(fields)
        for name in fields.names.sorted() {
            if let kept = Self.keptFromOriginal[name] {
                throw APIError.badRequest("\(name): an extension keeps the original's \(kept); leave it out")
            }
            if name.hasPrefix("image_path_") {
                throw APIError.badRequest("\(name.prefix(60)): an extension keeps the original's reference images; leave it out")
            }
        }
        guard let audioID, !audioID.isEmpty else {
            throw APIError.badRequest("audio_id: is required: the audio_id of the COMPLETED track to continue")
        }
        guard audioID.count <= 1_024 else { throw APIError.badRequest("audio_id: at most 1024 characters") }
        self.audioID = audioID
        self.prompt = prompt.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        self.lyrics = lyrics
        self.options = try JobOptions(given)
    }

    /// The new track's request: the original's model, first song and continuations, plus this continuation.
    /// `backend` is where the original's model is rendered now (extending needs the local engine).
    func trackRequest(extending original: Track, backend: String, seed: UInt64) throws(APIError) -> TrackRequest {
        guard original.status == .completed, let result = original.result else {
            throw APIError.badRequest(
                "audio_id: the track is \(original.status.name); only a COMPLETED track can be extended")
        }
        let model = original.request.model
        guard result.provider == "local" else {
            throw APIError.badRequest(
                "audio_id: the track was made by \(result.provider); only songs made by the local engine can be extended")
        }
        guard backend == "local" else {
            throw APIError.badRequest(
                "audio_id: \(model.rawValue) is rendered by \(backend) here; extending needs the local engine")
        }
        let spec = model.spec
        if let prompt, prompt.count > spec.promptMax {
            throw APIError.badRequest(
                "prompt: at most \(spec.promptMax) characters for \(model.rawValue), got \(prompt.count)")
        }
        let lyrics = try CreateMusicInput.lyrics(self.lyrics, for: model, instrumental: false)
        if lyrics != nil, result.lyrics == nil {
            throw APIError.badRequest("lyrics: the original is an instrumental; there is no voice to sing them")
        }
        guard Double(spec.maxSeconds) - result.durationSeconds >= Self.minimumRoomSeconds else {
            throw APIError.badRequest(
                "audio_id: the song already lasts \(Int(result.durationSeconds.rounded())) s and \(model.rawValue) "
                    + "songs end by \(spec.maxSeconds) s; there is no room to extend it")
        }
        try options.checkStems(model: model, backend: backend)

        let stored = original.request
        let base = stored.baseSong
        let continuation = SongContinuation(prompt: prompt, lyrics: lyrics, seed: seed)
        var request = TrackRequest(
            model: model, prompt: prompt ?? stored.prompt, instrumental: base.instrumental, lyrics: lyrics,
            imagePaths: [], seed: seed, replyURL: nil, replyRef: nil, maxJobs: nil)
        options.apply(to: &request)
        request.extending = SongExtension(
            originalAudioID: original.audioID, originalAssetID: original.assetID, base: base,
            continuations: (stored.extending?.continuations ?? []) + [continuation], originalMIDIPath: result.media[.midi])
        return request
    }
}
