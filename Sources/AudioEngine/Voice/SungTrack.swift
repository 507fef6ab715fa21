import Composer
import Foundation

/// Where one syllable's sounds lie in a spoken phrase, in (fractional) frames.
struct SyllableSource {
    var onset: Range<Double>
    var nucleus: Range<Double>
    /// Only a word's last syllable has one: consonants between vowels are sung as the next syllable's onset.
    var coda: Range<Double>
    var isDiphthong: Bool
}

extension SpokenPhrase {
    /// The frames of word `word`'s `count` syllables: one nucleus (a run of vowels) per syllable when Flite's
    /// vowels agree with the dictionary's syllables, otherwise nuclei merged or split evenly. Empty when Flite said
    /// nothing for the word.
    func syllableSources(word: Int, count: Int) -> [SyllableSource] {
        let segments = self.segments.filter { $0.word == word }
        guard let first = segments.first, let last = segments.last, count > 0 else { return [] }
        var nuclei: [(range: Range<Double>, diphthong: Bool)] = []
        var previousWasVowel = false
        for segment in segments {
            if segment.isVowel, previousWasVowel, let run = nuclei.last {
                nuclei[nuclei.count - 1].range = run.range.lowerBound..<segment.end
            } else if segment.isVowel {
                nuclei.append((segment.start..<segment.end, SungPhonemes.diphthongs.contains(segment.phone)))
            }
            previousWasVowel = segment.isVowel
        }
        if nuclei.isEmpty { nuclei = [(first.start..<last.end, false)] }

        var syllableNuclei: [(range: Range<Double>, diphthong: Bool, sharesPrevious: Bool)] = []
        if nuclei.count >= count {
            for index in 0..<count {
                let from = index * nuclei.count / count
                let to = max(from, (index + 1) * nuclei.count / count - 1)
                syllableNuclei.append((nuclei[from].range.lowerBound..<nuclei[to].range.upperBound, nuclei[from].diphthong, false))
            }
        } else {
            for index in 0..<count {
                let nucleus = index * nuclei.count / count
                let sharing = (0..<count).filter { $0 * nuclei.count / count == nucleus }
                let position = sharing.firstIndex(of: index) ?? 0
                let range = nuclei[nucleus].range
                let length = range.upperBound - range.lowerBound
                let low = range.lowerBound + length * Double(position) / Double(sharing.count)
                let high = range.lowerBound + length * Double(position + 1) / Double(sharing.count)
                syllableNuclei.append((low..<high, nuclei[nucleus].diphthong, position > 0))
            }
        }
        var sources: [SyllableSource] = []
        var previousEnd = first.start
        for (index, nucleus) in syllableNuclei.enumerated() {
            let onsetStart = min(previousEnd, nucleus.range.lowerBound)
            let onset = nucleus.sharesPrevious ? nucleus.range.lowerBound..<nucleus.range.lowerBound : onsetStart..<nucleus.range.lowerBound
            let end = nucleus.range.upperBound
            let coda = index == count - 1 ? end..<max(end, last.end) : end..<end
            sources.append(SyllableSource(onset: onset, nucleus: nucleus.range, coda: coda, isDiphthong: nucleus.diphthong))
            previousEnd = end
        }
        return sources
    }
}

/// One piece of a syllable placed on the song's timeline: a range of the spoken phrase's frames sung over a
/// range of seconds.
struct SungSpan {
    enum Kind {
        /// Source and output in proportion (consonants; vowels sung shorter than spoken).
        case linear
        /// A vowel held: attack and release at speaking speed, the steady middle stretched.
        case held(diphthong: Bool)
    }

    var kind: Kind
    var source: Range<Double>
    var start: Double
    var end: Double
    /// From the note's velocity.
    var level: Float

    /// The source frame (fractional) sung at `time`.
    func sourcePosition(at time: Double, frameSeconds: Double) -> Double {
        let sourceFrames = source.upperBound - source.lowerBound
        let outputLength = max(1e-6, end - start)
        let elapsed = min(max(0, time - start), outputLength)
        let spoken = sourceFrames * frameSeconds
        guard case .held(let diphthong) = kind, outputLength > spoken else {
            return source.lowerBound + elapsed / outputLength * sourceFrames
        }
        // The attack (out of the consonant) and the release (into the next) as spoken; in between a slow walk
        // through the steady part. A diphthong holds its first quality and moves to the second at the release,
        // as singers do.
        let (holdFrom, holdTo) = diphthong ? (0.15, 0.3) : (0.25, 0.5)
        let attack = holdFrom * spoken, release = (1 - holdTo) * spoken
        let hold = outputLength - attack - release
        let seconds: Double
        if elapsed < attack {
            seconds = elapsed
        } else if elapsed < attack + hold {
            seconds = attack + (elapsed - attack) / hold * (holdTo - holdFrom) * spoken
        } else {
            seconds = holdTo * spoken + (elapsed - attack - hold)
        }
        return source.lowerBound + min(spoken, seconds) / frameSeconds
    }

