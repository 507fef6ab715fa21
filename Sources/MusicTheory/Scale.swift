/// A diatonic or modal scale shape, as semitone steps from the tonic.
public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
    case major, minor, dorian, phrygian, lydian, mixolydian, harmonicMinor, locrian

    /// The seven degrees as intervals above the tonic.
    public var steps: [Interval] {
        switch self {
        case .major: [.unison, .majorSecond, .majorThird, .perfectFourth, .perfectFifth, .majorSixth, .majorSeventh]
        case .minor: [.unison, .majorSecond, .minorThird, .perfectFourth, .perfectFifth, .minorSixth, .minorSeventh]
        case .dorian: [.unison, .majorSecond, .minorThird, .perfectFourth, .perfectFifth, .majorSixth, .minorSeventh]
        case .phrygian: [.unison, .minorSecond, .minorThird, .perfectFourth, .perfectFifth, .minorSixth, .minorSeventh]
        case .lydian: [.unison, .majorSecond, .majorThird, .tritone, .perfectFifth, .majorSixth, .majorSeventh]
        case .mixolydian: [.unison, .majorSecond, .majorThird, .perfectFourth, .perfectFifth, .majorSixth, .minorSeventh]
        case .harmonicMinor:
            [.unison, .majorSecond, .minorThird, .perfectFourth, .perfectFifth, .minorSixth, .majorSeventh]
        case .locrian: [.unison, .minorSecond, .minorThird, .perfectFourth, .tritone, .minorSixth, .minorSeventh]
        }
    }

    /// Whether the mode has a minor third above the tonic (what listeners hear as "minor").
    public var isMinor: Bool { steps[2] == .minorThird }
}

/// A tonic and a mode: "F# minor", "Eb major".
public struct Key: Sendable, Hashable, Codable, CustomStringConvertible {
    public var tonic: PitchClass
    public var mode: Mode

    public init(_ tonic: PitchClass, _ mode: Mode) {
        self.tonic = tonic
        self.mode = mode
    }

    /// Pitch classes of the scale, tonic first.
    public var scale: [PitchClass] { mode.steps.map { tonic + $0 } }

    /// The pitch class of a scale degree, 1-based and wrapping (degree 8 is the tonic again).
    public func pitchClass(degree: Int) -> PitchClass {
        let index = ((degree - 1) % 7 + 7) % 7
        return tonic + mode.steps[index]
    }

    public func contains(_ pitchClass: PitchClass) -> Bool { scale.contains(pitchClass) }

    /// "major" or "minor": the parallel tonality a listener (and a key-finding algorithm) hears.
    public var tonality: String { mode.isMinor ? "minor" : "major" }

    /// Conventional spelling: flats for flat keys (Bb major, F minor), sharps otherwise.
    public var tonicName: String {
        let flatMajor: Set<Int> = [5, 10, 3, 8, 1, 6]      // F Bb Eb Ab Db Gb
        let flatMinor: Set<Int> = [2, 7, 0, 5, 10, 3, 8]   // D G C F Bb Eb Ab
        let useFlats = mode.isMinor ? flatMinor.contains(tonic.value) : flatMajor.contains(tonic.value)
        return useFlats ? tonic.flatName : tonic.description
    }

    /// "F# minor", "Bb major" (modes other than major/minor are named by their tonality too).
    public var description: String { "\(tonicName) \(tonality)" }

    /// The relative major or minor (same notes, other tonic).
    public var relative: Key {
        mode.isMinor ? Key(tonic + .minorThird, .major) : Key(tonic - .minorThird, .minor)
    }
}
