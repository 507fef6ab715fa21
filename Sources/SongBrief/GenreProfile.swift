import MusicTheory

/// How far off-beat subdivisions are delayed. `ratio` is the share of the pair the first note takes:
/// 0.5 is straight, 0.67 is a full triplet shuffle.
public struct SwingFeel: Sendable, Hashable, Codable {
    public var ratio: Double
    /// Whether the swing applies to sixteenth notes (hip hop, house) rather than eighths (jazz, blues).
    public var onSixteenths: Bool
    public var description: String

    public init(ratio: Double, onSixteenths: Bool, description: String) {
        self.ratio = ratio
        self.onSixteenths = onSixteenths
        self.description = description
    }

    public static let straight = SwingFeel(ratio: 0.5, onSixteenths: false, description: "straight")
    public static let sixteenthLift = SwingFeel(ratio: 0.54, onSixteenths: true, description: "slight 16th swing")
    public static let sixteenthSwing = SwingFeel(ratio: 0.6, onSixteenths: true, description: "lazy swung 16ths")
    public static let eighthLilt = SwingFeel(ratio: 0.56, onSixteenths: false, description: "light swung 8ths")
    public static let eighthSwing = SwingFeel(ratio: 0.64, onSixteenths: false, description: "swung 8ths")
    public static let shuffle = SwingFeel(ratio: 0.67, onSixteenths: false, description: "triplet shuffle")
}

/// What a genre means before the prompt says anything else: tempo, meter, tonal habits, arrangement and the
/// words that select it. The composer owns grooves and harmony; this is what the brief is built from.
public struct GenreProfile: Sendable, Hashable {
    public var genre: Genre
    public var tempoRange: ClosedRange<Int>
    public var typicalBPM: Int
    public var meter: Meter
    /// Share of songs in a major-type mode when the prompt gives no tonal hint (0 = always minor).
    public var majorLean: Double
    /// Mode flavours used when the genre decides (e.g. dorian for lo-fi minor); repeats weight a choice.
    public var majorModes: [Mode]
    public var minorModes: [Mode]
    /// Idiomatic tonics (guitar genres E/A/D/G, jazz F/Bb/Eb, electronic A/F minor ...).
    public var majorTonics: [PitchClass]
    public var minorTonics: [PitchClass]
    public var density: Double
    public var brightness: Double
    public var energy: Double
    /// The default arrangement: every profile has a lead, a bass and a drum or pulse part.
    public var instruments: [InstrumentChoice]
    public var swing: SwingFeel
    /// Default song length in seconds when the prompt does not ask for one.
    public var lengthRange: ClosedRange<Int>
    /// Sub-genre names and unambiguous words: the strongest evidence ("lo-fi hip hop", "deep house").
    public var specificKeywords: [String]
    /// The genre's own name and plain synonyms ("hip hop", "rap").
    public var keywords: [String]
    /// Loose hints that only decide when nothing stronger is said ("dance", "acoustic", "80s").
    public var hintWords: [String]

    /// The mode tendency as readable text, for the documentation and the CLI.
    public var modeTendency: String {
        let major = (majorLean * 100).rounded()
        return "\(Int(major))% major (\(majorModes.map(\.rawValue).joined(separator: "/"))), "
            + "else \(minorModes.map(\.rawValue).joined(separator: "/"))"
    }

    /// The genre's profile: one of the catalogue's values below.
    public static func profile(for genre: Genre) -> GenreProfile {
        switch genre {
        case .pop: .pop
        case .rock: .rock
        case .synthwave: .synthwave
        case .house: .house
        case .techno: .techno
        case .drumAndBass: .drumAndBass
        case .hipHop: .hipHop
        case .trap: .trap
        case .lofi: .lofi
        case .jazz: .jazz
        case .blues: .blues
        case .funk: .funk
        case .rnb: .rnb
        case .country: .country
        case .reggae: .reggae
        case .latin: .latin
        case .orchestral: .orchestral
        case .ambient: .ambient
        case .metal: .metal
        case .disco: .disco
        case .indie: .indie
        case .folk: .folk
        case .gospel: .gospel
        case .afrobeat: .afrobeat
        case .dubstep: .dubstep
        case .chiptune: .chiptune
        }
    }

