import CEspeakNG
import Foundation
import NIOConcurrencyHelpers
import SongBrief

/// One phoneme of an utterance as espeak-ng reported it: its mnemonic and the sample where it starts.
struct SpokenPhoneme: Sendable, Hashable {
    var name: String
    var sample: Int
}

/// A word spoken by espeak-ng: mono samples at `sampleRate` and where each phoneme starts.
struct Utterance: Sendable {
    var samples: [Float]
    var sampleRate: Int
    var phonemes: [SpokenPhoneme]
}

/// The two singers espeak-ng speaks for. The variants are Tunesmith's own voice files (written to a private
/// temporary directory at start-up), derived from espeak-ng's "belinda" (female formants raised 20-35 %) and
/// "m3" variants, with three changes a singing voice needs:
/// - `flutter 0`: espeak's pitch flutter reads a function-static table index that carries over from one
///   utterance to the next, which made the same word come out different on every call; without it a word's
///   samples depend only on the word (renders are deterministic);
/// - no echo or breath noise (an echo smears the pitch periods PSOLA cuts into grains);
/// - a base pitch in the singer's range, so espeak speaks close to the sung pitch and PSOLA only corrects it.
enum SpeakerVoice: String, Sendable, CaseIterable {
    case female, male

    init(_ voice: VoiceType) {
        switch voice {
        case .female: self = .female
        case .male: self = .male
        }
    }

    var fileContents: String {
        switch self {
        case .female:
            """
            name tunesmith-female
            language en-us
            gender female
            pitch 330 400
            flutter 0
            formant 0 88 85 154
            formant 1 135 58 169 -30
            formant 2 120 70 150 -260
            formant 3 120 39 150
            formant 4 125 57 80
            formant 5 125 80 150
            formant 6 110 80 150
            formant 7 110 75 150
            formant 8 110 75 150
            stressAdd -20 -20 -20 -20 0 3 20 12
            stressAmp 18 16 20 20 10 20 27 20

            """
        case .male:
            """
            name tunesmith-male
            language en-us
            gender male
            pitch 165 200
            flutter 0
            formant 0 100 100 100
            formant 1 96 97 100
            formant 2 96 97 100
            formant 3 96 103 100
            formant 4 95 103 100
            formant 5 95 103 100
            formant 6 100 100 100
            formant 7 100 100 100
            formant 8 100 100 100
            consonants 100
            stressAdd 10 10 0 0 0 0 -30 -30

            """
        }
    }
}

/// The only code that talks to libespeak-ng. espeak-ng keeps its state in process globals and is not
/// thread-safe, so there is exactly one instance: initialised once (synchronous output, phoneme events on) and
/// every call made while holding its one lock (the box around the utterance cache). Callers get whole utterances
/// back; nothing of espeak's leaks out.
final class EspeakSpeaker: Sendable {
    /// The shared speaker, or why espeak-ng could not be started.
    static let shared: Result<EspeakSpeaker, RenderError> = {
        do { return .success(try EspeakSpeaker()) } catch let error as RenderError {
            return .failure(error)
        } catch {
            return .failure(.voiceUnavailable("\(error)"))
        }
    }()

    static func speaker() throws -> EspeakSpeaker { try shared.get() }

    /// Rate in words per minute: a little slower than espeak's 175, so vowels are long enough to cut grains from
    /// and consonants are clear.
    static let wordsPerMinute: Int32 = 150
    static let primer = "[[h'A:]]"

    let sampleRate: Int
    private let voiceFiles: [SpeakerVoice: String]
    /// espeak's f0 (Hz) at pitch parameter 0, 10, ..., 100 for each voice, measured at start-up.
    private let pitchTable: [SpeakerVoice: [Double]]
    /// Words already spoken (see `cachedUtterances`). Its lock is also the lock on espeak-ng itself.
    private let utterances = NIOLockedValueBox<[String: Utterance]>([:])

    /// Where the synthesis callback collects samples and events; only touched while `utterances` is locked
    /// (espeak's synchronous mode calls the callback on the calling thread, inside `espeak_Synth`).
    nonisolated(unsafe) private static var collected: (samples: [Int16], phonemes: [SpokenPhoneme]) = ([], [])

