import Foundation

/// Why the pronouncing dictionary could not be loaded.
public enum PronouncingDictionaryError: Error, Sendable, Hashable, CustomStringConvertible {
    case fileMissing(searched: [String])
    case unreadable(path: String, reason: String)
    case empty(path: String)

    public var description: String {
        switch self {
        case .fileMissing(let searched):
            "the CMU pronouncing dictionary was not found (looked at \(searched.joined(separator: ", "))); "
                + "install Debian's festlex-cmu (scripts/install-deps.sh) "
                + "or set \(PronouncingDictionary.environmentVariable) to its cmudict-0.4.out"
        case .unreadable(let path, let reason): "cannot read the pronouncing dictionary at \(path): \(reason)"
        case .empty(path: let path): "the pronouncing dictionary at \(path) holds no entries in festival format"
        }
    }
}

/// The CMU pronouncing dictionary as Debian's `festlex-cmu` ships it (festival format,
/// `("word" pos (((syl phones) stress) ...))`), with a letter-to-sound fallback so every word gets syllables
/// and stress. A plain value: whoever owns the process's configuration loads it once
/// (`load(environment:)` or `init(contentsOf:)`) and hands it to the parser and the writer.
public struct PronouncingDictionary: Sendable {
    /// Where Debian's festlex-cmu puts it.
    public static let debianPath = "/usr/share/festival/dicts/cmu/cmudict-0.4.out"
    /// Names another copy of the file (read by `load(environment:)` from the environment it is given).
    public static let environmentVariable = "TUNESMITH_CMUDICT"

    /// Encoded entries: per syllable a marker byte (0x80 | stressed) followed by phoneme indices into `phones`.
    private let entries: [String: [UInt8]]
    private let phones: [String]
    public let path: String

    public var count: Int { entries.count }

    /// The copy `environment` names, else Debian's (the first readable one; about 105,000 words).
    public static func load(environment: [String: String]) throws(PronouncingDictionaryError) -> PronouncingDictionary {
        var candidates: [String] = []
        if let override = environment[environmentVariable], !override.isEmpty { candidates.append(override) }
        candidates.append(debianPath)
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw .fileMissing(searched: candidates)
        }
        return try PronouncingDictionary(contentsOf: found)
    }

    public init(contentsOf path: String) throws(PronouncingDictionaryError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .fileMissing(searched: [path]) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        var parser = FestivalLexiconParser()
        data.withUnsafeBytes { parser.parse(Array($0.bindMemory(to: UInt8.self))) }
        guard !parser.entries.isEmpty else { throw .empty(path: path) }
        self.entries = parser.entries
        self.phones = parser.phones
        self.path = path
    }

    /// The dictionary's pronunciation of a word, or nil when it is not listed.
    public func lookup(_ word: String) -> Pronunciation? {
        let key = Self.normalise(word)
        if let contraction = Contractions.phonemes[key] {
            return Pronunciation(
                dictionaryWord: key,
                syllables: [PronouncedSyllable(phonemes: contraction, stress: .primary)])
        }
        guard let encoded = entries[key.filter { $0 != "'" }] else { return nil }
        var syllables: [[String]] = []
        var stressed: [Bool] = []
        for byte in encoded {
            if byte & 0x80 != 0 {
                syllables.append([])
                stressed.append(byte & 1 == 1)
            } else if !syllables.isEmpty {
                syllables[syllables.count - 1].append(phones[Int(byte)])
            }
        }
        let stresses = StressLevels.resolve(word: key, stressed: stressed)
        return Pronunciation(
            dictionaryWord: key,
            syllables: zip(syllables, stresses).map { PronouncedSyllable(phonemes: $0, stress: $1) })
    }

    /// Every word gets a pronunciation: the dictionary's, or the letter-to-sound rules' guess.
    public func pronunciation(of word: String) -> Pronunciation {
        lookup(word) ?? LetterToSound.pronounce(Self.normalise(word))
    }

    public func contains(_ word: String) -> Bool { lookup(word) != nil }

    public func rhymes(_ first: String, _ second: String) -> Bool {
        pronunciation(of: first).rhymes(with: pronunciation(of: second))
    }

    /// Lower-cased letters and inner apostrophes only (curly apostrophes become straight).
    static func normalise(_ word: String) -> String {
        let lowered = word.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        let kept = lowered.filter { $0.isLetter || $0 == "'" }
        return String(kept.drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed())
    }
}

/// Contractions the festival dictionary lists without their apostrophe under another word ("we're" would
/// read as "were"); their sung sounds.
enum Contractions {
    static let phonemes: [String: [String]] = [
        "i'm": ["ay", "m"], "i'll": ["ay", "l"], "i've": ["ay", "v"], "i'd": ["ay", "d"],
        "we're": ["w", "iy", "r"], "we'll": ["w", "iy", "l"], "we've": ["w", "iy", "v"],
        "you're": ["y", "uh", "r"], "you'll": ["y", "uw", "l"], "you've": ["y", "uw", "v"],
        "they're": ["dh", "eh", "r"], "it's": ["ih", "t", "s"], "that's": ["dh", "ae", "t", "s"],
        "can't": ["k", "ae", "n", "t"], "won't": ["w", "ow", "n", "t"], "don't": ["d", "ow", "n", "t"],
        "there's": ["dh", "eh", "r", "z"], "what's": ["w", "ah", "t", "s"], "she's": ["sh", "iy", "z"],
        "he's": ["hh", "iy", "z"], "let's": ["l", "eh", "t", "s"], "ain't": ["ey", "n", "t"],
    ]
}