    /// 0...1: how far a long held vowel has swelled (a singer leans into a long note: louder and brighter).
    func swell(at time: Double) -> Double {
        guard case .held = kind, end - start >= SungPlacement.swellMinimum else { return 0 }
        let position = (time - start - 0.2) / max(0.1, end - start - 0.35)
        let clamped = min(1, max(0, position))
        return clamped * clamped * (3 - 2 * clamped)
    }
}

/// Places a phrase's syllables on the timeline: onset consonants end at the note's start (the vowel lands on the
/// beat), the vowel is held to the release, a word's final consonants close its last note.
enum SungPlacement {
    /// Longest onset consonant cluster placed before a beat, and longest coda.
    static let longestOnset = 0.4
    static let longestCoda = 0.25
    /// An onset takes at most this share of the time from the previous syllable's start, a coda this share of
    /// its own syllable.
    static let onsetShare = 0.9
    static let codaShare = 0.6
    /// Held vowels at least this long swell.
    static let swellMinimum = 0.6

    static func spans(words: [SungWordGroup], sources: [[SyllableSource]], frameSeconds: Double) -> [SungSpan] {
        struct Slot {
            var notes: [SungNote]
            var source: SyllableSource
            var isLastOfWord: Bool
            var start: Double
            var end: Double
            var onset: Double
        }
        var slots: [Slot] = []
        for (word, syllableSources) in zip(words, sources) where syllableSources.count == word.syllables.count {
            for (index, notes) in word.syllables.enumerated() {
                let source = syllableSources[index]
                let start = notes[0].start
                slots.append(Slot(
                    notes: notes, source: source, isLastOfWord: index == word.syllables.count - 1, start: start,
                    end: max(start + 0.01, notes.map(\.end).max() ?? start),
                    onset: (source.onset.upperBound - source.onset.lowerBound) * frameSeconds))
            }
        }
        // Onsets: as long as spoken, but never more than `longestOnset` nor the last tenth of the previous
        // syllable. A singer shortens the previous vowel, not the beat: consonants squeezed to fit a vowel's
        // schedule are what the ear (and a recogniser) loses first.
        for index in slots.indices {
            var length = min(slots[index].onset, longestOnset)
            if index > 0 { length = min(length, max(0.02, onsetShare * (slots[index].start - slots[index - 1].start))) }
            slots[index].onset = max(0, min(length, slots[index].start))
        }
        var spans: [SungSpan] = []
        for (index, slot) in slots.enumerated() {
            let level = Float(0.55 + 0.45 * Double(slot.notes[0].velocity) / 127)
            let nextOnsetStart = index + 1 < slots.count ? slots[index + 1].start - slots[index + 1].onset : .infinity
            let releaseEnd = max(slot.start + 0.03, min(slot.end, nextOnsetStart))
            var vowelEnd = releaseEnd
            var coda: SungSpan?
            let codaFrames = slot.source.coda.upperBound - slot.source.coda.lowerBound
            if slot.isLastOfWord, codaFrames > 0 {
                let length = min(codaFrames * frameSeconds, longestCoda, codaShare * (releaseEnd - slot.start))
                vowelEnd = releaseEnd - length
                coda = SungSpan(kind: .linear, source: slot.source.coda, start: vowelEnd, end: releaseEnd, level: level)
            }
            if slot.onset > 0, !slot.source.onset.isEmpty {
                spans.append(SungSpan(
                    kind: .linear, source: slot.source.onset, start: slot.start - slot.onset, end: slot.start, level: level))
            }
            spans.append(SungSpan(
                kind: .held(diphthong: slot.source.isDiphthong), source: slot.source.nucleus, start: slot.start,
                end: vowelEnd, level: level))
            if let coda { spans.append(coda) }
        }
        return spans
    }
}

/// A sung phrase as the vocoder reads it: every `step` seconds from `start`, which spoken frame sounds, whether
/// it is voiced, at which pitch, how loud and how bright.
struct SungTrack {
    static let step = 0.0025
    /// Fades at the edges of every connected stretch of sound.
    static let fadeIn = 0.015
    static let fadeOut = 0.04
    /// An in-breath before a phrase that follows a rest at least this long.
    static let breathAfterRest = 0.5
    static let breathLength = 0.28
    static let breathLead = 0.27
    static let shortestBreath = 0.1
    /// Breath level against the sung voice, and how much brighter than the vowel it sounds.
    static let breathLevel: Float = 0.08
    static let breathBrightness: Float = 1.2
    /// A long note's swell: +2.5 dB and brighter at its height.
    static let swellGain: Float = 0.33
    static let swellBrightness: Float = 0.35

