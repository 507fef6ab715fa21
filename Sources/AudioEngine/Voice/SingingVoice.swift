import Composer
import Foundation
import SongBrief

/// Sings a list of `SungNote`s: mono samples at 44.1 kHz.
///
/// The words are spoken phrase by phrase (a phrase ends at a rest) by one of Flite's clustergen voices, made from
/// recorded speech: "slt" (female) and "rms" (male). Their models predict, for these phones in this context, the
/// voice's spectral envelope every 5 ms. The singer rebuilds that parameter track on the song's timeline: onset
/// consonants at their spoken length end exactly at the note's `start`, so the vowel lands on the beat; the vowel
/// is held to the release (attack and release at speaking speed, the steady middle stretched); a word's last
/// consonants close its last note. The pitch follows the notes with 50 ms glides between adjacent notes, a
/// melisma carries the held vowel to the next pitch, and notes longer than 0.4 s get a 5.5 Hz vibrato of +-30
/// cents that fades in after 0.25 s. `Vocoder` then sings the track at 44.1 kHz with the voice's own envelope
/// at every pitch. A phrase after a rest starts with a breath; long notes swell a little, louder and brighter.
public struct SingingVoice: Sendable {
    public static let sampleRate = 44_100

    public let voice: VoiceType

    public init(voice: VoiceType) { self.voice = voice }

    /// Glide between adjacent notes (seconds, centred on the later note's start).
    static let glide = 0.05
    static let vibratoRate = 5.5
    static let vibratoDepthSemitones = 0.3
    static let vibratoDelay = 0.25
    static let vibratoFadeIn = 0.3
    static let vibratoMinimumDuration = 0.4

    /// Renders `notes` into `frames` samples. `isCancelled` is polled before every phrase (a few ms of work).
    public func render(_ notes: [SungNote], frames: Int, isCancelled: () -> Bool = { false }) throws -> [Float] {
        var output = [Float](repeating: 0, count: max(0, frames))
        let valid = notes.filter { note in
            note.start.isFinite && note.duration.isFinite && note.duration > 0.01 && note.start >= 0
                && note.start < Double(frames) / Double(Self.sampleRate) && (1...127).contains(note.key)
        }.sorted { $0.start < $1.start }
        guard !valid.isEmpty, frames > 0 else { return output }
        let speaker = try FliteSpeaker.speaker()
        let speakerVoice = FliteSpeaker.Voice(voice)
        guard let model = speaker.models[speakerVoice] else {
            throw RenderError.voiceUnavailable("Flite's \(speakerVoice.rawValue) voice is missing")
        }
        let contour = PitchContour(notes: valid)
        // Choruses repeat their phrases: each distinct phrase is spoken once per render.
        var spokenPhrases: [[PhraseWord]: SpokenPhrase] = [:]
        var vocoder: Vocoder?
        var previousEnd = 0.0
        for phrase in SungWordGroup.phrases(SungWordGroup.group(valid)) {
            if isCancelled() { throw CancellationError() }
            var words: [SungWordGroup] = [], phraseWords: [PhraseWord] = []
            for word in phrase {
                guard let spoken = SungPhonemes.phraseWord(syllables: word.syllables.map(\.[0].syllable), word: word.word)
                else { continue }
                words.append(word)
                phraseWords.append(spoken)
            }
            guard !words.isEmpty else { continue }
            let spoken: SpokenPhrase
            if let known = spokenPhrases[phraseWords] {
                spoken = known
            } else {
                spoken = try speaker.speak(phraseWords, voice: speakerVoice)
                spokenPhrases[phraseWords] = spoken
            }
            if vocoder?.order != spoken.order { vocoder = try Vocoder(model: model, order: spoken.order) }
            guard let vocoder else { continue }
            let sources = words.indices.map { spoken.syllableSources(word: $0, count: words[$0].syllables.count) }
            let spans = SungPlacement.spans(words: words, sources: sources, frameSeconds: spoken.frameSeconds)
            guard let firstStart = spans.map(\.start).min() else { continue }
            let track = SungTrack(spans: spans, phrase: spoken, contour: contour, restBefore: firstStart - previousEnd)
            // The noise of every phrase is seeded by where it starts: the same song always gives the same samples.
            let seed = UInt64(max(0, (firstStart * 1_000).rounded())) &* 0x9E37_79B9 &+ UInt64(voice == .female ? 1 : 2)
            vocoder.sing(track, envelopes: vocoder.envelopes(of: spoken), seed: seed, into: &output)
            previousEnd = spans.map(\.end).max() ?? previousEnd
        }
        if isCancelled() { throw CancellationError() }
        return output
    }
}
