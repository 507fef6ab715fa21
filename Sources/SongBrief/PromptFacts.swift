import MusicTheory

/// Explicit musical facts a prompt can state: tempo, key or mode, meter, length. Each reader returns nil
/// when the prompt does not state the fact, and never reads an ordinary word as one ("a song", "I am").
enum PromptFacts {
    static let tempoRange = 40...220

    // MARK: Tempo

    /// "92 bpm", "at 140 BPM", "120bpm", "tempo 100", "tempo of 100", "bpm: 128", "96 beats per minute".
    static func tempo(in tokens: [PromptToken]) -> Int? {
        for (index, token) in tokens.enumerated() {
            if token.text == "bpm" || isSpelledBPM(tokens, at: index) || isBeatsPerMinute(tokens, at: index) {
                if index > 0, let value = tokens[index - 1].number {
                    // "100-110 bpm", "100 to 110 bpm": the middle of the range.
                    let lowerIndex = index >= 3 && tokens[index - 2].text == "to" ? index - 3 : index - 2
                    if lowerIndex >= 0, let lower = tokens[lowerIndex].number, lower < value {
                        return clampedTempo((lower + value) / 2)
                    }
                    return clampedTempo(value)
                }
                if index + 1 < tokens.count, let value = tokens[index + 1].number { return clampedTempo(value) }
            }
            if token.text == "tempo" {
                // "tempo 100", "tempo of 100", "tempo at 100", "tempo is 100", "tempo around 100"
                for offset in 1...2 where index + offset < tokens.count {
                    if let value = tokens[index + offset].number { return clampedTempo(value) }
                    if !["of", "at", "is", "around", "about", "set", "to", "approx", "approximately"]
                        .contains(tokens[index + offset].text) { break }
                }
            }
        }
        return nil
    }

    private static func isSpelledBPM(_ tokens: [PromptToken], at index: Int) -> Bool {
        index + 2 < tokens.count && tokens[index].text == "b" && tokens[index + 1].text == "p"
            && tokens[index + 2].text == "m" && index > 0 && tokens[index - 1].number != nil
    }

    private static func isBeatsPerMinute(_ tokens: [PromptToken], at index: Int) -> Bool {
        index + 2 < tokens.count && ["beats", "beat"].contains(tokens[index].text)
            && tokens[index + 1].text == "per" && ["minute", "min"].contains(tokens[index + 2].text)
    }

    static func clampedTempo(_ value: Double) -> Int {
        let clamped = min(Double(tempoRange.upperBound), max(Double(tempoRange.lowerBound), value))
        return Int(clamped.rounded())
    }

    // MARK: Key and mode

    /// What the prompt says about the key: a tonic, a mode, or both.
    struct KeyStatement: Sendable, Hashable {
        var tonic: PitchClass?
        var mode: Mode?
    }

    private static let modeWords: [(words: [String], mode: Mode)] = [
        (["harmonic", "minor"], .harmonicMinor), (["natural", "minor"], .minor), (["melodic", "minor"], .minor),
        (["major"], .major), (["maj"], .major), (["minor"], .minor), (["min"], .minor), (["moll"], .minor),
        (["dur"], .major), (["dorian"], .dorian), (["phrygian"], .phrygian), (["lydian"], .lydian),
        (["mixolydian"], .mixolydian), (["locrian"], .locrian), (["aeolian"], .minor), (["ionian"], .major),
    ]
    /// Nouns after "a minor" that make "a" an article: "in a minor key" names a mode, not A minor.
    private static let articleNouns: Set<String> = [
        "key", "tonality", "feel", "vibe", "mode", "scale", "sound", "progression", "chord", "chords", "mood",
        "flavor", "flavour", "twist", "tone", "tune", "melody", "song", "track", "piece", "groove", "change",
    ]
    /// Words after which a lone note letter is a key ("in G", "key: F#", "drop D" tuning).
    private static let keyIntroducers: Set<String> = ["in", "key", "tonic", "tonality", "root", "drop"]

