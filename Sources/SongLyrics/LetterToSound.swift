/// A guess at syllables, stress and rhyme from spelling alone, for words the dictionary does not list
/// (names, invented words, slang). It counts vowel groups with the common English exceptions (silent final
/// "e", "-ed", "-es", "-le", vowel pairs said as two syllables), stresses by suffix and length, and keys rhymes
/// on a normalised spelling of the word's end.
enum LetterToSound {
    static func pronounce(_ word: String) -> Pronunciation {
        let letters = Array(word.filter(\.isLetter))
        guard !letters.isEmpty else {
            return Pronunciation(word: word, syllables: [], rhyme: [], isFromDictionary: false)
        }
        let pieces = syllableSpellings(letters)
        let stresses = stressPattern(word: String(letters), syllableCount: pieces.count)
        let syllables = stresses.map { PronouncedSyllable(phonemes: [], stress: $0) }
        // Spelling says little about stress, so the rhyme key starts at the last syllable ("za-NIGHT" and
        // "BLOR-kight" both rhyme on -ight); a weak "-le"/"-y" ending takes the syllable before it along.
        var rhymeStart = pieces.count - 1
        if rhymeStart > 0, let last = pieces.last, last.count <= 3, last.hasSuffix("le") || last.hasSuffix("y") {
            rhymeStart -= 1
        }
        let tail = pieces[rhymeStart...].joined()
        let tailVowel = tail.firstIndex { isVowelLetter($0, in: Array(tail), at: 0) } ?? tail.startIndex
        let key = "~" + rhymeSpelling(String(tail[tailVowel...]), wholeWordHasOneSyllable: pieces.count == 1)
        return Pronunciation(word: word, syllables: syllables, rhyme: [key], isFromDictionary: false)
    }

    /// The word's letters cut into syllables ("tunesmith" -> tune, smith).
    static func syllableSpellings(_ letters: [Character]) -> [String] {
        var groups = vowelGroups(letters)
        guard !groups.isEmpty else { return [String(letters)] }
        groups = droppingSilentEndings(groups, letters)
        guard groups.count > 1 else { return [String(letters)] }
        var cuts: [Int] = []
        for index in 0..<(groups.count - 1) {
            let consonantsStart = groups[index].upperBound
            let consonantsEnd = groups[index + 1].lowerBound
            let cluster = consonantsEnd - consonantsStart
            switch cluster {
            case 0, 1: cuts.append(consonantsStart)
            default:
                let pair = String(letters[consonantsStart..<(consonantsStart + 2)])
                let keepsTogether = ["th", "sh", "ch", "ph", "wh", "gh", "ck", "ng"].contains(pair)
                cuts.append(keepsTogether && cluster == 2 ? consonantsStart : consonantsStart + 1)
            }
        }
        var pieces: [String] = []
        var start = 0
        for cut in cuts where cut > start {
            pieces.append(String(letters[start..<cut]))
            start = cut
        }
        pieces.append(String(letters[start...]))
        return pieces
    }

