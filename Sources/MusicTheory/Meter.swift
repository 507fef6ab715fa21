/// A time signature. `beatsPerBar` counts the pulses a listener taps; `beatUnit` is the written note value.
public struct Meter: Sendable, Hashable, Codable, CustomStringConvertible {
    public var beatsPerBar: Int
    public var beatUnit: Int

    public init(_ beatsPerBar: Int, _ beatUnit: Int) {
        self.beatsPerBar = beatsPerBar
        self.beatUnit = beatUnit
    }

    public static let fourFour = Meter(4, 4)
    public static let threeFour = Meter(3, 4)
    public static let sixEight = Meter(6, 8)
    public static let twelveEight = Meter(12, 8)

    /// Compound meters (6/8, 12/8) group eighth notes in threes: the felt beat is a dotted quarter.
    public var isCompound: Bool { beatUnit == 8 && beatsPerBar % 3 == 0 && beatsPerBar > 3 }

    /// Length of one bar in quarter notes (the unit `Score` time is measured in).
    public var barLength: Rational { Rational(beatsPerBar * 4, beatUnit) }

    /// The felt beats of a bar, as offsets in quarter notes: 4/4 -> 0,1,2,3; 6/8 -> 0, 3/2.
    public var pulses: [Rational] {
        let pulse = isCompound ? Rational(3, 2) : Rational(4, beatUnit)
        let count = isCompound ? beatsPerBar / 3 : beatsPerBar
        return (0..<count).map { pulse * $0 }
    }

    public var description: String { "\(beatsPerBar)/\(beatUnit)" }
}