    var start: Double
    var source: [Double]
    var voiced: [Bool]
    var hertz: [Double]
    var level: [Float]
    var brightness: [Float]
    /// Frame k and k + 1 map continuously onto the spoken phrase (the vocoder interpolates between them).
    var joinsNext: [Bool]

    var count: Int { source.count }

    /// `restBefore`: seconds of silence before the phrase's first onset (an in-breath fits into a long one).
    init(spans: [SungSpan], phrase: SpokenPhrase, contour: PitchContour, restBefore: Double) {
        let ordered = spans.filter { $0.end > $0.start }.sorted { $0.start < $1.start }
        var vowelFrames = [Bool](repeating: false, count: phrase.frameCount)
        for segment in phrase.segments where segment.isVowel {
            let from = max(0, Int(segment.start.rounded())), to = min(phrase.frameCount, Int(segment.end.rounded()))
            if from < to { for frame in from..<to { vowelFrames[frame] = true } }
        }
        let firstStart = ordered.first?.start ?? 0
        let lastEnd = ordered.map(\.end).max() ?? firstStart
        // The breath draws on the first vowel's spectrum, unvoiced: the singer's own timbre, whispered.
        var breath: (start: Double, end: Double, source: Double)?
        // It comes just before the phrase, never earlier than `breathLead` before its first vowel, so the quiet
        // before a phrase stays silent; it is left out when the onset consonants leave no room for it.
        if restBefore >= Self.breathAfterRest, let vowel = ordered.first(where: { if case .held = $0.kind { true } else { false } }) {
            let end = firstStart - 0.02
            let start = max(end - min(Self.breathLength, restBefore - 0.2), vowel.start - Self.breathLead)
            if end - start >= Self.shortestBreath {
                breath = (start, end, (vowel.source.lowerBound + vowel.source.upperBound) / 2)
            }
        }
        start = max(0, (breath?.start ?? firstStart) - Self.step)
        let count = max(1, Int(((lastEnd - start) / Self.step).rounded(.up)) + 2)
        source = [Double](repeating: 0, count: count)
        voiced = [Bool](repeating: false, count: count)
        hertz = [Double](repeating: 0, count: count)
        level = [Float](repeating: 0, count: count)
        brightness = [Float](repeating: 0, count: count)
        joinsNext = [Bool](repeating: false, count: count)

        var spanIndex = 0
        var spanOf = [Int](repeating: -1, count: count)
        for frame in 0..<count {
            let time = start + Double(frame) * Self.step
            while spanIndex < ordered.count, ordered[spanIndex].end <= time { spanIndex += 1 }
            if spanIndex < ordered.count, ordered[spanIndex].start <= time {
                let span = ordered[spanIndex]
                let position = min(Double(phrase.frameCount) - 1, max(0, span.sourcePosition(at: time, frameSeconds: phrase.frameSeconds)))
                let nearest = min(phrase.frameCount - 1, Int(position.rounded()))
                let swell = Float(span.swell(at: time))
                source[frame] = position
                voiced[frame] = phrase.voiced[nearest] || vowelFrames[nearest]
                hertz[frame] = contour.frequency(at: time)
                level[frame] = span.level * (1 + Self.swellGain * swell)
                brightness[frame] = Self.swellBrightness * swell
                spanOf[frame] = spanIndex
            } else if let breath, time >= breath.start, time < breath.end {
                let phase = (time - breath.start) / (breath.end - breath.start)
                let envelope = Float(sin(Double.pi * phase))
                source[frame] = breath.source
                level[frame] = Self.breathLevel * envelope * envelope
                brightness[frame] = Self.breathBrightness
                spanOf[frame] = -2
            }
        }
        for frame in 0..<(count - 1) where level[frame] > 0 && level[frame + 1] > 0 {
            // Neighbouring frames of one span, or of two spans that follow each other in the spoken phrase.
            joinsNext[frame] = spanOf[frame] == spanOf[frame + 1] || abs(source[frame + 1] - source[frame]) < 4
        }
        applyFades()
    }

    /// Soft edges for every stretch of sound (a vowel that starts a phrase, a release into a rest).
    private mutating func applyFades() {
        let fadeInFrames = Self.fadeIn / Self.step, fadeOutFrames = Self.fadeOut / Self.step
        var frame = 0
        while frame < count {
            guard level[frame] > 0 else {
                frame += 1
                continue
            }
            var end = frame
            while end + 1 < count, joinsNext[end] { end += 1 }
            for index in frame...end {
                let fromStart = Double(index - frame + 1) / fadeInFrames
                let toEnd = Double(end - index + 1) / fadeOutFrames
                level[index] *= Float(min(1, fromStart, toEnd))
            }
            frame = end + 1
        }
    }
}