    /// "in F# minor", "E flat major", "in Bb", "key of C#m", "A minor", "Dm", "in G", "a minor key" (mode only),
    /// "in dorian" (mode only). The first statement wins; tokens in `excluded` ("d&b") are not read.
    static func key(in tokens: [PromptToken], excluding excluded: [Range<Int>] = []) -> KeyStatement? {
        var modeOnly: KeyStatement?
        for index in tokens.indices where !excluded.contains(where: { $0.contains(index) }) {
            guard let note = noteName(tokens, at: index) else {
                if modeOnly == nil, let mode = standaloneMode(tokens, at: index) { modeOnly = KeyStatement(mode: mode) }
                continue
            }
            let after = index + note.length
            let following = mode(tokens, at: after)
            let statedMode = note.mode ?? following?.mode
            let introduced = index > 0 && keyIntroducers.contains(tokens[index - 1].text)
                || (index > 1 && tokens[index - 2].text == "key" && tokens[index - 1].text == "of")
            let endsClause = !tokens.indices.contains(after) || tokens[after].clause != tokens[index].clause

            if note.isBareLetterA {
                // "a" is almost always the article. It is the key in "A minor", "a minor" (but "a minor key"
                // only names a mode), "in A" and "in a." at the end of a phrase.
                if let statedMode, let following {
                    let nounIndex = after + following.length
                    let nounFollows = tokens.indices.contains(nounIndex) && articleNouns.contains(tokens[nounIndex].text)
                    let phraseEnds = !tokens.indices.contains(nounIndex)
                        || tokens[nounIndex].clause != tokens[index].clause
                    if tokens[index].raw == "A" || (introduced && !nounFollows) || phraseEnds {
                        return KeyStatement(tonic: note.tonic, mode: statedMode)
                    }
                    // "in a minor key", "a major hit": an article and an adjective.
                    if nounFollows, modeOnly == nil { modeOnly = KeyStatement(mode: statedMode) }
                    continue
                }
                if introduced && (tokens[index].raw == "A" || endsClause) {
                    return KeyStatement(tonic: note.tonic, mode: nil)
                }
                continue
            }
            if note.requiresCapital && !introduced && !note.hasCapital { continue }
            if statedMode != nil || introduced {
                return KeyStatement(tonic: note.tonic, mode: statedMode)
            }
        }
        return modeOnly
    }

    private struct NoteName {
        var tonic: PitchClass
        /// Mode written inside the token ("C#m", "Amin", "Ebmaj").
        var mode: Mode?
        /// Tokens consumed ("e flat" is two).
        var length: Int
        /// A lone letter "a": the English article unless the context says otherwise.
        var isBareLetterA: Bool
        /// "Dm"-style tokens are only keys when written "Dm" ("am", "AM" and "FM" are words).
        var requiresCapital: Bool
        var hasCapital: Bool
    }

    private static func noteName(_ tokens: [PromptToken], at index: Int) -> NoteName? {
        let text = tokens[index].text
        let raw = tokens[index].raw
        guard let letter = text.first, "abcdefg".contains(letter), text.count <= 7 else { return nil }
        var rest = text.dropFirst()
        var accidental = 0
        if rest.hasPrefix("#") {
            accidental = 1
            rest = rest.dropFirst()
        } else if rest.hasPrefix("sharp") {
            accidental = 1
            rest = rest.dropFirst(5)
        } else if rest.hasPrefix("flat") {
            accidental = -1
            rest = rest.dropFirst(4)
        } else if rest.hasPrefix("b") {
            accidental = -1
            rest = rest.dropFirst()
        }
        var suffixMode: Mode?
        var requiresCapital = false
        switch rest {
        case "": break
        case "m":
            suffixMode = .minor
            requiresCapital = true
        case "min", "minor": suffixMode = .minor
        case "maj", "major": suffixMode = .major
        default: return nil
        }
        var length = 1
        // "E flat", "F sharp", "C-sharp" written as two words.
        if accidental == 0, rest.isEmpty, index + 1 < tokens.count {
            switch tokens[index + 1].text {
            case "sharp": accidental = 1; length = 2
            case "flat": accidental = -1; length = 2
            default: break
            }
        }
        guard let natural = PitchClass(name: String(letter)) else { return nil }
        let hasCapital = (raw.first?.isUppercase ?? false) && raw.last == "m"
        return NoteName(
            tonic: PitchClass(natural.value + accidental), mode: suffixMode, length: length,
            isBareLetterA: letter == "a" && accidental == 0 && rest.isEmpty && length == 1,
            requiresCapital: requiresCapital, hasCapital: hasCapital)
    }

