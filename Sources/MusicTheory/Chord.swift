/// The quality of a chord: which intervals sit above its root.
public enum ChordQuality: String, Sendable, Hashable, Codable, CaseIterable {
    case major, minor, diminished, augmented, sus2, sus4, power
    case dominant7, major7, minor7, halfDiminished7, diminished7, minorMajor7
    case major6, minor6, dominant9, major9, minor9, add9, minor11, dominant13

    public var intervals: [Interval] {
        switch self {
        case .major: [.unison, .majorThird, .perfectFifth]
        case .minor: [.unison, .minorThird, .perfectFifth]
        case .diminished: [.unison, .minorThird, .tritone]
        case .augmented: [.unison, .majorThird, .minorSixth]
        case .sus2: [.unison, .majorSecond, .perfectFifth]
        case .sus4: [.unison, .perfectFourth, .perfectFifth]
        case .power: [.unison, .perfectFifth]
        case .dominant7: [.unison, .majorThird, .perfectFifth, .minorSeventh]
        case .major7: [.unison, .majorThird, .perfectFifth, .majorSeventh]
        case .minor7: [.unison, .minorThird, .perfectFifth, .minorSeventh]
        case .halfDiminished7: [.unison, .minorThird, .tritone, .minorSeventh]
        case .diminished7: [.unison, .minorThird, .tritone, .majorSixth]
        case .minorMajor7: [.unison, .minorThird, .perfectFifth, .majorSeventh]
        case .major6: [.unison, .majorThird, .perfectFifth, .majorSixth]
        case .minor6: [.unison, .minorThird, .perfectFifth, .majorSixth]
        case .dominant9: [.unison, .majorThird, .perfectFifth, .minorSeventh, .majorNinth]
        case .major9: [.unison, .majorThird, .perfectFifth, .majorSeventh, .majorNinth]
        case .minor9: [.unison, .minorThird, .perfectFifth, .minorSeventh, .majorNinth]
        case .add9: [.unison, .majorThird, .perfectFifth, .majorNinth]
        case .minor11: [.unison, .minorThird, .perfectFifth, .minorSeventh, .majorNinth, .perfectEleventh]
        case .dominant13: [.unison, .majorThird, .perfectFifth, .minorSeventh, .majorNinth, .majorThirteenth]
        }
    }

    /// Chord-symbol suffix: "", "m", "7", "maj7", "m7b5" ...
    public var symbol: String {
        switch self {
        case .major: ""
        case .minor: "m"
        case .diminished: "dim"
        case .augmented: "aug"
        case .sus2: "sus2"
        case .sus4: "sus4"
        case .power: "5"
        case .dominant7: "7"
        case .major7: "maj7"
        case .minor7: "m7"
        case .halfDiminished7: "m7b5"
        case .diminished7: "dim7"
        case .minorMajor7: "m(maj7)"
        case .major6: "6"
        case .minor6: "m6"
        case .dominant9: "9"
        case .major9: "maj9"
        case .minor9: "m9"
        case .add9: "add9"
        case .minor11: "m11"
        case .dominant13: "13"
        }
    }
}

/// A chord: root, quality and an optional different bass note (slash chord).
public struct Chord: Sendable, Hashable, Codable, CustomStringConvertible {
    public var root: PitchClass
    public var quality: ChordQuality
    public var bass: PitchClass?

    public init(_ root: PitchClass, _ quality: ChordQuality, bass: PitchClass? = nil) {
        self.root = root
        self.quality = quality
        self.bass = bass
    }

    /// The diatonic triad (or seventh chord) built on a scale degree of `key`, by stacking thirds in the scale.
    public init(degree: Int, in key: Key, seventh: Bool = false) {
        let root = key.pitchClass(degree: degree)
        let third = (key.pitchClass(degree: degree + 2) - root).semitones
        let fifth = (key.pitchClass(degree: degree + 4) - root).semitones
        let sev = (key.pitchClass(degree: degree + 6) - root).semitones
        let quality: ChordQuality
        switch (third, fifth, seventh ? sev : -1) {
        case (4, 7, -1): quality = .major
        case (3, 7, -1): quality = .minor
        case (3, 6, -1): quality = .diminished
        case (4, 8, -1): quality = .augmented
        case (4, 7, 10): quality = .dominant7
        case (4, 7, 11): quality = .major7
        case (3, 7, 10): quality = .minor7
        case (3, 6, 10): quality = .halfDiminished7
        case (3, 6, 9): quality = .diminished7
        case (3, 7, 11): quality = .minorMajor7
        default: quality = third == 3 ? .minor : .major
        }
        self.init(root, quality)
    }

    /// The chord's pitch classes, root first.
    public var pitchClasses: [PitchClass] { quality.intervals.map { root + $0 } }
    /// Root, third (if any) and fifth: the tones a melody should favour on strong beats.
    public var coreTones: [PitchClass] { Array(pitchClasses.prefix(3)) }
    /// The note the bass plays.
    public var bassNote: PitchClass { bass ?? root }

    public func contains(_ pitchClass: PitchClass) -> Bool { pitchClasses.contains(pitchClass) }

    /// "F#m7", "Bbmaj7", "C/E".
    public var description: String {
        let name = root.description + quality.symbol
        guard let bass, bass != root else { return name }
        return name + "/" + bass.description
    }
}
