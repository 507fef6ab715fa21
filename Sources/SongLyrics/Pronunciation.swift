/// How strongly a syllable is stressed when spoken; sung melodies put stressed syllables on strong beats.
public enum Stress: Int, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case none = 0, secondary = 1, primary = 2

    public static func < (lhs: Stress, rhs: Stress) -> Bool { lhs.rawValue < rhs.rawValue }

    public var isStressed: Bool { self != .none }
}

/// One syllable of a pronounced word: its phonemes (ARPAbet as festival writes them, lower case: "n ay t")
/// and stress.
public struct PronouncedSyllable: Sendable, Hashable, Codable {
    public var phonemes: [String]
    public var stress: Stress

    public init(phonemes: [String], stress: Stress) {
        self.phonemes = phonemes
        self.stress = stress
    }
}

/// How a word is said: syllables with stress and phonemes, and the part that must match for a rhyme.
public struct Pronunciation: Sendable, Hashable, Codable {
    public var word: String
    public var syllables: [PronouncedSyllable]
    /// Phonemes from the vowel of the primary stressed syllable to the end ("tonight" -> ay t). Two words rhyme
    /// when their rhyme parts are equal and they are different words.
    public var rhyme: [String]
    /// False when the letter-to-sound rules guessed this word (then `rhyme` is a spelling-based key and the
    /// phonemes are empty).
    public var isFromDictionary: Bool

    public init(word: String, syllables: [PronouncedSyllable], rhyme: [String], isFromDictionary: Bool) {
        self.word = word
        self.syllables = syllables
        self.rhyme = rhyme
        self.isFromDictionary = isFromDictionary
    }

    public var phonemes: [String] { syllables.flatMap(\.phonemes) }
    public var stresses: [Stress] { syllables.map(\.stress) }

    /// The rhyme part as one comparable key ("ay t").
    public var rhymeKey: String { rhyme.joined(separator: " ") }

    public func rhymes(with other: Pronunciation) -> Bool {
        !rhyme.isEmpty && rhymeKey == other.rhymeKey && word != other.word
    }
}

enum ArpabetVowels {
    /// Festival's CMU phone set: these carry the syllable nucleus.
    static let all: Set<String> = [
        "aa", "ae", "ah", "ao", "aw", "ax", "ay", "eh", "er", "ey", "ih", "iy", "ow", "oy", "uh", "uw",
    ]

    /// Rhyme parts compare "ah" (stressed) and "ax" (reduced) as one vowel: sung, they sound the same.
    static func rhymeForm(_ phoneme: String) -> String { phoneme == "ah" ? "ax" : phoneme }
}

extension Pronunciation {
    /// Builds a pronunciation from dictionary syllables, deciding the rhyme part from the phonemes.
    init(dictionaryWord word: String, syllables: [PronouncedSyllable]) {
        // From the primary stress: "tomorrow" rhymes on "-orrow" (with "sorrow"), not on its weak last "-ow".
        let stressedIndex =
            syllables.lastIndex { $0.stress == .primary } ?? syllables.lastIndex { $0.stress.isStressed }
            ?? max(syllables.count - 1, 0)
        var rhyme: [String] = []
        if stressedIndex < syllables.count {
            let first = syllables[stressedIndex].phonemes
            let vowelAt = first.firstIndex { ArpabetVowels.all.contains($0) } ?? 0
            rhyme = Array(first[vowelAt...])
            for syllable in syllables[(stressedIndex + 1)...] { rhyme += syllable.phonemes }
        }
        self.init(
            word: word, syllables: syllables, rhyme: rhyme.map(ArpabetVowels.rhymeForm), isFromDictionary: true)
    }
}