    private static func mode(_ tokens: [PromptToken], at index: Int) -> (mode: Mode, length: Int)? {
        guard tokens.indices.contains(index) else { return nil }
        for entry in modeWords {
            let end = index + entry.words.count
            guard end <= tokens.count else { continue }
            if entry.words.indices.allSatisfy({ tokens[index + $0].text == entry.words[$0] }) {
                return (entry.mode, entry.words.count)
            }
        }
        return nil
    }

    /// "in minor", "minor key", "harmonic minor", "dorian" on its own: a mode without a tonic. A bare
    /// "minor"/"major" elsewhere is an ordinary adjective ("a major hit"), and "min" is usually minutes.
    private static func standaloneMode(_ tokens: [PromptToken], at index: Int) -> Mode? {
        guard let found = mode(tokens, at: index) else { return nil }
        if found.length > 1 { return found.mode }
        switch tokens[index].text {
        case "major", "minor":
            let previous = index > 0 ? tokens[index - 1].text : ""
            let next = index + 1 < tokens.count ? tokens[index + 1].text : ""
            return previous == "in" || ["key", "tonality", "scale", "mode", "chords", "progression"].contains(next)
                ? found.mode : nil
        case "maj", "min", "moll", "dur": return nil
        default: return found.mode
        }
    }

    // MARK: Meter

    /// "3/4", "6/8", "12/8", "waltz", "in three", "triple meter".
    static func meter(in tokens: [PromptToken]) -> Meter? {
        for (index, token) in tokens.enumerated() {
            let parts = token.text.split(separator: "/")
            if parts.count == 2, let beats = Int(parts[0]), let unit = Int(parts[1]),
                (2...15).contains(beats), [2, 4, 8, 16].contains(unit)
            {
                return Meter(beats, unit)
            }
            switch token.text {
            case "waltz", "waltzes", "waltzing", "minuet", "mazurka": return .threeFour
            case "jig", "barcarolle", "tarantella": return .sixEight
            case "triple" where index + 1 < tokens.count && ["meter", "metre", "time"].contains(tokens[index + 1].text):
                return .threeFour
            case "three" where index > 0 && tokens[index - 1].text == "in" && (index + 1 == tokens.count
                || tokens[index + 1].clause != token.clause):
                return .threeFour
            default: continue
            }
        }
        return nil
    }

    // MARK: Length

    enum LengthStatement: Sendable, Hashable {
        case seconds(Double)
        case short
        case long
    }