/// Festival's copy of CMU marks secondary stress like primary stress. When a word has several stressed
/// syllables, these rules pick the primary one (the rest become secondary).
enum StressLevels {
    /// Prefixes after which English usually stresses the later part ("under-STAND", "after-NOON").
    private static let laterStressPrefixes = ["under", "over", "after", "inter", "counter", "kanga", "guaran"]
    /// Endings whose stressed syllable is not the primary one ("DICtionary", "EVerybody").
    private static let earlierStressEndings = ["ary", "ery", "ory", "ony", "body", "thing", "where", "mony"]

    static func resolve(word: String, stressed: [Bool]) -> [Stress] {
        let stressedIndices = stressed.indices.filter { stressed[$0] }
        guard stressedIndices.count > 1, let first = stressedIndices.first, let last = stressedIndices.last else {
            return stressed.map { $0 ? .primary : .none }
        }
        let primary: Int
        if earlierStressEndings.contains(where: word.hasSuffix) {
            primary = first
        } else if last < stressed.count - 1 {
            primary = last  // "edu-CA-tion", "aba-LO-ne": reduced syllables follow the main stress
        } else if laterStressPrefixes.contains(where: word.hasPrefix) {
            primary = last
        } else {
            primary = first  // compounds: "HIGH-way", "MID-night"
        }
        return stressed.indices.map { index in
            index == primary ? .primary : (stressed[index] ? .secondary : .none)
        }
    }
}

/// A byte-level reader for festival lexicon files: one entry per line, malformed lines skipped.
struct FestivalLexiconParser {
    var entries: [String: [UInt8]] = [:]
    var phones: [String] = []
    private var phoneTable = [UInt8](repeating: 0xFF, count: 1 << 16)

    private static let quote = UInt8(ascii: "\""), open = UInt8(ascii: "("), close = UInt8(ascii: ")")
    private static let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n"), tab = UInt8(ascii: "\t")

    mutating func parse(_ bytes: [UInt8]) {
        entries.reserveCapacity(110_000)
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != Self.newline { lineEnd += 1 }
            parseLine(bytes, lineStart, lineEnd)
            lineStart = lineEnd + 1
        }
    }

    private mutating func parseLine(_ bytes: [UInt8], _ start: Int, _ end: Int) {
        guard end - start > 4, bytes[start] == Self.open, bytes[start + 1] == Self.quote else { return }
        var cursor = start + 2
        while cursor < end && bytes[cursor] != Self.quote { cursor += 1 }
        guard cursor < end, cursor > start + 2,
            let word = String(bytes: bytes[(start + 2)..<cursor], encoding: .utf8)?.lowercased()
        else { return }
        guard entries[word] == nil else { return }  // the first listed reading is the common one
        cursor += 1
        // Skip the part of speech up to the syllable list's opening bracket.
        while cursor < end && bytes[cursor] != Self.open { cursor += 1 }
        cursor += 1
        var encoded: [UInt8] = []
        while cursor < end {
            let byte = bytes[cursor]
            if byte == Self.space || byte == Self.tab {
                cursor += 1
            } else if byte == Self.close {
                break  // end of the syllable list
            } else if byte == Self.open, cursor + 1 < end, bytes[cursor + 1] == Self.open {
                // One syllable: ((phone phone ...) stress)
                cursor += 2
                var syllablePhones: [UInt8] = []
                while cursor < end && bytes[cursor] != Self.close {
                    if bytes[cursor] == Self.space {
                        cursor += 1
                        continue
                    }
                    let atomStart = cursor
                    while cursor < end && bytes[cursor] != Self.space && bytes[cursor] != Self.close { cursor += 1 }
                    guard let index = phone(bytes, atomStart, cursor) else { return }
                    syllablePhones.append(index)
                }
                cursor += 1
                while cursor < end && bytes[cursor] == Self.space { cursor += 1 }
                guard cursor < end, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9") else {
                    return
                }
                let isStressed = bytes[cursor] != UInt8(ascii: "0")
                while cursor < end && bytes[cursor] != Self.close { cursor += 1 }
                cursor += 1
                guard !syllablePhones.isEmpty else { return }
                encoded.append(0x80 | (isStressed ? 1 : 0))
                encoded += syllablePhones
            } else {
                return  // not festival syllable syntax
            }
        }
        if !encoded.isEmpty { entries[word] = encoded }
    }

    /// Phone symbols are one or two ASCII letters: a table indexed by their two bytes finds them without
    /// allocating, which keeps loading the 105,000 entries fast.
    private mutating func phone(_ bytes: [UInt8], _ start: Int, _ end: Int) -> UInt8? {
        guard end - start == 1 || end - start == 2 else { return nil }
        let key = Int(bytes[start]) << 8 | (end - start == 2 ? Int(bytes[start + 1]) : 0)
        let known = phoneTable[key]
        if known != 0xFF { return known }
        guard phones.count < 0x7F, let text = String(bytes: bytes[start..<end], encoding: .utf8) else { return nil }
        let index = UInt8(phones.count)
        phones.append(text)
        phoneTable[key] = index
        return index
    }
}