    private init(
        _ genre: Genre, tempo: ClosedRange<Int>, typical: Int, meter: Meter = .fourFour, majorLean: Double,
        majorModes: [Mode], minorModes: [Mode], majorTonics: [PitchClass], minorTonics: [PitchClass],
        density: Double, brightness: Double, energy: Double, instruments: [InstrumentChoice],
        swing: SwingFeel, length: ClosedRange<Int>, specific: [String], keywords: [String], hints: [String]
    ) {
        self.genre = genre
        self.tempoRange = tempo
        self.typicalBPM = typical
        self.meter = meter
        self.majorLean = majorLean
        self.majorModes = majorModes
        self.minorModes = minorModes
        self.majorTonics = majorTonics
        self.minorTonics = minorTonics
        self.density = density
        self.brightness = brightness
        self.energy = energy
        self.instruments = instruments
        self.swing = swing
        self.lengthRange = length
        self.specificKeywords = specific
        self.keywords = keywords
        self.hintWords = hints
    }
}

/// The catalogue: what each genre means before the prompt says anything else.
extension GenreProfile {
    public static let pop = GenreProfile(
        .pop, tempo: 96...124, typical: 112, majorLean: 0.7,
        majorModes: [.major], minorModes: [.minor],
        majorTonics: [.c, .g, .d, .f, .a, .e], minorTonics: [.a, .e, .b, .d, .fSharp],
        density: 0.6, brightness: 0.65, energy: 0.6,
        instruments: [
            .init(.synthLead, .lead), .init(.acousticPiano, .chords), .init(.warmPad, .pad),
            .init(.synthBass, .bass), .init(.drumKit, .drums), .init(.cleanElectricGuitar, .arpeggio),
        ],
        swing: .straight, length: 180...230,
        specific: ["k pop", "kpop", "j pop", "jpop", "dance pop", "electropop", "teen pop", "bubblegum pop",
                   "top 40", "chart pop", "pop song"],
        keywords: ["pop", "mainstream", "radio hit"],
        hints: ["ballad", "radio", "chart", "christmas", "holiday", "birthday", "wedding"])

