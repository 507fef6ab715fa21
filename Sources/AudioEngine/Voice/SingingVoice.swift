import Composer
import Foundation
import SongBrief

/// Sings a list of `SungNote`s: mono samples at 44.1 kHz.
///
/// Each word is spoken by espeak-ng at a flat pitch close to its notes (its own voice files, pitch range 0),
/// resampled to 44.1 kHz, and cut at espeak's phoneme events into onset consonants, vowel nucleus and coda per
/// syllable. TD-PSOLA (grains of two periods cut at the glottal pulses, overlap-added at the sung pitch's
/// period) then re-pitches and re-times it: onset consonants end exactly at the note's `start`, so the vowel
/// lands on the beat; the vowel is held to the release (attack and release at speaking speed, the middle
/// stretched by walking slowly back and forth through the steady part); the coda closes the note. The pitch
/// follows the notes with 50 ms glides between adjacent notes, a melisma moves the held vowel to the next pitch,
/// and notes longer than 0.4 s get a 5.5 Hz vibrato of +-30 cents that fades in after 0.25 s. Grains keep the
/// spectral envelope, so the formants of espeak's female and male voices survive the shift.
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
    /// Longest onset consonant cluster placed before a beat, and longest coda.
    static let longestOnset = 0.22
    static let longestCoda = 0.25
    static let fadeIn = 0.012
    static let fadeOut = 0.04

    /// Renders `notes` into `frames` samples. `isCancelled` is polled before every word (a few ms of work).
    public func render(_ notes: [SungNote], frames: Int, isCancelled: () -> Bool = { false }) throws -> [Float] {
        var output = [Float](repeating: 0, count: max(0, frames))
        let valid = notes.filter { note in
            note.start.isFinite && note.duration.isFinite && note.duration > 0.01 && note.start >= 0
                && note.start < Double(frames) / Double(Self.sampleRate) && (1...127).contains(note.key)
        }.sorted { $0.start < $1.start }
        guard !valid.isEmpty, frames > 0 else { return output }
        let speaker = try EspeakSpeaker.speaker()
        let speakerVoice = SpeakerVoice(voice)
        let contour = PitchContour(notes: valid)
        let words = SungWordGroup.group(valid)

        // Speak and segment every word first: placing a syllable's onset needs the next syllable's onset length.
        // Choruses repeat words at the same pitches: each distinct (word, pitch) is spoken once per render.
        var cache: [String: SpokenRender] = [:]
        var spoken: [SpokenWord] = []
        spoken.reserveCapacity(words.count)
        for word in words {
            if isCancelled() { throw CancellationError() }
            spoken.append(try SpokenWord(word, voice: speakerVoice, speaker: speaker, cache: &cache))
        }
        let placements = Self.place(spoken)
        output.withUnsafeMutableBufferPointer { buffer in
            for (index, word) in spoken.enumerated() {
                PSOLA.sing(word, spans: placements[index], contour: contour, into: buffer)
            }
        }
        if isCancelled() { throw CancellationError() }
        return output
    }

    /// Where every part of every syllable goes on the song's timeline.
    static func place(_ words: [SpokenWord]) -> [[SungSpan]] {
        // Flatten syllables to see each one's neighbours across word boundaries.
        struct Slot {
            var word: Int
            var syllable: Int
            var start: Double
            var end: Double
            var onset: Double
        }
        var slots: [Slot] = []
        for (wordIndex, word) in words.enumerated() {
            for (syllableIndex, syllable) in word.syllables.enumerated() {
                slots.append(Slot(
                    word: wordIndex, syllable: syllableIndex, start: syllable.start, end: syllable.end,
                    onset: Double(word.renders[syllable.renders[0]].onsets[syllableIndex].count) / Double(sampleRate)))
            }
        }
        // Onsets: as long as spoken, but never more than `longestOnset` nor into the first half of the previous
        // syllable (a singer shortens the previous vowel, not the beat).
        for index in slots.indices {
            var length = min(slots[index].onset, longestOnset)
            if index > 0 { length = min(length, max(0.02, 0.45 * (slots[index].start - slots[index - 1].start))) }
            length = min(length, slots[index].start)
            slots[index].onset = max(0, length)
        }
        var spans = words.map { _ in [SungSpan]() }
        for (index, slot) in slots.enumerated() {
            let word = words[slot.word]
            let syllable = word.syllables[slot.syllable]
            let onsetStart = slot.start - slot.onset
            let nextOnsetStart = index + 1 < slots.count ? slots[index + 1].start - slots[index + 1].onset : .infinity
            let releaseEnd = max(slot.start + 0.03, min(slot.end, nextOnsetStart))
            var vowelEnd = releaseEnd
            var coda: SungSpan?
            let isLastOfWord = slot.syllable == word.syllables.count - 1
            let firstRender = syllable.renders[0], lastRender = syllable.renders[syllable.renders.count - 1]
            let codaSource = word.renders[lastRender].codas[slot.syllable]
            if isLastOfWord, codaSource.count > 0 {
                let natural = Double(codaSource.count) / Double(sampleRate)
                let length = min(natural, longestCoda, 0.35 * (releaseEnd - slot.start))
                vowelEnd = releaseEnd - length
                coda = SungSpan(kind: .linear, source: codaSource, outputStart: vowelEnd, outputEnd: releaseEnd, render: lastRender)
            }
            let onsetSource = word.renders[firstRender].onsets[slot.syllable]
            if slot.onset > 0, onsetSource.count > 0 {
                spans[slot.word].append(
                    SungSpan(kind: .linear, source: onsetSource, outputStart: onsetStart, outputEnd: slot.start, render: firstRender))
            }
            // The held vowel, note by note: each note's stretch sung from the render at its pitch (a melisma moves
            // the same vowel, at the same point of its time map, to the next render).
            for (noteIndex, note) in syllable.notes.enumerated() {
                let from = noteIndex == 0 ? slot.start : min(vowelEnd, note.start)
                let to = noteIndex + 1 < syllable.notes.count ? min(vowelEnd, syllable.notes[noteIndex + 1].start) : vowelEnd
                guard to > from else { continue }
                let render = syllable.renders[noteIndex]
                var span = SungSpan(
                    kind: .held, source: word.renders[render].nuclei[slot.syllable], outputStart: slot.start,
                    outputEnd: vowelEnd, render: render)
                span.activeStart = from
                span.activeEnd = to
                spans[slot.word].append(span)
            }
            if let coda { spans[slot.word].append(coda) }
        }
        return spans
    }
}

