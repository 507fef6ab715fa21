import MusicTheory

/// Everything the composer needs to know about the song, decided from the prompt (and later from lyrics or
/// images). It is a plain value so it can be shown to the user as JSON and so that the same brief + seed
/// always gives the same song.
public struct Brief: Sendable, Hashable, Codable {
    public var prompt: String
    public var genre: Genre
    /// Mood words recognised in the prompt, in the order they appeared.
    public var moods: [Mood]
    public var bpm: Int
    public var key: Key
    public var meter: Meter
    /// 0 (sparse) ... 1 (busy): how many parts play and how many notes they play.
    public var density: Double
    /// 0 (dark, muffled) ... 1 (bright, open): register and timbre choices, filter brightness.
    public var brightness: Double
    /// 0 (gentle) ... 1 (driving): velocities, drum intensity.
    public var energy: Double
    /// Semitone shift of the lead/comping register relative to the genre's default (at most an octave either way).
    public var registerShift: Int
    /// The arrangement: which instruments play, in which role.
    public var instruments: [InstrumentChoice]
    /// Instruments the prompt named explicitly (they must be in `instruments` and audible).
    public var requestedInstruments: [Instrument]
    /// Target length in seconds. `lengthWasRequested` says whether the prompt stated it (then it is obeyed
    /// within 10 %); otherwise the form decides within 2-5 minutes.
    public var targetSeconds: Double
    public var lengthWasRequested: Bool
    /// Whether the tempo / key / meter were stated in the prompt (then they are obeyed exactly).
    public var tempoWasRequested: Bool
    public var keyWasRequested: Bool
    public var meterWasRequested: Bool
    public var seed: UInt64
    /// The prompt ruled drums out ("no drums", "without drums", "solo piano"): the arrangement gets no kit,
    /// and its pulse comes from the other parts. Otherwise every song keeps a kit.
    public var excludesDrums: Bool = false
    /// What the reference images changed (nil without images); see `ImageInfluence`.
    public var imageInfluence: ImageInfluence? = nil
    /// Who sings: nil for an instrumental. Decided from the prompt's voice words ("female vocal",
    /// "instrumental") or the genre's usual singer; the composer only writes a vocal line when it also has lyrics.
    /// Optional so briefs saved before vocals existed still decode.
    public var voice: VoiceType? = nil
    /// The longest the song may last (the model's limit), in seconds; when lyrics decide the form, it may not
    /// grow past this. nil: no limit beyond the composer's own (15 minutes).
    public var maxSeconds: Double? = nil
    /// The shape of the song's dynamics the prompt asked for ("builds slowly"); nil: the form's usual arc
    /// (see the composer's `SectionDynamics`). Optional so briefs saved before it existed still decode.
    public var dynamicArc: DynamicArc? = nil

    /// A shape of a song's dynamics across its form.
    public enum DynamicArc: String, Sendable, Hashable, Codable {
        /// Starts low and keeps rising to the last chorus ("builds slowly", "slow build", "slow burn").
        case slowBuild
    }

    /// The largest `registerShift` either way: an octave.
    public static let maxRegisterShift = Interval.octave.semitones

    public init(
        prompt: String, genre: Genre, moods: [Mood], bpm: Int, key: Key, meter: Meter,
        density: Double, brightness: Double, energy: Double, registerShift: Int,
        instruments: [InstrumentChoice], requestedInstruments: [Instrument],
        targetSeconds: Double, lengthWasRequested: Bool,
        tempoWasRequested: Bool, keyWasRequested: Bool, meterWasRequested: Bool, seed: UInt64
    ) {
        self.prompt = prompt
        self.genre = genre
        self.moods = moods
        self.bpm = bpm
        self.key = key
        self.meter = meter
        self.density = density
        self.brightness = brightness
        self.energy = energy
        self.registerShift = registerShift
        self.instruments = instruments
        self.requestedInstruments = requestedInstruments
        self.targetSeconds = targetSeconds
        self.lengthWasRequested = lengthWasRequested
        self.tempoWasRequested = tempoWasRequested
        self.keyWasRequested = keyWasRequested
        self.meterWasRequested = meterWasRequested
        self.seed = seed
    }

    /// How long `quarters` quarter notes last at the brief's tempo.
    public func seconds(_ quarters: Rational) -> Double { quarters.doubleValue * 60 / Double(max(bpm, 1)) }
}

/// The musical job a part does in the arrangement.
public enum PartRole: String, Sendable, Hashable, Codable, CaseIterable {
    case lead, counterMelody, chords, pad, bass, drums, percussion, arpeggio, strings, brass, vocal
}

/// An instrument chosen for a role.
public struct InstrumentChoice: Sendable, Hashable, Codable {
    public var instrument: Instrument
    public var role: PartRole
    public init(_ instrument: Instrument, _ role: PartRole) {
        self.instrument = instrument
        self.role = role
    }
}

/// Mood words the prompt parser understands.
public enum Mood: String, Sendable, Hashable, Codable, CaseIterable {
    case upbeat, happy, sad, melancholic, dark, calm, chill, epic, romantic, aggressive, dreamy
    case energetic, peaceful, mysterious, nostalgic, uplifting, tense, playful, groovy, hopeful, angry, relaxed
}

/// Which singer performs the vocal part.
public enum VoiceType: String, Sendable, Hashable, Codable, CaseIterable {
    case female, male

    /// The range (MIDI) the melody writer keeps the voice in: female about A3-E5, male about A2-E4.
    public var range: ClosedRange<Int> {
        switch self {
        case .female: 57...76
        case .male: 45...64
        }
    }
}