    private init() throws {
        let rate = espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_DONT_EXIT))
        guard rate > 0 else { throw RenderError.voiceUnavailable("espeak_Initialize failed (is espeak-ng-data installed?)") }
        sampleRate = Int(rate)
        espeak_SetSynthCallback { wave, count, events in
            if let wave, count > 0 {
                EspeakSpeaker.collected.samples.append(contentsOf: UnsafeBufferPointer(start: wave, count: Int(count)))
            }
            var event = events
            while let current = event, current.pointee.type != espeakEVENT_LIST_TERMINATED {
                if current.pointee.type == espeakEVENT_PHONEME {
                    let name = withUnsafeBytes(of: current.pointee.id.string) { bytes in
                        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    EspeakSpeaker.collected.phonemes.append(SpokenPhoneme(name: name, sample: Int(current.pointee.sample)))
                }
                event = current + 1
            }
            return 0
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tunesmith-voices-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        var files: [SpeakerVoice: String] = [:]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for voice in SpeakerVoice.allCases {
                let url = directory.appendingPathComponent(voice.rawValue)
                try voice.fileContents.write(to: url, atomically: true, encoding: .utf8)
                files[voice] = url.path
            }
        } catch {
            throw RenderError.voiceUnavailable("cannot write the voice files: \(error)")
        }
        voiceFiles = files
        // The very first utterance after loading starts from espeak's initial wave-generator state, every later
        // one from the state an utterance leaves behind; speak once per voice so that all real words do the latter.
        // (No other thread can reach espeak yet: the instance is still being made, once, by `shared`.)
        var pitchTable: [SpeakerVoice: [Double]] = [:]
        let sampleRate = self.sampleRate
        for voice in SpeakerVoice.allCases {
            _ = try Self.speakLocked(
                text: "[[h'A:]]", voiceFile: files[voice], voice: voice, pitch: 50, sampleRate: sampleRate)
            pitchTable[voice] = try (0...10).map { step in
                let utterance = try Self.speakLocked(
                    text: "[[m'A:A:]]", voiceFile: files[voice], voice: voice, pitch: step * 10, sampleRate: sampleRate)
                return PitchMarks.fundamental(of: utterance.samples, sampleRate: utterance.sampleRate, range: 70...900)
            }
        }
        self.pitchTable = pitchTable
    }

    /// The espeak pitch parameter (0...100) whose flat pitch is nearest `frequency`.
    func pitchParameter(for frequency: Double, voice: SpeakerVoice) -> Int {
        guard let table = pitchTable[voice] else { return 50 }
        let target = log2(max(1, frequency))
        var best = 50, bestDistance = Double.infinity
        // Interpolate between the measured points in steps of one.
        for parameter in 0...100 {
            let low = parameter / 10, high = min(10, low + 1)
            let fraction = Double(parameter % 10) / 10
            let f0 = log2(max(1, table[low])) * (1 - fraction) + log2(max(1, table[high])) * fraction
            if abs(f0 - target) < bestDistance {
                bestDistance = abs(f0 - target)
                best = parameter
            }
        }
        return best
    }

    /// espeak's measured flat pitch (Hz) at `parameter`.
    func flatPitch(parameter: Int, voice: SpeakerVoice) -> Double {
        guard let table = pitchTable[voice] else { return 0 }
        let clamped = min(100, max(0, parameter))
        let low = clamped / 10, high = min(10, low + 1)
        let fraction = Double(clamped % 10) / 10
        return exp2(log2(max(1, table[low])) * (1 - fraction) + log2(max(1, table[high])) * fraction)
    }

    /// Speaks `text` (plain words, or espeak phoneme mnemonics inside `[[...]]`) at a flat pitch.
    func speak(text: String, voice: SpeakerVoice, pitch: Int) throws -> Utterance {
        try utterances.withLockedValue { utterances in
            let key = "\(voice.rawValue)|\(pitch)|\(text)"
            if let cached = utterances[key] { return cached }
            let utterance = try Self.speakLocked(
                text: text, voiceFile: voiceFiles[voice], voice: voice, pitch: pitch, sampleRate: sampleRate)
            if utterances.count < Self.cachedUtterances { utterances[key] = utterance }
            return utterance
        }
    }

    /// espeak-ng still carries some wave-generator state from one utterance to the next (flutter off, the voice
    /// reloaded and a primer spoken before every word reduce it but do not remove it), so the first rendering of
    /// a word is kept and reused: within one process the same word at the same pitch always sounds the same.
    /// About 20 KB each; bounded (~80 MB), after which new words are spoken afresh every time.
    static let cachedUtterances = 4_096

    /// One utterance; the caller holds the lock on espeak (or is the initialiser, before anyone else can call).
    private static func speakLocked(
        text: String, voiceFile: String?, voice: SpeakerVoice, pitch: Int, sampleRate: Int
    ) throws -> Utterance {
        // Reloaded before every word: together with the primer below this is the sequence measured to give the
        // same samples for the same word whatever was spoken before (voice loading resets part of espeak's state).
        guard let path = voiceFile, espeak_SetVoiceByFile(path) == EE_OK else {
            throw RenderError.voiceUnavailable("espeak-ng could not load the \(voice.rawValue) voice")
        }
        // Range 0: a monotone, so every pitch period has the same known length.
        espeak_SetParameter(espeakRANGE, 0, 0)
        espeak_SetParameter(espeakRATE, Self.wordsPerMinute, 0)
        // espeak's wave generator carries amplitude and phase state from one utterance into the next, so the
        // same word comes out slightly different after different words. A fixed primer utterance just before
        // brings that state to the same point every time (measured: identical samples after any history).
        espeak_SetParameter(espeakPITCH, 50, 0)
        let primed = Self.primer.withCString { pointer in
            espeak_Synth(pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8 | espeakPHONEMES), nil, nil)
        }
        guard primed == EE_OK else { throw RenderError.voiceUnavailable("espeak_Synth failed (\(primed.rawValue))") }
        espeak_SetParameter(espeakPITCH, Int32(min(100, max(0, pitch))), 0)
        Self.collected = ([], [])
        let status = text.withCString { pointer in
            espeak_Synth(
                pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0,
                UInt32(espeakCHARS_UTF8 | espeakPHONEMES), nil, nil)
        }
        guard status == EE_OK else { throw RenderError.voiceUnavailable("espeak_Synth failed (\(status.rawValue))") }
        let collected = Self.collected
        Self.collected = ([], [])
        return Utterance(
            samples: collected.samples.map { Float($0) / 32_768 }, sampleRate: sampleRate, phonemes: collected.phonemes)
    }
}
