import Foundation
import MusicTheory

/// Reads lyrics as users write them: `[Verse 2]`-style section tags (any case, optional numbers, "x2"
/// repeats), other square-bracket text never sung, `(parentheses)` for backing vocals, blank lines between
/// phrases. Untagged lyrics get a form from their stanzas: a stanza that comes back is the chorus.
public struct LyricsParser: Sendable {
    public let syllabifier: WordSyllabifier

    public init(dictionary: PronouncingDictionary) {
        syllabifier = WordSyllabifier(dictionary: dictionary)
    }

    public func parse(_ text: String) -> Lyrics {
        var blocks: [RawSection] = [RawSection(tag: nil)]
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                blocks[blocks.count - 1].endStanza()
                continue
            }
            if let tag = SectionTag(line: line) {
                blocks.append(RawSection(tag: tag))
                continue
            }
            let sung = Self.removingBracketedText(line)
            guard !sung.isEmpty else { continue }  // a line like "[guitar solo]" is not sung and breaks nothing
            blocks[blocks.count - 1].add(sung)
        }
        var kinds: [(SectionKind, [[String]])] = []
        for block in blocks {
            let stanzas = block.stanzas.filter { !$0.isEmpty }
            if let tag = block.tag {
                for _ in 0..<tag.repeats { kinds.append((tag.kind, stanzas)) }
            } else if !stanzas.isEmpty {
                kinds += Self.untaggedForm(stanzas).map { ($0.0, [$0.1]) }
            }
        }
        let totals = Dictionary(kinds.map { ($0.0, 1) }, uniquingKeysWith: +)
        var seen: [SectionKind: Int] = [:]
        let sections = kinds.map { kind, stanzas in
            seen[kind, default: 0] += 1
            let number = seen[kind] ?? 1
            let label = (totals[kind] ?? 1) > 1 ? "\(kind.tagName) \(number)" : kind.tagName
            let lines = stanzas.flatMap { stanza in
                stanza.enumerated().map { index, text in
                    LyricLine(text: text, words: words(in: text), endsPhrase: index == stanza.count - 1)
                }
            }
            return LyricSection(kind: kind, label: label, lines: lines)
        }
        return Lyrics(sections: sections)
    }

    /// The words of a line, those inside parentheses marked as backing vocals.
    func words(in line: String) -> [SungWord] {
        var result: [SungWord] = []
        var token = ""
        var depth = 0
        func finish() {
            let word = Self.trimmedWord(token)
            if !word.isEmpty { result.append(syllabifier.sungWord(word, isBacking: depth > 0)) }
            token = ""
        }
        for character in line {
            switch character {
            case "(":
                finish()
                depth += 1
            case ")":
                finish()
                depth = max(depth - 1, 0)
            case _ where character.isWhitespace || character == "/":
                finish()
            default:
                token.append(character)
            }
        }
        finish()
        return result
    }

    /// A token without the punctuation around it; empty when it holds no letter or digit ("--", "...").
    static func trimmedWord(_ token: String) -> String {
        guard token.contains(where: { $0.isLetter || $0.isNumber }) else { return "" }
        let isKept: (Character) -> Bool = { $0.isLetter || $0.isNumber }
        let start = token.firstIndex(where: isKept) ?? token.startIndex
        let end = token.lastIndex(where: isKept) ?? token.index(before: token.endIndex)
        return String(token[start...end])
    }

    static func removingBracketedText(_ line: String) -> String {
        var kept = ""
        var depth = 0
        for character in line {
            if character == "[" {
                depth += 1
            } else if character == "]" {
                depth = max(depth - 1, 0)
            } else if depth == 0 {
                kept.append(character)
            }
        }
        return kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Untagged stanzas: one that repeats (or shares most of its lines with another) is a chorus, the rest
    /// are verses.
    static func untaggedForm(_ stanzas: [[String]]) -> [(SectionKind, [String])] {
        let normalised = stanzas.map { stanza in Set(stanza.map(normaliseLine)) }
        return stanzas.enumerated().map { index, stanza in
            let mine = normalised[index]
            let repeats = normalised.enumerated().contains { other, lines in
                other != index && !mine.isEmpty
                    && Double(mine.intersection(lines).count) >= 0.6 * Double(mine.count)
            }
            return (repeats ? .chorus : .verse, stanza)
        }
    }

    static func normaliseLine(_ line: String) -> String {
        line.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
    }
}

/// A block of lines under one tag (or before any tag), split into stanzas at blank lines.
private struct RawSection {
    var tag: SectionTag?
    var stanzas: [[String]] = [[]]

    mutating func add(_ line: String) { stanzas[stanzas.count - 1].append(line) }
    mutating func endStanza() {
        if !(stanzas.last?.isEmpty ?? true) { stanzas.append([]) }
    }
}

/// A section tag line: "[Verse 2]", "[PRE CHORUS:]", "[Chorus x2]", "[Verse 1: Ana]".
struct SectionTag: Hashable {
    var kind: SectionKind
    var repeats: Int

    /// Longest names first so "pre-chorus" is not read as "chorus".
    private static let names: [(String, SectionKind)] = [
        ("pre-chorus", .preChorus), ("pre chorus", .preChorus), ("prechorus", .preChorus),
        ("pre-hook", .preChorus), ("post-chorus", .postChorus), ("post chorus", .postChorus),
        ("postchorus", .postChorus), ("instrumental", .solo), ("interlude", .breakdown),
        ("breakdown", .breakdown), ("chorus", .chorus), ("refrain", .chorus), ("bridge", .bridge),
        ("verse", .verse), ("intro", .intro), ("outro", .outro), ("break", .breakdown), ("hook", .chorus),
        ("solo", .solo),
    ]

    init?(line: String) {
        guard line.hasPrefix("["), line.hasSuffix("]"), line.count >= 3 else { return nil }
        let inner = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "\u{2013}", with: "-")
        guard let (name, kind) = Self.names.first(where: { inner.hasPrefix($0.0) }) else { return nil }
        let rest = inner.dropFirst(name.count)
        let afterSpaces = rest.drop { $0 == " " }
        if let first = afterSpaces.first, first.isLetter {
            // "[Verse x2]" is a tag, "[Breakthrough]" or "[Bridge of sighs]" is not
            guard Self.repeatCount(in: String(afterSpaces)) != nil, afterSpaces.hasPrefix("x") else { return nil }
        }
        self.kind = kind
        self.repeats = min(Self.repeatCount(in: String(rest)) ?? 1, 8)
    }

    /// The N of "x2" / "×2" in a tag's remainder.
    private static func repeatCount(in text: String) -> Int? {
        let characters = Array(text)
        for (index, character) in characters.enumerated() where character == "x" || character == "\u{00D7}" {
            let digits = characters[(index + 1)...].drop { $0 == " " }.prefix { $0.isNumber }
            if let value = Int(String(digits)), value > 0 { return value }
        }
        return nil
    }
}