    private static let secondUnits: Set<String> = ["second", "seconds", "sec", "secs", "s"]
    private static let minuteUnits: Set<String> = ["minute", "minutes", "min", "mins", "m", "minuten", "minutos"]
    private static let numberWords: [String: Double] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
        "forty": 40, "fortyfive": 45, "fifty": 50, "sixty": 60, "ninety": 90, "half": 0.5, "couple": 2,
    ]
    /// Nouns after "short"/"long" that describe a sound, not the song ("long reverb", "short intro").
    private static let soundNouns: Set<String> = [
        "intro", "outro", "notes", "note", "reverb", "delay", "decay", "tail", "tails", "fade", "release",
        "sustain", "chords", "chord", "pads", "pad", "drones", "drone", "pauses", "breaks", "phrases", "melody",
        "melodies", "solo", "break", "build", "buildup", "bridge", "hits", "stabs", "time", "way",
    ]

    private static let sectionNouns: Set<String> = [
        "intro", "outro", "fade", "fadeout", "break", "breakdown", "solo", "bridge", "build", "buildup", "drop",
        "silence", "pause", "gap", "delay", "reverb", "tail", "count", "countdown", "crescendo", "riser",
    ]

    /// "90 seconds", "a 4 minute track", "3:30", "2 min", "1.5 minutes", "two and a half minutes",
    /// "2-3 minutes", "2 min 30 s", "short", "long".
    /// Tokens in `excluded` are instrument names ("808s" is not 808 seconds).
    static func length(in tokens: [PromptToken], excluding excluded: [Range<Int>] = []) -> LengthStatement? {
        for (index, token) in tokens.enumerated() where !excluded.contains(where: { $0.contains(index) }) {
            if let seconds = clockTime(token.text) { return .seconds(seconds) }
            let isMinute = minuteUnits.contains(token.text)
            let isSecond = secondUnits.contains(token.text)
            guard isMinute || isSecond, index > 0 else { continue }
            if ["m", "s"].contains(token.text) && !token.attachedToNumber { continue }
            guard let quantity = quantity(before: index, in: tokens) else { continue }
            // "a 10 second intro" is the length of a section, not of the song.
            if index + 1 < tokens.count && sectionNouns.contains(tokens[index + 1].text) { continue }
            if token.text == "s" && isDecade(quantity) { continue }
            var seconds = quantity * (isMinute ? 60 : 1)
            if isMinute {
                seconds += trailingSeconds(after: index, in: tokens)
            }
            return .seconds(seconds)
        }
        for (index, token) in tokens.enumerated() {
            let next = index + 1 < tokens.count ? tokens[index + 1].text : ""
            if soundNouns.contains(next) { continue }
            switch token.text {
            case "short", "shorter", "brief", "quick":
                if index > 0 && tokens[index - 1].text == "in" { continue }  // "in short"
                if token.text == "quick" && !["song", "track", "tune", "piece"].contains(next) { continue }
                return .short
            case "long", "longer", "lengthy", "extended":
                if index > 0 && ["all", "night", "day", "life", "as", "so", "how"].contains(tokens[index - 1].text) {
                    continue
                }
                return .long
            default: continue
            }
        }
        return nil
    }

    /// "3:30" -> 210.
    private static func clockTime(_ text: String) -> Double? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]), parts[1].count == 2,
            (0..<60).contains(seconds), minutes < 100
        else { return nil }
        return Double(minutes * 60 + seconds)
    }

    /// "80s" and "1990s" are decades, not lengths.
    private static func isDecade(_ value: Double) -> Bool {
        (value >= 10 && value <= 90 && value.truncatingRemainder(dividingBy: 10) == 0) || (value >= 1900 && value <= 2100)
    }

    /// The amount before a unit word at `unitIndex`: "4", "1.5", "two", "two and a half", "2 to 3", "half a".
    private static func quantity(before unitIndex: Int, in tokens: [PromptToken]) -> Double? {
        let previous = unitIndex - 1
        func value(_ index: Int) -> Double? {
            guard tokens.indices.contains(index) else { return nil }
            return tokens[index].number ?? numberWords[tokens[index].text]
        }
        // "two and a half minutes"
        if previous >= 3, tokens[previous].text == "half", tokens[previous - 1].text == "a",
            tokens[previous - 2].text == "and", let whole = value(previous - 3)
        {
            return whole + 0.5
        }
        // "half a minute"
        if previous >= 1, tokens[previous].text == "a" || tokens[previous].text == "an",
            tokens[previous - 1].text == "half"
        {
            return 0.5
        }
        guard var amount = value(previous) else { return nil }
        // "a minute and a half"
        if unitIndex + 3 < tokens.count, tokens[unitIndex + 1].text == "and", tokens[unitIndex + 2].text == "a",
            tokens[unitIndex + 3].text == "half"
        {
            amount += 0.5
        }
        // "2-3 minutes", "2 to 3 minutes", "2 or 3 minutes": the middle of the range.
        if let upper = tokens[previous].number {
            if previous >= 1, let lower = tokens[previous - 1].number, lower < upper {
                return (lower + upper) / 2
            }
            if previous >= 2, ["to", "or"].contains(tokens[previous - 1].text), let lower = tokens[previous - 2].number,
                lower < upper
            {
                return (lower + upper) / 2
            }
        }
        // "twenty five seconds"
        if previous >= 1, let tens = numberWords[tokens[previous - 1].text], tens >= 20, amount < 10,
            tokens[previous].number == nil
        {
            amount += tens
        }
        return amount
    }

    /// "2 min 30 s", "3 minutes 15 seconds".
    private static func trailingSeconds(after unitIndex: Int, in tokens: [PromptToken]) -> Double {
        var index = unitIndex + 1
        if index < tokens.count, tokens[index].text == "and" { index += 1 }
        guard index + 1 < tokens.count, let seconds = tokens[index].number, seconds < 60,
            ["second", "seconds", "sec", "secs", "s"].contains(tokens[index + 1].text)
        else { return 0 }
        return seconds
    }
}
