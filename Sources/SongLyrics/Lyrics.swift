import MusicTheory
/// One sung syllable: its spelling (a piece of the written word), stress and phonemes (empty when guessed).
public struct Syllable: Sendable, Hashable, Codable {
    public var text: String
    public var stress: Stress
    public var phonemes: [String]

    public init(text: String, stress: Stress, phonemes: [String] = []) {
        self.text = text
        self.stress = stress
        self.phonemes = phonemes
    }
}

/// A word as written in the lyrics, cut into the syllables that get one note each.
public struct SungWord: Sendable, Hashable, Codable {
    public var text: String
    public var syllables: [Syllable]
    /// Sung by backing vocals (it was inside parentheses), not by the lead.
    public var isBacking: Bool

    public init(text: String, syllables: [Syllable], isBacking: Bool) {
        self.text = text
        self.syllables = syllables
        self.isBacking = isBacking
    }
}

/// A line of lyrics: the text as written (minus anything in square brackets) and its words.
public struct LyricLine: Sendable, Hashable, Codable {
    public var text: String
    public var words: [SungWord]
    /// A blank line (or the section's end) follows: the melody closes a phrase here.
    public var endsPhrase: Bool

    public init(text: String, words: [SungWord], endsPhrase: Bool) {
        self.text = text
        self.words = words
        self.endsPhrase = endsPhrase
    }

    public var syllableCount: Int { leadWords.reduce(0) { $0 + $1.syllables.count } }
    public var leadWords: [SungWord] { words.filter { !$0.isBacking } }
    public var backingWords: [SungWord] { words.filter(\.isBacking) }
}

/// A section of the song's lyrics ("Chorus 2"): the form follows these.
public struct LyricSection: Sendable, Hashable, Codable {
    public var kind: SectionKind
    /// Readable label, numbered when the kind occurs more than once ("Verse 2").
    public var label: String
    public var lines: [LyricLine]

    public init(kind: SectionKind, label: String, lines: [LyricLine]) {
        self.kind = kind
        self.label = label
        self.lines = lines
    }

    /// The lines grouped into phrases (blank lines separate them).
    public var phrases: [[LyricLine]] {
        var result: [[LyricLine]] = []
        var current: [LyricLine] = []
        for line in lines {
            current.append(line)
            if line.endsPhrase {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}

/// The words of a song, in order of singing.
public struct Lyrics: Sendable, Hashable, Codable {
    public var sections: [LyricSection]

    public init(sections: [LyricSection]) { self.sections = sections }

    public var lines: [LyricLine] { sections.flatMap(\.lines) }
    public var words: [SungWord] { lines.flatMap(\.words) }
    public var isEmpty: Bool { words.isEmpty }

    /// The lyrics written out with section tags, as the API returns them and the parser reads them back.
    public var taggedText: String {
        sections.map { section in
            var block = "[\(section.label)]"
            for line in section.lines {
                block += "\n" + line.text
                if line.endsPhrase && line != section.lines.last { block += "\n" }
            }
            return block
        }.joined(separator: "\n\n")
    }
}

extension SectionKind {
    /// The name used in tags and labels ("Pre-Chorus"; a breakdown is tagged "Break").
    public var tagName: String { self == .breakdown ? "Break" : displayName }
}

/// Turns written words into sung words: syllables with stress from the dictionary, spelling cut to match.
public struct WordSyllabifier: Sendable {
    public let dictionary: PronouncingDictionary

    public init(dictionary: PronouncingDictionary) { self.dictionary = dictionary }

    public func sungWord(_ text: String, isBacking: Bool) -> SungWord {
        // Numbers are sung as words ("24" -> twenty four); hyphenated words by their parts.
        let spokenParts = text.split(whereSeparator: { $0 == "-" || $0 == "\u{2013}" }).flatMap { part in
            part.allSatisfy(\.isNumber) ? NumberWords.spell(String(part)) : [String(part)]
        }
        var syllables: [Syllable] = []
        for part in spokenParts {
            let pronunciation = dictionary.pronunciation(of: part)
            let letters = Array(PronouncingDictionary.normalise(part).filter(\.isLetter))
            let spellings = Self.spellings(letters, count: pronunciation.syllables.count)
            for (index, syllable) in pronunciation.syllables.enumerated() {
                syllables.append(
                    Syllable(text: spellings[index], stress: syllable.stress, phonemes: syllable.phonemes))
            }
        }
        return SungWord(text: text, syllables: syllables, isBacking: isBacking)
    }

    /// The spelling cut into exactly `count` pieces, following vowel groups where they agree.
    static func spellings(_ letters: [Character], count: Int) -> [String] {
        guard count > 0 else { return [] }
        var pieces = LetterToSound.syllableSpellings(letters)
        while pieces.count > count, pieces.count > 1 {
            // merge the shortest neighbour pair
            let pairLengths: [Int] = (0..<(pieces.count - 1)).map { pieces[$0].count + pieces[$0 + 1].count }
            let index = pairLengths.indices.min { pairLengths[$0] < pairLengths[$1] } ?? 0
            pieces[index] += pieces[index + 1]
            pieces.remove(at: index + 1)
        }
        while pieces.count < count {
            guard let index = pieces.indices.max(by: { pieces[$0].count < pieces[$1].count }),
                pieces[index].count > 1
            else {
                pieces.append("")  // more sounds than letters ("24" already spelled; "hmm")
                continue
            }
            let piece = Array(pieces[index])
            let half = piece.count / 2
            pieces[index] = String(piece[..<half])
            pieces.insert(String(piece[half...]), at: index + 1)
        }
        return pieces
    }
}

/// English words for a written number, so "2" is sung "two".
enum NumberWords {
    private static let ones = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    static func spell(_ digits: String) -> [String] {
        guard let value = Int(digits), value < 1_000_000 else {
            return digits.compactMap { $0.wholeNumberValue.map { ones[$0] } }  // read digit by digit
        }
        return words(value)
    }

    private static func words(_ value: Int) -> [String] {
        switch value {
        case 0..<20: return [ones[value]]
        case 20..<100: return [tens[value / 10]] + (value % 10 == 0 ? [] : [ones[value % 10]])
        case 100..<1000: return [ones[value / 100], "hundred"] + (value % 100 == 0 ? [] : words(value % 100))
        default: return words(value / 1000) + ["thousand"] + (value % 1000 == 0 ? [] : words(value % 1000))
        }
    }
}
