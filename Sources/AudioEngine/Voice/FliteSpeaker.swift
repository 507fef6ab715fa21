import CFlite
import Composer
import SongBrief
import Foundation
import NIOConcurrencyHelpers

/// A word for Flite to speak: its spelling and, when the pronouncing dictionary knew it, its ARPAbet phones
/// with Flite's stress digits on the vowels ("hh ah0 l ow1"). Without phones Flite reads the spelling through its
/// own CMU lexicon and letter-to-sound rules.
struct PhraseWord: Sendable, Hashable {
    var text: String
    var phones: String?
}

/// A phrase as one of Flite's clustergen voices speaks it: the voice's own parameter tracks every 5 ms (what its
/// models predict for these phones in this context, smoothed by maximum-likelihood parameter generation) and the
/// phone segments that cut them. Nothing of Flite's memory is kept: every value is copied out.
struct SpokenPhrase: Sendable {
    struct Segment: Sendable, Hashable {
        var phone: String
        /// Frame range (5 ms frames) the phone covers.
        var start: Double
        var end: Double
        var isVowel: Bool
        /// Index into the phrase's words.
        var word: Int
    }

    /// Seconds per frame (the voice's frame advance: 5 ms).
    var frameSeconds: Double
    var frameCount: Int
    /// Whether Flite's voice would voice each frame (its F0 track is above zero there).
    var voiced: [Bool]
    /// `frameCount` x `order` mel-cepstral coefficients (c0 is the log gain).
    var cepstra: [Float]
    var order: Int
    /// `frameCount` x `bands` voicing strengths (0 = noise, 1 = pulses) of the mixed excitation's bands.
    var strengths: [Float]
    var bands: Int
    /// Silences ("pau") left out.
    var segments: [Segment]
}

/// The constants of a clustergen voice's vocoder that the singer needs to rebuild its spectrum.
struct VoiceModel: Sendable, Hashable {
    /// The voice's recordings' sample rate: its spectrum is defined up to half of it.
    var sampleRate: Double
    /// Frequency warping of the mel-cepstrum (all-pass constant).
    var alpha: Double
    /// Formant emphasis the voice's own vocoder applies to the cepstrum (coefficients 2... scaled by 1 + beta).
    var beta: Double
    var gain: Double
}

/// The only code that talks to Flite. Flite keeps global state (registered voices, their feature lists) and its
/// clustergen voices' databases live in read-only memory, so every call runs under one lock and nothing of
/// Flite's is ever written: utterances are built, read and deleted inside one locked call. Flite's own waveform
/// synthesis (the only part of it that draws random numbers, from the C library's `rand()`) is never run: the
/// singer resynthesises the parameters itself with its own seeded noise, so a phrase's parameters depend only on
/// its words and the voice, in any process and after any history.
final class FliteSpeaker: Sendable {
    enum Voice: String, Sendable, CaseIterable {
        /// CMU "slt": a female US English speaker.
        case slt
        /// CMU "rms": a male US English speaker.
        case rms

        init(_ voice: VoiceType) {
            switch voice {
            case .female: self = .slt
            case .male: self = .rms
            }
        }
    }

    /// The registered voices. Only the lock of `voices` hands them out, so Flite is touched by one thread at a time.
    private struct Voices: @unchecked Sendable {
        // Unchecked: the pointers are only dereferenced inside `withLockedValue` of the box that holds this value,
        // and the voices they point to live for the rest of the process (Flite never unregisters them).
        var pointers: [Voice: UnsafeMutablePointer<cst_voice>]
    }

    static let shared: Result<FliteSpeaker, RenderError> = Result { try FliteSpeaker() }
        .mapError { $0 as? RenderError ?? .voiceUnavailable("\($0)") }

    static func speaker() throws -> FliteSpeaker { try shared.get() }

    private let voices: NIOLockedValueBox<Voices>
    let models: [Voice: VoiceModel]

    private init() throws {
        flite_init()
        var pointers: [Voice: UnsafeMutablePointer<cst_voice>] = [:]
        var models: [Voice: VoiceModel] = [:]
        for voice in Voice.allCases {
            let registered: UnsafeMutablePointer<cst_voice>? = switch voice {
            case .slt: register_cmu_us_slt(nil)
            case .rms: register_cmu_us_rms(nil)
            }
            guard let registered, let value = feat_val(registered.pointee.features, "cg_db"),
                  let database = val_cg_db(value)
            else { throw RenderError.voiceUnavailable("Flite's cmu_us_\(voice.rawValue) voice did not register") }
            pointers[voice] = registered
            models[voice] = VoiceModel(
                sampleRate: Double(database.pointee.sample_rate), alpha: Double(database.pointee.mlsa_alpha),
                beta: Double(database.pointee.mlsa_beta), gain: Double(database.pointee.gain))
        }
        self.models = models
        voices = NIOLockedValueBox(Voices(pointers: pointers))
    }

