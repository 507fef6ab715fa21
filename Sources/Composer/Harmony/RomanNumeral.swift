import MusicTheory

/// A chord written relative to the tonic, as in a roman-numeral progression ("bVImaj7", "ii7", "V9").
/// Offsets are measured from the tonic in semitones against the major scale, so one table serves any key and
/// the written accidental says exactly which chord is meant (minor keys spell "i bVI bIII bVII").
struct RomanChord: Sendable, Hashable {
    var offset: Int
    var quality: ChordQuality

    func chord(in key: Key) -> Chord { Chord(key.tonic + Interval(offset), quality) }

    var isTonic: Bool { offset == 0 }

    /// Parses one numeral: optional accidental, numeral (case gives the triad: upper major, lower minor),
    /// suffix ("7", "maj7", "9", "h7", "o", "5", "sus4", "add9" ...). Returns nil for anything else.
    init?(_ token: Substring) {
        var rest = token[...]
        var accidental = 0
        if rest.first == "b" { accidental = -1; rest = rest.dropFirst() }
        else if rest.first == "#" { accidental = 1; rest = rest.dropFirst() }
        let numeral = rest.prefix { "IViv".contains($0) }
        guard !numeral.isEmpty else { return nil }
        let suffix = String(rest.dropFirst(numeral.count))
        let degrees = ["I": 0, "II": 2, "III": 4, "IV": 5, "V": 7, "VI": 9, "VII": 11]
        guard let degree = degrees[numeral.uppercased()] else { return nil }
        let upper = numeral.first?.isUppercase ?? true
        let quality: ChordQuality?
        if upper {
            quality = [
                "": .major, "7": .dominant7, "maj7": .major7, "9": .dominant9, "maj9": .major9, "6": .major6,
                "13": .dominant13, "5": .power, "sus4": .sus4, "sus2": .sus2, "add9": .add9, "+": .augmented,
            ][suffix]
        } else {
            quality = [
                "": .minor, "7": .minor7, "9": .minor9, "11": .minor11, "6": .minor6, "h7": .halfDiminished7,
                "o": .diminished, "o7": .diminished7, "mM7": .minorMajor7, "5": .power,
            ][suffix]
        }
        guard let quality else { return nil }
        self.offset = degree + accidental
        self.quality = quality
    }

    init(offset: Int, quality: ChordQuality) {
        self.offset = offset
        self.quality = quality
    }
}

/// A progression as bars of one or two chords. Written "I V vi IV" (one chord a bar) or "ii7-V7 Imaj7"
/// (a dash splits a bar in two).
struct Progression: Sendable, Hashable {
    var bars: [[RomanChord]]

    init(bars: [[RomanChord]]) { self.bars = bars }

    /// nil when any numeral does not parse (the vocabulary tests check every table entry parses).
    init?(_ text: String) {
        var bars: [[RomanChord]] = []
        for bar in text.split(separator: " ") {
            let chords = bar.split(separator: "-").map { RomanChord($0) }
            guard !chords.isEmpty, chords.allSatisfy({ $0 != nil }) else { return nil }
            bars.append(chords.compactMap { $0 })
        }
        guard !bars.isEmpty else { return nil }
        self.bars = bars
    }
}
