import MusicTheory
import SongBrief

/// Drum-groove families (see `DrumGroove`).
enum GrooveFamily: Sendable {
    case backbeat, fourOnTheFloor, techno, disco, halfTimeTrap, halfTimeDubstep, breakbeat, boomBap, jazzSwing
    case shuffle, oneDrop, bossa, metal, funk, afrobeat, orchestral, ambient, chiptune
}

/// How the drummer leads into the next section.
enum FillKind: Sendable { case snareRoll, toms, hatRoll, jazzTriplets, orchestralRoll, shakerSwell }

/// Bass-line idioms (see `BassLine`).
enum BassStyle: Sendable {
    case rootEighths, rootFifth, walking, funk, trap808, octaves, offbeat, oneDrop, bossa, sustained, metal, boomBap
    case drivingEighths
}

/// Comping idioms for the chords role (see `Comping`).
enum CompStyle: Sendable {
    case strum, block, skank, stabs, funkStabs, arpeggio, jazz, bossa, sustained, powerChords, lofi, gospel
}

/// Everything that makes one genre sound like itself: groove, bass and comping idioms, harmony, swing and
/// the register of the tune.
struct GenreStyle: Sendable {
    var groove: GrooveFamily
    var fill: FillKind
    var bass: BassStyle
    var comp: CompStyle
    var harmony: HarmonyVocabulary
    /// Where an off-beat lands between two beats' subdivisions: 0.5 straight, 0.66 a full triplet shuffle.
    var swing: Double = 0.5
    /// Whether swing applies to 16ths (hip hop, funk) rather than 8ths.
    var swingsSixteenths = false
    /// What the contrasting section is called: a bridge (songs) or a breakdown (dance music).
    var contrast: SectionKind = .bridge
    /// Centre of the lead melody before the brief's register shift (MIDI note).
    var leadCentre = 72
    /// Strings play a driving ostinato (the pulse of orchestral music) instead of held chords.
    var orchestralStrings = false

    init(_ genre: Genre) {
        let harmony = HarmonyVocabulary.forGenre(genre)
        switch genre {
        case .pop:
            self.init(groove: .backbeat, fill: .snareRoll, bass: .rootEighths, comp: .block, harmony: harmony)
        case .indie:
            self.init(groove: .backbeat, fill: .toms, bass: .rootEighths, comp: .strum, harmony: harmony)
        case .rock:
            self.init(groove: .backbeat, fill: .toms, bass: .drivingEighths, comp: .strum, harmony: harmony)
            leadCentre = 69
        case .country, .folk:
            self.init(groove: .backbeat, fill: .snareRoll, bass: .rootFifth, comp: .strum, harmony: harmony)
        case .gospel:
            self.init(groove: .backbeat, fill: .snareRoll, bass: .rootFifth, comp: .gospel, harmony: harmony)
            swing = 0.58
        case .chiptune:
            self.init(groove: .chiptune, fill: .snareRoll, bass: .octaves, comp: .arpeggio, harmony: harmony)
            leadCentre = 76
        case .synthwave:
            self.init(groove: .backbeat, fill: .snareRoll, bass: .drivingEighths, comp: .sustained, harmony: harmony)
            contrast = .breakdown
        case .house:
            self.init(groove: .fourOnTheFloor, fill: .snareRoll, bass: .offbeat, comp: .stabs, harmony: harmony)
            contrast = .breakdown
        case .techno:
            self.init(groove: .techno, fill: .snareRoll, bass: .offbeat, comp: .stabs, harmony: harmony)
            contrast = .breakdown
        case .disco:
            self.init(groove: .disco, fill: .snareRoll, bass: .octaves, comp: .stabs, harmony: harmony)
        case .drumAndBass:
            self.init(groove: .breakbeat, fill: .snareRoll, bass: .sustained, comp: .sustained, harmony: harmony)
            contrast = .breakdown
        case .hipHop:
            self.init(groove: .boomBap, fill: .snareRoll, bass: .boomBap, comp: .lofi, harmony: harmony)
            swing = 0.57
            swingsSixteenths = true
        case .lofi:
            self.init(groove: .boomBap, fill: .snareRoll, bass: .boomBap, comp: .lofi, harmony: harmony)
            swing = 0.62
        case .trap:
            self.init(groove: .halfTimeTrap, fill: .hatRoll, bass: .trap808, comp: .sustained, harmony: harmony)
            contrast = .breakdown
        case .dubstep:
            self.init(groove: .halfTimeDubstep, fill: .snareRoll, bass: .trap808, comp: .sustained, harmony: harmony)
            contrast = .breakdown
        case .jazz:
            self.init(groove: .jazzSwing, fill: .jazzTriplets, bass: .walking, comp: .jazz, harmony: harmony)
            swing = 0.64
            leadCentre = 70
        case .blues:
            self.init(groove: .shuffle, fill: .snareRoll, bass: .walking, comp: .jazz, harmony: harmony)
            swing = 0.66
            leadCentre = 69
        case .funk:
            self.init(groove: .funk, fill: .snareRoll, bass: .funk, comp: .funkStabs, harmony: harmony)
            swing = 0.54
            swingsSixteenths = true
        case .afrobeat:
            self.init(groove: .afrobeat, fill: .snareRoll, bass: .funk, comp: .funkStabs, harmony: harmony)
            swing = 0.53
            swingsSixteenths = true
        case .rnb:
            self.init(groove: .boomBap, fill: .snareRoll, bass: .boomBap, comp: .lofi, harmony: harmony)
            swing = 0.56
            swingsSixteenths = true
        case .reggae:
            self.init(groove: .oneDrop, fill: .toms, bass: .oneDrop, comp: .skank, harmony: harmony)
            swing = 0.56
        case .latin:
            self.init(groove: .bossa, fill: .snareRoll, bass: .bossa, comp: .bossa, harmony: harmony)
        case .orchestral:
            self.init(groove: .orchestral, fill: .orchestralRoll, bass: .sustained, comp: .sustained, harmony: harmony)
            orchestralStrings = true
        case .ambient:
            self.init(groove: .ambient, fill: .shakerSwell, bass: .sustained, comp: .sustained, harmony: harmony)
            contrast = .breakdown
        case .metal:
            self.init(groove: .metal, fill: .toms, bass: .metal, comp: .powerChords, harmony: harmony)
            leadCentre = 67
        }
    }

    private init(groove: GrooveFamily, fill: FillKind, bass: BassStyle, comp: CompStyle, harmony: HarmonyVocabulary) {
        self.groove = groove
        self.fill = fill
        self.bass = bass
        self.comp = comp
        self.harmony = harmony
    }
}