/// One piece of a word placed on the timeline: a source range of the spoken word mapped onto output seconds.
struct SungSpan {
    enum Kind {
        /// Source and output in proportion (consonants; vowels sung shorter than spoken).
        case linear
        /// A vowel held: attack and release at speaking speed, the steady middle stretched.
        case held
    }

    var kind: Kind
    var source: Range<Int>
    /// The time map runs over this output range...
    var outputStart: Double
    var outputEnd: Double
    /// ...which of the word's renders the source range is in...
    var render: Int
    /// ...and the part of it this span sings (a held vowel is split at its melisma notes).
    var activeStart: Double
    var activeEnd: Double

    init(kind: Kind, source: Range<Int>, outputStart: Double, outputEnd: Double, render: Int) {
        self.kind = kind
        self.source = source
        self.outputStart = outputStart
        self.outputEnd = outputEnd
        self.render = render
        activeStart = outputStart
        activeEnd = outputEnd
    }

    /// The source sample (fractional) sung at output time `time`.
    func sourcePosition(at time: Double, sampleRate: Double) -> Double {
        let sourceLength = Double(source.count)
        let outputLength = max(1e-6, outputEnd - outputStart)
        let elapsed = min(max(0, time - outputStart), outputLength)
        let spokenLength = sourceLength / sampleRate
        if kind == .linear || outputLength <= spokenLength {
            return Double(source.lowerBound) + elapsed / outputLength * sourceLength
        }
        // Held: the first quarter and the last 45 % as spoken; in between walk back and forth through the
        // 25-55 % stretch at half speed, so the held vowel is not one grain repeated.
        let attack = 0.25 * spokenLength, release = 0.45 * spokenLength
        let holdSource = spokenLength - attack - release
        let holdOutput = outputLength - attack - release
        let seconds: Double
        if elapsed < attack {
            seconds = elapsed
        } else if elapsed < attack + holdOutput {
            // An odd number of half-cycles at about half speed: forward, back, ..., forward, ending exactly where
            // the release starts, so the source position never jumps.
            var halfCycles = max(1, Int((holdOutput * 0.5 / max(1e-6, holdSource)).rounded()))
            if halfCycles % 2 == 0 { halfCycles += 1 }
            let walked = (elapsed - attack) / holdOutput * Double(halfCycles)
            let turn = Int(walked)
            let fraction = walked - Double(turn)
            seconds = attack + (turn % 2 == 0 ? fraction : 1 - fraction) * holdSource
        } else {
            seconds = elapsed - holdOutput + holdSource
        }
        return Double(source.lowerBound) + min(max(0, seconds), spokenLength) * sampleRate
    }
}
