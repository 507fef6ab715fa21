import Foundation
import SongLyrics

/// Words as Flite reads them: the composer's ARPAbet syllables (festival's lower-case CMU set, which is Flite's
/// own phone set) with Flite's stress digits, or the spelling when the dictionary did not know the word.
enum SungPhonemes {
    static let vowels: Set<String> = [
        "aa", "ae", "ah", "ao", "aw", "ax", "axr", "ay", "eh", "er", "ey", "ih", "ix", "iy", "ow", "oy", "uh", "uw",
    ]
    static let consonants: Set<String> = [
        "b", "ch", "d", "dh", "dx", "el", "em", "en", "f", "g", "hh", "hv", "jh", "k", "l", "m", "n", "ng", "nx", "p",
        "r", "s", "sh", "t", "th", "v", "w", "y", "z", "zh",
    ]
    /// Vowels that move from one quality to another: a singer holds the first and glides at the release.
    static let diphthongs: Set<String> = ["aw", "ay", "ey", "ow", "oy"]

    /// What Flite is given for one sung word, or nil when there is nothing to say.
    static func phraseWord(syllables: [Syllable], word: String) -> PhraseWord? {
        let letters = String(word.lowercased().filter { $0.isLetter || $0 == "'" })
        let spelling = letters.isEmpty
            ? String(syllables.map(\.text).joined().lowercased().filter { $0.isLetter || $0 == "'" }) : letters
        let known = !syllables.isEmpty && syllables.allSatisfy { syllable in
            !syllable.phonemes.isEmpty && syllable.phonemes.allSatisfy { isKnown($0.lowercased()) }
        }
        guard known else { return spelling.isEmpty ? nil : PhraseWord(text: String(spelling.prefix(40)), phones: nil) }
        var phones: [String] = []
        for syllable in syllables {
            let digit = syllable.stress == .none ? "0" : "1"
            for phoneme in syllable.phonemes {
                let phone = phoneme.lowercased()
                phones.append(vowels.contains(phone) ? phone + digit : phone)
            }
        }
        return PhraseWord(text: spelling.isEmpty ? "word" : String(spelling.prefix(40)), phones: phones.joined(separator: " "))
    }

    static func isKnown(_ phone: String) -> Bool { vowels.contains(phone) || consonants.contains(phone) }
}
