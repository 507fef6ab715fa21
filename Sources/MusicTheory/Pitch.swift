import Foundation

/// One of the twelve pitch classes, C = 0 ... B = 11.
public struct PitchClass: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: Int

    public init(_ value: Int) { self.value = ((value % 12) + 12) % 12 }

    public static let c = PitchClass(0), cSharp = PitchClass(1), d = PitchClass(2), eFlat = PitchClass(3)
    public static let e = PitchClass(4), f = PitchClass(5), fSharp = PitchClass(6), g = PitchClass(7)
    public static let aFlat = PitchClass(8), a = PitchClass(9), bFlat = PitchClass(10), b = PitchClass(11)

    static let sharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    static let flatNames = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]

    /// Name with sharps (C, C#, D ...).
    public var description: String { PitchClass.sharpNames[value] }
    /// Name spelled with flats where that is conventional (Bb rather than A#).
    public var flatName: String { PitchClass.flatNames[value] }

    /// Parses "C", "c#", "F♯", "Bb", "E flat", "e-flat", "F sharp". Returns nil for anything else.
    public init?(name: String) {
        let text = name.lowercased()
            .replacingOccurrences(of: "♯", with: "#").replacingOccurrences(of: "♭", with: "b")
            .replacingOccurrences(of: "-", with: " ")
            .trimmingCharacters(in: .whitespaces)
        guard let letter = text.first, let natural = ["c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11][letter]
        else { return nil }
        let accidental = text.dropFirst().trimmingCharacters(in: .whitespaces)
        switch accidental {
        case "": self.init(natural)
        case "#", "sharp", "is": self.init(natural + 1)
        case "b", "flat", "es", "s": self.init(natural - 1)
        default: return nil
        }
    }

    public static func < (a: PitchClass, b: PitchClass) -> Bool { a.value < b.value }
    public static func + (a: PitchClass, b: Interval) -> PitchClass { PitchClass(a.value + b.semitones) }
    public static func - (a: PitchClass, b: Interval) -> PitchClass { PitchClass(a.value - b.semitones) }
    /// The ascending interval from `b` up to `a` (0..11 semitones).
    public static func - (a: PitchClass, b: PitchClass) -> Interval { Interval(PitchClass(a.value - b.value).value) }
}

/// A concrete pitch as a MIDI note number (middle C = 60).
public struct Pitch: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let midi: Int

    public init(_ midi: Int) { self.midi = min(127, max(0, midi)) }
    public init(_ pitchClass: PitchClass, octave: Int) { self.init((octave + 1) * 12 + pitchClass.value) }

    public var pitchClass: PitchClass { PitchClass(midi) }
    public var octave: Int { midi / 12 - 1 }
    public var frequency: Double { 440.0 * pow(2, (Double(midi) - 69) / 12) }
    public var description: String { "\(pitchClass)\(octave)" }

    public static func < (a: Pitch, b: Pitch) -> Bool { a.midi < b.midi }
    public static func + (a: Pitch, b: Interval) -> Pitch { Pitch(a.midi + b.semitones) }
    public static func - (a: Pitch, b: Interval) -> Pitch { Pitch(a.midi - b.semitones) }

    /// The pitch of `pitchClass` nearest to this one (ties go up).
    public func nearest(_ pitchClass: PitchClass) -> Pitch {
        let up = (pitchClass - self.pitchClass).semitones
        return up <= 6 ? Pitch(midi + up) : Pitch(midi + up - .octave)
    }
}

/// A distance in semitones.
public struct Interval: Sendable, Hashable, Codable, Comparable {
    public let semitones: Int
    public init(_ semitones: Int) { self.semitones = semitones }

    public static let unison = Interval(0), minorSecond = Interval(1), majorSecond = Interval(2)
    public static let minorThird = Interval(3), majorThird = Interval(4), perfectFourth = Interval(5)
    public static let tritone = Interval(6), perfectFifth = Interval(7), minorSixth = Interval(8)
    public static let majorSixth = Interval(9), minorSeventh = Interval(10), majorSeventh = Interval(11)
    public static let octave = Interval(12)
    /// Chord extensions above the octave.
    public static let majorNinth = Interval(14), perfectEleventh = Interval(17), majorThirteenth = Interval(21)

    public static func < (a: Interval, b: Interval) -> Bool { a.semitones < b.semitones }
}

/// Pitch classes are written as their names ("F#") in JSON, so briefs and song sheets read naturally.
extension PitchClass: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let pitchClass = PitchClass(name: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a pitch class: \(name)")
        }
        self = pitchClass
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Pitches are written as MIDI numbers in JSON.
extension Pitch: Codable {
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(Int.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(midi)
    }
}
