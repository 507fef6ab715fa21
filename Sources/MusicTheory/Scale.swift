/// A diatonic or modal scale shape, as semitone steps from the tonic.
public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
    case major, minor, dorian, phrygian, lydian, mixolydian, harmonicMinor, locrian

    /// Semitones of the seven degrees above the tonic.
    public var steps: [Int] {
        switch self {
        case .major: [0, 2, 4, 5, 7, 9, 11]
        case .minor: [0, 2, 3, 5, 7, 8, 10]
        case .dorian: [0, 2, 3, 5, 7, 9, 10]
        case .phrygian: [0, 1, 3, 5, 7, 8, 10]
        case .lydian: [0, 2, 4, 6, 7, 9, 11]
        case .mixolydian: [0, 2, 4, 5, 7, 9, 10]
        case .harmonicMinor: [0, 2, 3, 5, 7, 8, 11]
        case .locrian: [0, 1, 3, 5, 6, 8, 10]
        }
    }

    /// Whether the mode has a minor third above the tonic (what listeners hear as "minor").
    public var isMinor: Bool { steps[2] == 3 }
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
    public var scale: [PitchClass] { mode.steps.map { PitchClass(tonic.value + $0) } }

    /// The pitch class of a scale degree, 1-based and wrapping (degree 8 is the tonic again).
    public func pitchClass(degree: Int) -> PitchClass {
        let index = ((degree - 1) % 7 + 7) % 7
        return PitchClass(tonic.value + mode.steps[index])
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
        mode.isMinor ? Key(PitchClass(tonic.value + 3), .major) : Key(PitchClass(tonic.value - 3), .minor)
    }
}
