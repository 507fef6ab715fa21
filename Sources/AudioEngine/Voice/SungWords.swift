import Composer
import Foundation

/// The notes of one sung word: its syllables, each a first note plus the melisma notes that continue its vowel.
struct SungWordGroup {
    var word: String
    var syllables: [[SungNote]]

    /// Consecutive notes belong to one word while they continue its syllables in order (index 1, 2, ...) under
    /// the same word; continuation notes join the syllable before them.
    static func group(_ notes: [SungNote]) -> [SungWordGroup] {
        var groups: [SungWordGroup] = []
        for note in notes {
            if note.isContinuation, var last = groups.last, !last.syllables.isEmpty {
                last.syllables[last.syllables.count - 1].append(note)
                groups[groups.count - 1] = last
                continue
            }
            if var last = groups.last, let previous = last.syllables.last?.first, previous.word == note.word,
               note.syllableIndex == previous.syllableIndex + 1, note.syllableIndex > 0
            {
                last.syllables.append([note])
                groups[groups.count - 1] = last
            } else {
                groups.append(SungWordGroup(word: note.word, syllables: [[note]]))
            }
        }
        return groups
    }
}

extension SungWordGroup {
    /// A rest at least this long ends a phrase (the singer breathes); Flite speaks each phrase as one utterance.
    static let phraseBreak = 0.3
    /// A phrase holds at most this many words, so one utterance stays about a line long.
    static let longestPhrase = 12

    /// Where the first vowel starts and the last note ends.
    var start: Double { syllables[0][0].start }
    var end: Double { syllables.joined().map(\.end).max() ?? start }

    /// The words in order, cut into phrases at rests of `phraseBreak` or more.
    static func phrases(_ words: [SungWordGroup]) -> [[SungWordGroup]] {
        var phrases: [[SungWordGroup]] = []
        for word in words {
            if let last = phrases.last?.last, word.start - last.end < phraseBreak, phrases[phrases.count - 1].count < longestPhrase {
                phrases[phrases.count - 1].append(word)
            } else {
                phrases.append([word])
            }
        }
        return phrases
    }
}

/// The sung pitch over time: the notes' keys, a glide between adjacent notes, vibrato on long notes.
struct PitchContour {
    let notes: [SungNote]
    private let starts: [Double]

    init(notes: [SungNote]) {
        self.notes = notes
        starts = notes.map(\.start)
    }

    func frequency(at time: Double) -> Double { 440 * exp2((midi(at: time) - 69) / 12) }

    func midi(at time: Double) -> Double {
        guard !notes.isEmpty else { return 69 }
        let halfGlide = SingingVoice.glide / 2
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= time + halfGlide { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return Double(notes[0].key) }
        let index = low - 1
        let note = notes[index]
        // Past a note's end (a rest, then the next onset consonant): already on the coming note's pitch.
        if time > note.end, index + 1 < notes.count { return Double(notes[index + 1].key) }
        var key = Double(note.key)
        if index > 0, notes[index - 1].end >= note.start - 0.12, time < note.start + halfGlide {
            let previous = Double(notes[index - 1].key)
            let position = min(1, max(0, (time - (note.start - halfGlide)) / SingingVoice.glide))
            key = previous + (key - previous) * (0.5 - 0.5 * cos(Double.pi * position))
        }
        if note.duration >= SingingVoice.vibratoMinimumDuration, time > note.start + SingingVoice.vibratoDelay {
            let since = time - note.start - SingingVoice.vibratoDelay
            let depth = SingingVoice.vibratoDepthSemitones * min(1, since / SingingVoice.vibratoFadeIn)
            key += depth * sin(2 * Double.pi * SingingVoice.vibratoRate * since)
        }
        return key
    }
}
