import Foundation
import SongLyrics

/// Spelling words for espeak-ng: CMU ARPAbet (festival's lower-case set) to espeak's English phoneme mnemonics,
/// and the classes of espeak's phonemes the singer needs (vowel nucleus, voiced, pause).
enum SungPhonemes {
    static let arpabet: [String: String] = [
        "aa": "A:", "ae": "a", "ah": "V", "ao": "O:", "aw": "aU", "ax": "@", "ay": "aI", "eh": "E", "er": "3:",
        "ey": "eI", "ih": "I", "iy": "i:", "ow": "oU", "oy": "OI", "uh": "U", "uw": "u:",
        "b": "b", "ch": "tS", "d": "d", "dh": "D", "f": "f", "g": "g", "hh": "h", "jh": "dZ", "k": "k", "l": "l",
        "m": "m", "n": "n", "ng": "N", "p": "p", "r": "r", "s": "s", "sh": "S", "t": "t", "th": "T", "v": "v",
        "w": "w", "y": "j", "z": "z", "zh": "Z",
    ]

    /// espeak input for one word: phoneme mnemonics inside `[[...]]` with stress marks when every syllable has
    /// dictionary phonemes, else the spelling (espeak's own letter-to-sound rules read it).
    static func espeakInput(syllables: [Syllable], word: String) -> String {
        let known = !syllables.isEmpty && syllables.allSatisfy { syllable in
            !syllable.phonemes.isEmpty && syllable.phonemes.allSatisfy { arpabet[$0.lowercased()] != nil }
        }
        guard known else {
            let letters = word.filter { $0.isLetter || $0 == "'" }
            let fallback = letters.isEmpty ? syllables.map(\.text).joined() : letters
            return String(fallback.filter { $0.isLetter || $0 == "'" }.prefix(40))
        }
        var text = "[["
        for syllable in syllables {
            switch syllable.stress {
            case .primary: text += "'"
            case .secondary: text += ","
            case .none: break
            }
            for phoneme in syllable.phonemes {
                let lower = phoneme.lowercased()
                // An unstressed "ah" is the reduced schwa; "er" unstressed is espeak's short r-coloured vowel.
                if syllable.stress == .none && lower == "ah" { text += "@" } else if syllable.stress == .none && lower == "er" {
                    text += "3"
                } else {
                    text += arpabet[lower] ?? ""
                }
            }
        }
        return text + "]]"
    }

    /// espeak mnemonics that start with these carry a syllable nucleus (vowels, diphthongs, syllabic "@L").
    private static let vowelInitials: Set<Character> = ["a", "A", "e", "E", "i", "I", "o", "O", "u", "U", "V", "@", "3", "0", "&"]
    private static let voicedConsonants: Set<String> = [
        "b", "d", "g", "v", "z", "Z", "D", "dZ", "m", "n", "N", "l", "r", "w", "j", "n-", "m-", "l/", "r-", "t#", "d#",
    ]

    static func isPause(_ name: String) -> Bool { name.isEmpty || name.hasPrefix("_") || name == "||" || name == "|" }

    static func isVowel(_ name: String) -> Bool {
        guard let first = name.first, !isPause(name) else { return false }
        return vowelInitials.contains(first)
    }

    static func isVoiced(_ name: String) -> Bool {
        if isVowel(name) { return true }
        if voicedConsonants.contains(name) { return true }
        // Variants espeak marks with a suffix ("l#", "r/", ...) keep the base consonant's voicing.
        if let first = name.first, "bdgvzZDmnNlrwj".contains(first) { return true }
        return false
    }
}