    /// Maximal runs of vowel letters, split where English says the pair as two syllables ("ne-on", "ra-di-o").
    private static func vowelGroups(_ letters: [Character]) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var index = 0
        while index < letters.count {
            guard isVowelLetter(letters[index], in: letters, at: index) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < letters.count && isVowelLetter(letters[end], in: letters, at: end) {
                let pair = String(letters[end - 1...end])
                let before = end >= 2 ? letters[end - 2] : " "
                let splits =
                    ["eo", "ua", "iu", "uo", "ea"].contains(pair) && pair != "ea"
                    || (["ia", "io"].contains(pair) && !"tscgx".contains(before))
                if splits { break }
                end += 1
            }
            groups.append(index..<end)
            index = end
        }
        return groups
    }

    private static func droppingSilentEndings(_ groups: [Range<Int>], _ letters: [Character]) -> [Range<Int>] {
        guard groups.count > 1, let last = groups.last else { return groups }
        let count = letters.count
        let lastText = String(letters[last])
        let beforeLast = last.lowerBound > 0 ? letters[last.lowerBound - 1] : " "
        let isConsonantBefore = !isVowelLetter(beforeLast, in: letters, at: last.lowerBound - 1)
        // silent final e ("tune"), but "-le" after a consonant is sung ("ta-ble")
        if lastText == "e", last.upperBound == count, isConsonantBefore, !(beforeLast == "l" && count >= 3
            && !isVowelLetter(letters[count - 3], in: letters, at: count - 3))
        {
            return Array(groups.dropLast())
        }
        // "-ed" is silent except after t/d; "-es" except after s, x, z, ch, sh, ce, ge
        if lastText == "e", last.upperBound == count - 1, isConsonantBefore {
            let final = letters[count - 1]
            let before2 = count >= 4 ? String(letters[(count - 4)..<(count - 2)]) : ""
            // "-led"/"-les" after a consonant keep their syllable ("trem-bled", "ta-bles")
            let isSungLe =
                beforeLast == "l" && count >= 4 && !isVowelLetter(letters[count - 4], in: letters, at: count - 4)
            if isSungLe { return groups }
            if final == "d" && !"td".contains(beforeLast) { return Array(groups.dropLast()) }
            if final == "s" && !"sxz".contains(beforeLast) && !["ch", "sh"].contains(before2)
                && !"cg".contains(beforeLast)
            {
                return Array(groups.dropLast())
            }
        }
        return groups
    }

    static func isVowelLetter(_ letter: Character, in letters: [Character], at index: Int) -> Bool {
        if "aeiou".contains(letter) { return true }
        guard letter == "y" else { return false }
        // "y" is a vowel after a consonant or at the end ("city", "fly"), a consonant before a vowel ("yes")
        if index <= 0 { return false }
        let next = index + 1 < letters.count ? letters[index + 1] : " "
        return !"aeiou".contains(next)
    }

    private static let finalStressEndings = ["eer", "oon", "ique", "ese", "ette", "ee", "oo"]
    private static let penultimateEndings = ["tion", "sion", "cian", "cious", "tious", "ic", "ial", "ian"]
    private static let antepenultimateEndings = ["ity", "ical", "ify", "ogy", "aphy"]
    private static let unstressedPrefixes = ["a", "be", "de", "re", "un", "con", "com", "ex", "for", "to"]

    static func stressPattern(word: String, syllableCount: Int) -> [Stress] {
        guard syllableCount > 1 else { return Array(repeating: .primary, count: syllableCount) }
        var primary: Int
        if finalStressEndings.contains(where: word.hasSuffix) {
            primary = syllableCount - 1
        } else if penultimateEndings.contains(where: word.hasSuffix) {
            primary = syllableCount - 2
        } else if antepenultimateEndings.contains(where: word.hasSuffix) {
            primary = max(syllableCount - 3, 0)
        } else if syllableCount == 2 {
            primary = unstressedPrefixes.contains { word.hasPrefix($0) && word.count > $0.count + 3 } ? 1 : 0
        } else if syllableCount == 3 {
            primary = 0
        } else {
            primary = syllableCount - 3
        }
        primary = min(max(primary, 0), syllableCount - 1)
        return (0..<syllableCount).map { index in
            if index == primary { return .primary }
            return abs(index - primary) % 2 == 0 ? .secondary : .none
        }
    }

    /// A spelling of the word's end in which sound-alike spellings meet ("-ight", "-ite", "-yte" -> "Yt").
    static func rhymeSpelling(_ tail: String, wholeWordHasOneSyllable: Bool) -> String {
        var text = tail
        let longVowels: [(String, String)] = [
            ("eigh", "A"), ("igh", "Y"), ("ai", "A"), ("ay", "A"), ("ei", "A"), ("ee", "E"), ("ea", "E"),
            ("ie", "E"), ("oa", "O"), ("oo", "U"), ("ew", "U"), ("ue", "U"), ("oi", "I"), ("oy", "I"),
            ("ou", "W"),
        ]
        for (spelling, sound) in longVowels { text = text.replacingOccurrences(of: spelling, with: sound) }
        if text.hasSuffix("ow") { text = String(text.dropLast(2)) + "O" }
        // vowel + consonant + silent e: a long vowel ("tune" -> "tUn")
        var letters = Array(text)
        if letters.count >= 3, letters[letters.count - 1] == "e", !"aeiouy".contains(letters[letters.count - 2]),
            let long = ["a": "A", "i": "Y", "o": "O", "u": "U", "e": "E", "y": "Y"][letters[letters.count - 3]]
        {
            letters[letters.count - 3] = Character(long)
            letters.removeLast()
        }
        if letters.last == "y" {
            letters[letters.count - 1] = wholeWordHasOneSyllable ? "Y" : "E"
        }
        text = String(letters)
        for (spelling, sound) in [("ck", "k"), ("ph", "f"), ("q", "k"), ("c", "k"), ("z", "s")] {
            text = text.replacingOccurrences(of: spelling, with: sound)
        }
        var collapsed = ""
        for letter in text where collapsed.last != letter { collapsed.append(letter) }
        return collapsed
    }
}