    public static let rock = GenreProfile(
        .rock, tempo: 108...150, typical: 124, majorLean: 0.6,
        majorModes: [.major, .major, .mixolydian], minorModes: [.minor],
        majorTonics: [.e, .a, .d, .g, .c], minorTonics: [.e, .a, .b, .d],
        density: 0.7, brightness: 0.65, energy: 0.8,
        instruments: [
            .init(.overdrivenGuitar, .lead), .init(.distortionGuitar, .chords), .init(.rockOrgan, .pad),
            .init(.pickBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .straight, length: 190...250,
        specific: ["hard rock", "classic rock", "alternative rock", "alt rock", "punk rock", "pop punk",
                   "punk", "grunge", "garage rock", "arena rock", "surf rock", "stoner rock", "rock and roll",
                   "rock n roll", "rockabilly", "emo", "southern rock", "prog rock", "progressive rock"],
        keywords: ["rock", "rock song", "guitar band"],
        hints: ["band", "riff", "riffs", "anthem"])

    public static let synthwave = GenreProfile(
        .synthwave, tempo: 84...118, typical: 100, majorLean: 0.35,
        majorModes: [.major], minorModes: [.minor, .minor, .dorian],
        majorTonics: [.c, .f, .d, .g], minorTonics: [.a, .f, .e, .d, .c],
        density: 0.6, brightness: 0.6, energy: 0.65,
        instruments: [
            .init(.sawLead, .lead), .init(.polySynth, .chords), .init(.synthPad, .pad),
            .init(.synthBass, .bass), .init(.electronicKit, .drums), .init(.squareLead, .arpeggio),
        ],
        swing: .straight, length: 200...260,
        specific: ["synthwave", "synth wave", "retrowave", "retro wave", "outrun", "darksynth", "dark synth",
                   "vaporwave", "chillwave", "synthpop", "synth pop", "new wave", "dreamwave"],
        keywords: ["80s synth", "eighties synth"],
        hints: ["80s", "eighties", "1980s", "retro", "neon", "miami"])

    public static let house = GenreProfile(
        .house, tempo: 120...126, typical: 124, majorLean: 0.45,
        majorModes: [.major], minorModes: [.minor, .dorian],
        majorTonics: [.c, .f, .g, .a], minorTonics: [.a, .f, .g, .c, .d],
        density: 0.65, brightness: 0.7, energy: 0.75,
        instruments: [
            .init(.synthLead, .lead), .init(.acousticPiano, .chords), .init(.warmPad, .pad),
            .init(.synthBass2, .bass), .init(.electronicKit, .drums),
        ],
        swing: .sixteenthLift, length: 210...270,
        specific: ["deep house", "tech house", "progressive house", "electro house", "future house",
                   "tropical house", "piano house", "afro house", "uk garage", "big room", "funky house",
                   "french house", "french touch", "filter house", "daft punk",
                   "electronic dance music"],
        keywords: ["house", "edm", "house music"],
        hints: ["dance", "club", "electronic", "festival", "dancefloor"])

    public static let techno = GenreProfile(
        .techno, tempo: 125...135, typical: 130, majorLean: 0.15,
        majorModes: [.major], minorModes: [.minor, .minor, .phrygian],
        majorTonics: [.f, .g, .c], minorTonics: [.f, .a, .g, .c, .d],
        density: 0.55, brightness: 0.45, energy: 0.8,
        instruments: [
            .init(.sawLead, .lead), .init(.polySynth, .chords), .init(.haloPad, .pad),
            .init(.synthBass, .bass), .init(.electronicKit, .drums), .init(.squareLead, .arpeggio),
        ],
        swing: .straight, length: 220...270,
        specific: ["minimal techno", "detroit techno", "industrial techno", "hard techno", "acid techno",
                   "berlin techno", "melodic techno", "trance", "psytrance", "hardstyle"],
        keywords: ["techno", "rave"],
        hints: ["acid", "warehouse", "industrial", "hypnotic"])

    public static let drumAndBass = GenreProfile(
        .drumAndBass, tempo: 170...176, typical: 174, majorLean: 0.25,
        majorModes: [.major], minorModes: [.minor, .minor, .dorian],
        majorTonics: [.f, .d, .g], minorTonics: [.f, .e, .a, .g, .d],
        density: 0.7, brightness: 0.6, energy: 0.85,
        instruments: [
            .init(.synthLead, .lead), .init(.electricPiano, .chords), .init(.warmPad, .pad),
            .init(.synthBass2, .bass), .init(.electronicKit, .drums),
        ],
        swing: .straight, length: 200...260,
        specific: ["drum and bass", "drum n bass", "drum and base", "dnb", "d and b", "jungle",
                   "liquid dnb", "liquid drum and bass", "neurofunk", "drumfunk", "drumnbass"],
        keywords: ["breakbeat"],
        hints: ["breaks", "amen break"])

    public static let hipHop = GenreProfile(
        .hipHop, tempo: 84...100, typical: 92, majorLean: 0.25,
        majorModes: [.major], minorModes: [.minor, .dorian],
        majorTonics: [.c, .f, .g], minorTonics: [.c, .d, .g, .a, .f],
        density: 0.55, brightness: 0.5, energy: 0.65,
        instruments: [
            .init(.acousticPiano, .lead), .init(.electricPiano, .chords), .init(.slowStrings, .pad),
            .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .sixteenthSwing, length: 170...220,
        specific: ["boom bap", "boombap", "old school hip hop", "east coast hip hop", "west coast hip hop",
                   "g funk", "conscious hip hop"],
        keywords: ["hip hop", "hiphop", "rap", "rap beat", "rapper"],
        hints: ["bars", "cypher", "freestyle"])

    public static let trap = GenreProfile(
        .trap, tempo: 130...150, typical: 140, majorLean: 0.15,
        majorModes: [.major], minorModes: [.minor, .minor, .harmonicMinor],
        majorTonics: [.c, .f], minorTonics: [.c, .cSharp, .f, .g, .a],
        density: 0.55, brightness: 0.55, energy: 0.75,
        instruments: [
            .init(.flute, .lead), .init(.acousticPiano, .chords), .init(.synthPad, .pad),
            .init(.bass808, .bass), .init(.electronicKit, .drums), .init(.musicBox, .arpeggio),
        ],
        swing: .straight, length: 150...200,
        specific: ["trap", "trap beat", "drill", "uk drill", "phonk", "rage beat", "plugg"],
        keywords: ["808 beat"],
        hints: ["hi hat rolls", "hihat rolls"])

    public static let lofi = GenreProfile(
        .lofi, tempo: 70...90, typical: 80, majorLean: 0.35,
        majorModes: [.major], minorModes: [.dorian, .dorian, .minor],
        majorTonics: [.f, .eFlat, .c, .bFlat, .d], minorTonics: [.d, .c, .f, .a, .e],
        density: 0.45, brightness: 0.35, energy: 0.35,
        instruments: [
            .init(.jazzGuitar, .lead), .init(.rhodes, .chords), .init(.warmPad, .pad),
            .init(.fingerBass, .bass), .init(.roomKit, .drums),
        ],
        swing: .sixteenthSwing, length: 150...200,
        specific: ["lo fi hip hop", "lofi hip hop", "lo fi", "lofi", "chillhop", "chill hop", "jazzhop",
                   "jazz hop", "lo fi beat", "lofi beat", "study beats", "beats to study", "trip hop",
                   "lo fi beats", "lofi beats"],
        keywords: ["study music", "chill beats"],
        hints: ["vinyl", "tape", "cassette", "studying", "homework"])

    public static let jazz = GenreProfile(
        .jazz, tempo: 100...180, typical: 138, majorLean: 0.55,
        majorModes: [.major], minorModes: [.dorian, .minor],
        majorTonics: [.f, .bFlat, .eFlat, .c, .aFlat], minorTonics: [.c, .d, .g, .f],
        density: 0.6, brightness: 0.5, energy: 0.55,
        instruments: [
            .init(.tenorSax, .lead), .init(.acousticPiano, .chords), .init(.trumpet, .counterMelody),
            .init(.acousticBass, .bass), .init(.jazzKit, .drums),
        ],
        swing: .eighthSwing, length: 190...260,
        specific: ["bebop", "bop", "big band", "smooth jazz", "cool jazz", "hard bop", "jazz trio",
                   "jazz quartet", "jazz standard", "acid jazz", "jazz fusion", "ragtime", "dixieland",
                   "gypsy jazz", "swing jazz", "nu jazz", "jazz ballad"],
        keywords: ["jazz"],
        hints: ["jazzy", "swing", "lounge", "speakeasy", "fusion"])

    public static let blues = GenreProfile(
        .blues, tempo: 70...120, typical: 96, majorLean: 0.7,
        majorModes: [.mixolydian, .mixolydian, .major], minorModes: [.minor, .dorian],
        majorTonics: [.e, .a, .g, .c, .d], minorTonics: [.a, .e, .g, .c],
        density: 0.55, brightness: 0.5, energy: 0.55,
        instruments: [
            .init(.overdrivenGuitar, .lead), .init(.acousticPiano, .chords), .init(.harmonica, .counterMelody),
            .init(.organ, .pad), .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .shuffle, length: 180...240,
        specific: ["delta blues", "chicago blues", "12 bar blues", "twelve bar blues", "12 bar",
                   "blues rock", "texas blues", "slow blues", "blues shuffle"],
        keywords: ["blues"],
        hints: ["bluesy", "juke joint", "shuffle"])

    public static let funk = GenreProfile(
        .funk, tempo: 95...120, typical: 106, majorLean: 0.4,
        majorModes: [.mixolydian, .major], minorModes: [.dorian, .dorian, .minor],
        majorTonics: [.e, .a, .d, .g, .c], minorTonics: [.e, .a, .d, .c, .g],
        density: 0.75, brightness: 0.7, energy: 0.75,
        instruments: [
            .init(.altoSax, .lead), .init(.clavinet, .chords), .init(.mutedGuitar, .arpeggio),
            .init(.brassSection, .brass), .init(.slapBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .sixteenthLift, length: 190...250,
        specific: ["p funk", "funk rock", "nu funk", "jazz funk", "funk jam"],
        keywords: ["funk"],
        hints: ["funky", "slap", "groove"])

    public static let rnb = GenreProfile(
        .rnb, tempo: 66...100, typical: 84, majorLean: 0.45,
        majorModes: [.major], minorModes: [.dorian, .minor],
        majorTonics: [.eFlat, .aFlat, .bFlat, .f, .cSharp], minorTonics: [.c, .f, .bFlat, .g],
        density: 0.5, brightness: 0.5, energy: 0.5,
        instruments: [
            .init(.saxophone, .lead), .init(.rhodes, .chords), .init(.strings, .strings),
            .init(.cleanElectricGuitar, .counterMelody), .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .sixteenthLift, length: 180...240,
        specific: ["r and b", "rnb", "rhythm and blues", "neo soul", "neosoul", "motown", "slow jam",
                   "quiet storm", "contemporary r and b", "soul music"],
        keywords: ["soul"],
        hints: ["soulful", "silky", "smooth"])

    public static let country = GenreProfile(
        .country, tempo: 90...130, typical: 112, majorLean: 0.85,
        majorModes: [.major, .major, .mixolydian], minorModes: [.minor],
        majorTonics: [.g, .d, .a, .e, .c], minorTonics: [.e, .a, .b],
        density: 0.55, brightness: 0.7, energy: 0.6,
        instruments: [
            .init(.cleanElectricGuitar, .lead), .init(.acousticGuitar, .chords), .init(.violin, .counterMelody),
            .init(.banjo, .arpeggio), .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .straight, length: 170...220,
        specific: ["americana", "bluegrass", "honky tonk", "country pop", "outlaw country", "alt country",
                   "western swing", "country western", "nashville"],
        keywords: ["country", "country song"],
        hints: ["cowboy", "western", "texas", "rodeo", "twang"])

    public static let reggae = GenreProfile(
        .reggae, tempo: 70...90, typical: 78, majorLean: 0.55,
        majorModes: [.major], minorModes: [.minor, .dorian],
        majorTonics: [.a, .d, .g, .c, .e], minorTonics: [.a, .e, .d, .g],
        density: 0.5, brightness: 0.55, energy: 0.5,
        instruments: [
            .init(.trumpet, .lead), .init(.cleanElectricGuitar, .chords), .init(.organ, .pad),
            .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .sixteenthLift, length: 190...240,
        specific: ["one drop", "roots reggae", "rocksteady", "ska", "dub", "dancehall", "lovers rock"],
        keywords: ["reggae"],
        hints: ["jamaica", "jamaican", "island", "caribbean", "rasta"])

    public static let latin = GenreProfile(
        .latin, tempo: 110...140, typical: 128, majorLean: 0.5,
        majorModes: [.major], minorModes: [.minor, .dorian],
        majorTonics: [.f, .c, .d, .g, .bFlat], minorTonics: [.d, .a, .e, .c],
        density: 0.55, brightness: 0.6, energy: 0.55,
        instruments: [
            .init(.flute, .lead), .init(.nylonGuitar, .chords), .init(.acousticBass, .bass),
            .init(.drumKit, .drums), .init(.drumKit, .percussion),
        ],
        swing: .straight, length: 180...240,
        specific: ["bossa nova", "bossa", "salsa", "samba", "cha cha", "cha cha cha", "rumba", "mambo",
                   "tango", "cumbia", "merengue", "bachata", "reggaeton", "latin jazz", "latin pop", "mpb",
                   "flamenco", "son cubano"],
        keywords: ["latin", "latino"],
        hints: ["brazil", "brazilian", "cuban", "havana", "rio", "spanish", "mexican", "tropical"])

    public static let orchestral = GenreProfile(
        .orchestral, tempo: 70...130, typical: 92, majorLean: 0.35,
        majorModes: [.major, .major, .lydian], minorModes: [.minor, .minor, .harmonicMinor],
        majorTonics: [.d, .c, .eFlat, .f, .bFlat], minorTonics: [.d, .c, .e, .a, .g],
        density: 0.7, brightness: 0.5, energy: 0.65,
        instruments: [
            .init(.frenchHorn, .lead), .init(.strings, .strings), .init(.cello, .counterMelody),
            .init(.choir, .pad), .init(.brassSection, .brass), .init(.contrabass, .bass),
            .init(.orchestraKit, .drums), .init(.timpani, .percussion),
        ],
        swing: .straight, length: 150...220,
        specific: ["film score", "movie score", "film music", "movie soundtrack", "trailer music",
                   "epic music", "string quartet", "symphony", "symphonic", "concerto", "classical music",
                   "baroque", "chamber music"],
        keywords: ["orchestral", "orchestra", "cinematic", "classical", "soundtrack", "filmic", "trailer"],
        hints: ["film", "movie", "score", "hollywood", "opera", "fantasy", "cue"])

    public static let ambient = GenreProfile(
        .ambient, tempo: 60...80, typical: 70, majorLean: 0.55,
        majorModes: [.major, .lydian], minorModes: [.minor, .dorian],
        majorTonics: [.d, .e, .c, .f, .a], minorTonics: [.d, .a, .e, .c],
        density: 0.25, brightness: 0.45, energy: 0.2,
        instruments: [
            .init(.celesta, .lead), .init(.synthPad, .chords), .init(.warmPad, .pad),
            .init(.fretlessBass, .bass), .init(.kalimba, .arpeggio),
        ],
        swing: .straight, length: 200...270,
        specific: ["dark ambient", "drone", "new age", "soundscape", "space music", "ambient music"],
        keywords: ["ambient", "atmospheric music"],
        hints: ["meditation", "downtempo", "chillout", "spa", "yoga", "texture", "textures"])

    public static let metal = GenreProfile(
        .metal, tempo: 90...180, typical: 140, majorLean: 0.05,
        majorModes: [.major], minorModes: [.minor, .minor, .phrygian],
        majorTonics: [.e, .d], minorTonics: [.e, .d, .b, .a, .cSharp],
        density: 0.8, brightness: 0.55, energy: 0.95,
        instruments: [
            .init(.distortionGuitar, .lead), .init(.distortionGuitar, .chords), .init(.slowStrings, .pad),
            .init(.pickBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .straight, length: 200...260,
        specific: ["heavy metal", "death metal", "black metal", "thrash", "thrash metal", "metalcore",
                   "djent", "nu metal", "doom metal", "power metal", "progressive metal", "symphonic metal",
                   "speed metal", "deathcore"],
        keywords: ["metal"],
        hints: ["headbang", "moshpit", "mosh", "shred", "hardcore"])

    public static let disco = GenreProfile(
        .disco, tempo: 110...125, typical: 118, majorLean: 0.6,
        majorModes: [.major], minorModes: [.minor, .dorian],
        majorTonics: [.a, .e, .g, .c, .f], minorTonics: [.a, .e, .d, .g],
        density: 0.75, brightness: 0.75, energy: 0.8,
        instruments: [
            .init(.brassSection, .lead), .init(.mutedGuitar, .chords), .init(.strings, .strings),
            .init(.electricPiano, .pad), .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .straight, length: 200...260,
        specific: ["nu disco", "italo disco", "disco funk", "boogie", "studio 54"],
        keywords: ["disco"],
        hints: ["70s", "seventies", "1970s", "mirrorball", "glitter", "roller"])

    public static let indie = GenreProfile(
        .indie, tempo: 100...135, typical: 118, majorLean: 0.55,
        majorModes: [.major, .mixolydian], minorModes: [.minor, .dorian],
        majorTonics: [.d, .a, .e, .g, .c], minorTonics: [.b, .e, .a, .fSharp],
        density: 0.55, brightness: 0.6, energy: 0.6,
        instruments: [
            .init(.cleanElectricGuitar, .lead), .init(.acousticGuitar, .chords), .init(.warmPad, .pad),
            .init(.pickBass, .bass), .init(.roomKit, .drums), .init(.celesta, .arpeggio),
        ],
        swing: .straight, length: 180...230,
        specific: ["indie rock", "indie pop", "dream pop", "shoegaze", "bedroom pop", "jangle pop",
                   "math rock", "post rock", "post punk", "lo fi indie"],
        keywords: ["indie", "alternative"],
        hints: ["alt", "garage", "hipster"])

    public static let folk = GenreProfile(
        .folk, tempo: 80...120, typical: 100, majorLean: 0.65,
        majorModes: [.major, .major, .mixolydian], minorModes: [.minor, .dorian],
        majorTonics: [.g, .d, .c, .a, .e], minorTonics: [.e, .a, .d, .b],
        density: 0.4, brightness: 0.55, energy: 0.4,
        instruments: [
            .init(.violin, .lead), .init(.acousticGuitar, .chords), .init(.accordion, .counterMelody),
            .init(.acousticBass, .bass), .init(.roomKit, .percussion),
        ],
        swing: .eighthLilt, length: 160...220,
        specific: ["indie folk", "folk song", "folk rock", "singer songwriter", "celtic", "irish folk",
                   "sea shanty", "shanty", "campfire song", "traditional folk", "fingerstyle"],
        keywords: ["folk", "folky"],
        hints: ["acoustic", "campfire", "irish", "scottish", "unplugged", "storytelling", "cabin"])

    public static let gospel = GenreProfile(
        .gospel, tempo: 70...110, typical: 88, majorLean: 0.85,
        majorModes: [.major], minorModes: [.minor],
        majorTonics: [.aFlat, .eFlat, .cSharp, .bFlat, .f, .c], minorTonics: [.c, .f, .g],
        density: 0.65, brightness: 0.6, energy: 0.65,
        instruments: [
            .init(.organ, .lead), .init(.acousticPiano, .chords), .init(.choir, .pad),
            .init(.fingerBass, .bass), .init(.drumKit, .drums),
        ],
        swing: .eighthLilt, length: 190...250,
        specific: ["gospel choir", "worship song", "praise and worship", "spiritual", "hymn", "hymns",
                   "church music", "contemporary christian"],
        keywords: ["gospel", "worship"],
        hints: ["church", "praise", "hallelujah", "amen"])

    public static let afrobeat = GenreProfile(
        .afrobeat, tempo: 100...125, typical: 110, majorLean: 0.5,
        majorModes: [.major, .mixolydian], minorModes: [.dorian, .minor],
        majorTonics: [.d, .g, .a, .f, .c], minorTonics: [.a, .d, .e, .g],
        density: 0.7, brightness: 0.7, energy: 0.7,
        instruments: [
            .init(.marimba, .lead), .init(.cleanElectricGuitar, .chords), .init(.brassSection, .brass),
            .init(.fingerBass, .bass), .init(.drumKit, .drums), .init(.drumKit, .percussion),
        ],
        swing: .sixteenthLift, length: 190...240,
        specific: ["afrobeat", "afrobeats", "afropop", "afro pop", "highlife", "amapiano", "afro fusion",
                   "afroswing"],
        keywords: ["afro"],
        hints: ["african", "africa", "nigeria", "nigerian", "lagos", "ghana", "naija"])

    public static let dubstep = GenreProfile(
        .dubstep, tempo: 138...145, typical: 140, majorLean: 0.1,
        majorModes: [.major], minorModes: [.minor, .minor, .phrygian],
        majorTonics: [.f, .g], minorTonics: [.f, .e, .g, .a, .fSharp],
        density: 0.7, brightness: 0.65, energy: 0.9,
        instruments: [
            .init(.sawLead, .lead), .init(.synthBrass, .chords), .init(.haloPad, .pad),
            .init(.synthBass, .bass), .init(.electronicKit, .drums),
        ],
        swing: .straight, length: 180...240,
        specific: ["dubstep", "brostep", "riddim", "future bass", "bass music", "drumstep", "dub step"],
        keywords: ["wobble", "wub"],
        hints: ["drop", "bass drop", "wobbles"])

    public static let chiptune = GenreProfile(
        .chiptune, tempo: 120...160, typical: 140, majorLean: 0.6,
        majorModes: [.major], minorModes: [.minor],
        majorTonics: [.c, .g, .a, .e, .d], minorTonics: [.a, .e, .c, .d],
        density: 0.65, brightness: 0.9, energy: 0.75,
        instruments: [
            .init(.squareLead, .lead), .init(.squareLead, .arpeggio), .init(.synthBass, .bass),
            .init(.electronicKit, .drums),
        ],
        swing: .straight, length: 150...200,
        specific: ["chiptune", "chip tune", "chipmusic", "8 bit", "16 bit", "bitpop", "game boy", "gameboy",
                   "nes music", "video game music", "retro game"],
        keywords: ["video game", "arcade"],
        hints: ["pixel", "retro gaming", "gaming", "game", "nintendo"])
}