    /// Speaks `words` as one phrase (words joined without pauses, as in connected speech).
    func speak(_ words: [PhraseWord], voice: Voice) throws -> SpokenPhrase {
        try voices.withLockedValue { voices in
            guard let pointer = voices.pointers[voice] else {
                throw RenderError.voiceUnavailable("Flite's \(voice.rawValue) voice is not registered")
            }
            guard let utterance = new_utterance() else { throw RenderError.voiceUnavailable("Flite: no memory for an utterance") }
            // Flite keeps feature and relation names by pointer (it copies only values): names are static strings.
            let tokens = utt_relation_create(utterance, Self.name("Token"))
            for (index, word) in words.enumerated() {
                let token = relation_append(tokens, nil)
                item_set_string(token, Self.name("name"), word.text)
                item_set_string(token, Self.name("whitespace"), " ")
                item_set_string(token, Self.name("prepunctuation"), "")
                item_set_string(token, Self.name("punc"), "")
                if let phones = word.phones { item_set_string(token, Self.name("phones"), phones) }
                item_set_int(token, Self.name("tunesmith_word"), Int32(index))
            }
            tunesmith_skip_waveform(utterance)
            // flite_do_synth deletes the utterance itself when synthesis fails.
            guard let spoken = flite_do_synth(utterance, pointer, utt_synth_tokens) else {
                throw RenderError.voiceUnavailable("Flite could not speak \"\(words.map(\.text).joined(separator: " "))\"")
            }
            defer { delete_utterance(spoken) }
            return try Self.read(spoken)
        }
    }

    private static func name(_ text: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Copies the parameter tracks and segments out of a spoken utterance.
    private static func read(_ utterance: UnsafeMutablePointer<cst_utterance>) throws -> SpokenPhrase {
        guard let databaseValue = tunesmith_utt_feat_val(utterance, "cg_db"), let database = val_cg_db(databaseValue),
              let paramValue = tunesmith_utt_feat_val(utterance, "param_track"), let parameters = val_track(paramValue),
              let strengthValue = tunesmith_utt_feat_val(utterance, "str_track"), let strengthTrack = val_track(strengthValue)
        else { throw RenderError.voiceUnavailable("Flite's voice gave no parameter tracks (not a clustergen voice?)") }
        // Maximum-likelihood parameter generation: the voice's static and delta statistics become smooth cepstra.
        guard let smoothed = mlpg(parameters, database) else { throw RenderError.voiceUnavailable("Flite's mlpg failed") }
        defer { delete_track(smoothed) }

        let frameCount = Int(min(parameters.pointee.num_frames, smoothed.pointee.num_frames, strengthTrack.pointee.num_frames))
        let order = Int(smoothed.pointee.num_channels) - 1
        let bands = Int(strengthTrack.pointee.num_channels)
        guard frameCount > 0, order > 1, bands > 0 else { throw RenderError.voiceUnavailable("Flite spoke an empty phrase") }
        var voiced = [Bool](repeating: false, count: frameCount)
        var cepstra = [Float](repeating: 0, count: frameCount * order)
        var strengths = [Float](repeating: 0, count: frameCount * bands)
        for frame in 0..<frameCount {
            voiced[frame] = parameters.pointee.frames[frame]![0] > 0
            let smoothedFrame = smoothed.pointee.frames[frame]!
            for coefficient in 0..<order { cepstra[frame * order + coefficient] = smoothedFrame[coefficient + 1] }
            let strengthFrame = strengthTrack.pointee.frames[frame]!
            for band in 0..<bands { strengths[frame * bands + band] = min(1, max(0, strengthFrame[band])) }
        }

        let frameSeconds = Double(database.pointee.frame_advance)
        guard frameSeconds > 0 else { throw RenderError.voiceUnavailable("Flite's voice has no frame advance") }
        var segments: [SpokenPhrase.Segment] = []
        var previousEnd = 0.0
        var segment = relation_head(utt_relation(utterance, "Segment"))
        while let item = segment {
            let phone = String(cString: item_feat_string(item, "name"))
            let end = Double(item_feat_float(item, "end")) / frameSeconds
            if phone != "pau" {
                let word = ffeature_int(item, "R:SylStructure.parent.parent.R:Token.parent.tunesmith_word")
                let isVowel = String(cString: ffeature_string(item, "ph_vc")) == "+"
                segments.append(SpokenPhrase.Segment(
                    phone: phone, start: min(previousEnd, Double(frameCount)), end: min(end, Double(frameCount)),
                    isVowel: isVowel, word: Int(word)))
            }
            previousEnd = end
            segment = item_next(item)
        }
        return SpokenPhrase(
            frameSeconds: frameSeconds, frameCount: frameCount, voiced: voiced, cepstra: cepstra, order: order, strengths: strengths, bands: bands,
            segments: segments)
    }
}
