import Foundation

/// One word of a prompt. `text` is lower-cased and accent-folded for matching; `raw` keeps the user's
/// capitalisation, which is the only way to tell the key "Am" from the word "am".
struct PromptToken: Sendable, Hashable {
    var text: String
    var raw: String
    /// True when this token was split off the end of a number written without a space ("120bpm", "4min"),
    /// so one-letter units ("4m", "45s") are only read as units right after a number.
    var attachedToNumber: Bool
    /// Counts punctuation breaks before the token, so "no vocals, sad piano" does not negate "sad".
    var clause: Int = 0

    var number: Double? { PromptTokens.number(text) }
}

/// Splits a prompt into tokens in a way that is tolerant of any input: letters and digits form words,
/// everything else separates them, except the few characters music notation needs: "#" after a letter
/// ("F#"), and "/", ":", "." between digits ("3/4", "3:30", "1.5"). Digits and letters are split apart
/// ("120bpm" -> "120" "bpm"), "&" reads as "and" ("R&B", "drum & bass").
enum PromptTokens {
    /// Prompts longer than this are only read this far: the words that matter come first, and it keeps
    /// parsing time bounded for pasted novels.
    static let maximumCharacters = 20_000

    static func tokenize(_ prompt: String) -> [PromptToken] {
        let text = String(prompt.prefix(maximumCharacters))
            .replacingOccurrences(of: "♯", with: "#")
            .replacingOccurrences(of: "♭", with: "b")
        let characters = Array(text)
        var tokens: [PromptToken] = []
        var current = ""
        var currentIsNumber = false
        var nextIsAttached = false
        var clause = 0

        func flush() {
            guard !current.isEmpty else { return }
            let folded = current.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            tokens.append(PromptToken(text: folded, raw: current, attachedToNumber: nextIsAttached, clause: clause))
            nextIsAttached = false
            current = ""
        }

        for (index, character) in characters.enumerated() {
            let isDigit = character.isASCII && character.isNumber
            let isWordCharacter = character.isLetter || isDigit
            if isWordCharacter {
                let startsNewKind = !current.isEmpty && (isDigit != currentIsNumber)
                if startsNewKind {
                    let wasNumber = currentIsNumber
                    flush()
                    nextIsAttached = wasNumber
                }
                currentIsNumber = isDigit
                current.append(character)
            } else if character == "#", !current.isEmpty, !currentIsNumber {
                current.append(character)
            } else if "/:.,".contains(character), currentIsNumber, !current.isEmpty,
                index + 1 < characters.count, characters[index + 1].isASCII, characters[index + 1].isNumber
            {
                // A decimal comma ("1,5 minutes") reads as a point.
                current.append(character == "," ? "." : character)
            } else {
                flush()
                if character == "&" {
                    tokens.append(PromptToken(text: "and", raw: "&", attachedToNumber: false, clause: clause))
                } else if ",.;:!?()[]{}\n\"—–".contains(character) {
                    clause += 1
                }
            }
        }
        flush()
        return tokens
    }

    /// Tokenizes a dictionary phrase the same way as prompts, so "lo-fi", "r&b" and "8-bit" match however
    /// the user writes them.
    static func words(_ phrase: String) -> [String] { tokenize(phrase).map(\.text) }

    static func number(_ text: String) -> Double? {
        guard let first = text.first, first.isASCII, first.isNumber, !text.contains("/"), !text.contains(":")
        else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// A phrase dictionary searched greedily left to right, longest phrase first, so "lo-fi hip hop" is read as
/// one phrase rather than as "lo-fi" and "hip hop".
struct PromptPhraseIndex<Value: Sendable>: Sendable {
    struct Entry: Sendable {
        var words: [String]
        var value: Value
    }

    struct Match: Sendable {
        var range: Range<Int>
        var value: Value
    }

    private var entriesByFirstWord: [String: [Entry]] = [:]

    init(_ phrases: [(String, Value)]) {
        for (phrase, value) in phrases {
            let words = PromptTokens.words(phrase)
            guard let first = words.first else { continue }
            entriesByFirstWord[first, default: []].append(Entry(words: words, value: value))
        }
        for key in entriesByFirstWord.keys {
            // Stable for equal lengths: the earlier dictionary entry wins.
            entriesByFirstWord[key] = entriesByFirstWord[key]?.enumerated()
                .sorted { ($0.element.words.count, -$0.offset) > ($1.element.words.count, -$1.offset) }
                .map(\.element)
        }
    }

    /// Non-overlapping matches in order, skipping positions in `excluded`.
    func matches(in tokens: [PromptToken], excluding excluded: [Range<Int>] = []) -> [Match] {
        var result: [Match] = []
        var index = 0
        while index < tokens.count {
            if excluded.contains(where: { $0.contains(index) }) {
                index += 1
                continue
            }
            if let entry = longestEntry(at: index, in: tokens) {
                result.append(Match(range: index..<(index + entry.words.count), value: entry.value))
                index += entry.words.count
            } else {
                index += 1
            }
        }
        return result
    }

    private func longestEntry(at index: Int, in tokens: [PromptToken]) -> Entry? {
        guard let candidates = entriesByFirstWord[tokens[index].text] else { return nil }
        return candidates.first { entry in
            guard index + entry.words.count <= tokens.count else { return false }
            return entry.words.indices.allSatisfy { tokens[index + $0].text == entry.words[$0] }
        }
    }
}
