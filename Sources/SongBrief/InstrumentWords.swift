/// An instrument word of the prompt ("piano", "electric guitar", "808") and the instruments it can mean.
/// The first candidate is played when the genre has none of them; if the genre's arrangement already has
/// one of them ("guitar" in rock already has a distorted guitar), that one is kept.
struct InstrumentWord: Sendable {
    var candidates: [Instrument]
    /// The role the instrument takes when the prompt does not say ("sax solo", "piano chords").
    var role: PartRole
    /// Whether the phrase itself names the role ("lead guitar", "rhythm guitar", "power chords").
    var namesRole: Bool

    init(_ candidates: [Instrument], _ role: PartRole? = nil) {
        self.candidates = candidates
        self.role = role ?? InstrumentWords.naturalRole(of: candidates.first ?? .acousticPiano)
        self.namesRole = role != nil
    }
}

enum InstrumentWords {
    static let guitars: [Instrument] = [
        .acousticGuitar, .nylonGuitar, .cleanElectricGuitar, .jazzGuitar, .mutedGuitar, .overdrivenGuitar,
        .distortionGuitar,
    ]
    static let electricGuitars: [Instrument] = [
        .cleanElectricGuitar, .overdrivenGuitar, .distortionGuitar, .jazzGuitar, .mutedGuitar,
    ]
    static let basses: [Instrument] = [
        .fingerBass, .pickBass, .acousticBass, .fretlessBass, .slapBass, .synthBass, .synthBass2, .bass808,
        .contrabass,
    ]
    static let kits: [Instrument] = [.drumKit, .roomKit, .electronicKit, .jazzKit, .orchestraKit]
    static let synths: [Instrument] = [
        .polySynth, .synthLead, .sawLead, .squareLead, .synthPad, .warmPad, .haloPad, .synthStrings, .synthBrass,
    ]
    static let pads: [Instrument] = [.synthPad, .warmPad, .haloPad, .polySynth, .synthStrings]
    static let saxes: [Instrument] = [.saxophone, .altoSax, .tenorSax]
    static let stringSections: [Instrument] = [.strings, .slowStrings, .synthStrings, .pizzicatoStrings]
    static let brassSections: [Instrument] = [.brassSection, .synthBrass]

    /// Phrases are matched longest first, so "acoustic bass" wins over "bass" and "thumb piano" over "piano".
    static let phrases: [(String, InstrumentWord)] = [
        // Keys
        ("piano", InstrumentWord([.acousticPiano, .brightPiano])),
        ("pianos", InstrumentWord([.acousticPiano, .brightPiano])),
        ("grand piano", InstrumentWord([.acousticPiano])),
        ("acoustic piano", InstrumentWord([.acousticPiano])),
        ("upright piano", InstrumentWord([.acousticPiano])),
        ("felt piano", InstrumentWord([.acousticPiano])),
        ("bright piano", InstrumentWord([.brightPiano])),
        ("honky tonk piano", InstrumentWord([.brightPiano])),
        ("keys", InstrumentWord([.electricPiano, .rhodes, .acousticPiano, .organ])),
        ("keyboard", InstrumentWord([.electricPiano, .rhodes, .acousticPiano, .organ])),
        ("keyboards", InstrumentWord([.electricPiano, .rhodes, .acousticPiano, .organ])),
        ("electric piano", InstrumentWord([.electricPiano, .rhodes])),
        ("e piano", InstrumentWord([.electricPiano, .rhodes])),
        ("epiano", InstrumentWord([.electricPiano, .rhodes])),
        ("wurlitzer", InstrumentWord([.electricPiano])),
        ("wurli", InstrumentWord([.electricPiano])),
        ("rhodes", InstrumentWord([.rhodes])),
        ("fender rhodes", InstrumentWord([.rhodes])),
        ("organ", InstrumentWord([.organ, .rockOrgan])),
        ("hammond", InstrumentWord([.organ, .rockOrgan])),
        ("hammond organ", InstrumentWord([.organ, .rockOrgan])),
        ("church organ", InstrumentWord([.organ])),
        ("rock organ", InstrumentWord([.rockOrgan])),
        ("harpsichord", InstrumentWord([.harpsichord])),
        ("clavinet", InstrumentWord([.clavinet])),
        ("clav", InstrumentWord([.clavinet])),
        ("vibraphone", InstrumentWord([.vibraphone])),
        ("vibraphones", InstrumentWord([.vibraphone])),
        ("marimba", InstrumentWord([.marimba])),
        ("xylophone", InstrumentWord([.marimba])),
        ("celesta", InstrumentWord([.celesta])),
        ("celeste", InstrumentWord([.celesta])),
        ("glockenspiel", InstrumentWord([.celesta])),
        ("bells", InstrumentWord([.celesta, .musicBox])),
        ("music box", InstrumentWord([.musicBox])),
        // Guitars
        ("guitar", InstrumentWord(guitars)),
        ("guitars", InstrumentWord(guitars)),
        ("acoustic guitar", InstrumentWord([.acousticGuitar, .nylonGuitar])),
        ("acoustic guitars", InstrumentWord([.acousticGuitar, .nylonGuitar])),
        ("steel string guitar", InstrumentWord([.acousticGuitar])),
        ("nylon guitar", InstrumentWord([.nylonGuitar])),
        ("nylon string guitar", InstrumentWord([.nylonGuitar])),
        ("classical guitar", InstrumentWord([.nylonGuitar])),
        ("spanish guitar", InstrumentWord([.nylonGuitar])),
        ("flamenco guitar", InstrumentWord([.nylonGuitar])),
        ("ukulele", InstrumentWord([.nylonGuitar])),
        ("mandolin", InstrumentWord([.banjo])),
        ("electric guitar", InstrumentWord(electricGuitars)),
        ("electric guitars", InstrumentWord(electricGuitars)),
        ("clean guitar", InstrumentWord([.cleanElectricGuitar])),
        ("clean electric guitar", InstrumentWord([.cleanElectricGuitar])),
        ("jazz guitar", InstrumentWord([.jazzGuitar])),
        ("hollow body guitar", InstrumentWord([.jazzGuitar])),
        ("muted guitar", InstrumentWord([.mutedGuitar])),
        ("palm muted guitar", InstrumentWord([.mutedGuitar])),
        ("funky guitar", InstrumentWord([.mutedGuitar])),
        ("funk guitar", InstrumentWord([.mutedGuitar])),
        ("overdriven guitar", InstrumentWord([.overdrivenGuitar])),
        ("crunchy guitar", InstrumentWord([.overdrivenGuitar])),
        ("distorted guitar", InstrumentWord([.distortionGuitar])),
        ("distorted guitars", InstrumentWord([.distortionGuitar])),
        ("distortion guitar", InstrumentWord([.distortionGuitar])),
        ("heavy guitar", InstrumentWord([.distortionGuitar])),
        ("heavy guitars", InstrumentWord([.distortionGuitar])),
        ("power chords", InstrumentWord([.distortionGuitar], .chords)),
        ("lead guitar", InstrumentWord([.overdrivenGuitar, .cleanElectricGuitar, .distortionGuitar, .jazzGuitar],
                                       .lead)),
        ("guitar solo", InstrumentWord([.overdrivenGuitar, .cleanElectricGuitar, .distortionGuitar, .jazzGuitar],
                                       .lead)),
        ("rhythm guitar", InstrumentWord(guitars, .chords)),
        ("banjo", InstrumentWord([.banjo])),
        ("sitar", InstrumentWord([.sitar])),
        // Bass
        ("bass", InstrumentWord(basses)),
        ("bassline", InstrumentWord(basses)),
        ("bass line", InstrumentWord(basses)),
        ("bass guitar", InstrumentWord([.fingerBass, .pickBass, .slapBass, .fretlessBass])),
        ("electric bass", InstrumentWord([.fingerBass, .pickBass, .slapBass, .fretlessBass])),
        ("upright bass", InstrumentWord([.acousticBass, .contrabass])),
        ("double bass", InstrumentWord([.acousticBass, .contrabass])),
        ("acoustic bass", InstrumentWord([.acousticBass, .contrabass])),
        ("standup bass", InstrumentWord([.acousticBass, .contrabass])),
        ("stand up bass", InstrumentWord([.acousticBass, .contrabass])),
        ("contrabass", InstrumentWord([.contrabass, .acousticBass])),
        ("fretless bass", InstrumentWord([.fretlessBass])),
        ("slap bass", InstrumentWord([.slapBass])),
        ("synth bass", InstrumentWord([.synthBass, .synthBass2])),
        ("synth bassline", InstrumentWord([.synthBass, .synthBass2])),
        ("reese bass", InstrumentWord([.synthBass2])),
        ("wobble bass", InstrumentWord([.synthBass])),
        ("sub bass", InstrumentWord([.bass808, .synthBass])),
        ("808", InstrumentWord([.bass808])),
        ("808s", InstrumentWord([.bass808])),
        ("808 bass", InstrumentWord([.bass808])),
        // Drums
        ("drums", InstrumentWord(kits)),
        ("drum", InstrumentWord(kits)),
        ("drum kit", InstrumentWord(kits)),
        ("drumkit", InstrumentWord(kits)),
        ("live drums", InstrumentWord([.drumKit, .roomKit])),
        ("acoustic drums", InstrumentWord([.drumKit, .roomKit])),
        ("rock drums", InstrumentWord([.drumKit, .roomKit])),
        ("drum machine", InstrumentWord([.electronicKit])),
        ("electronic drums", InstrumentWord([.electronicKit])),
        ("808 drums", InstrumentWord([.electronicKit])),
        ("808 kit", InstrumentWord([.electronicKit])),
        ("909", InstrumentWord([.electronicKit])),
        ("brushes", InstrumentWord([.jazzKit])),
        ("brushed drums", InstrumentWord([.jazzKit])),
        ("jazz drums", InstrumentWord([.jazzKit])),
        ("timpani", InstrumentWord([.timpani])),
        // Strings, choir
        ("strings", InstrumentWord(stringSections)),
        ("string section", InstrumentWord(stringSections)),
        ("string ensemble", InstrumentWord(stringSections)),
        ("orchestral strings", InstrumentWord([.strings, .slowStrings])),
        ("slow strings", InstrumentWord([.slowStrings])),
        ("violin", InstrumentWord([.violin])),
        ("violins", InstrumentWord([.strings, .violin], .strings)),
        ("fiddle", InstrumentWord([.violin])),
        ("viola", InstrumentWord([.viola])),
        ("cello", InstrumentWord([.cello])),
        ("cellos", InstrumentWord([.cello])),
        ("violoncello", InstrumentWord([.cello])),
        ("pizzicato", InstrumentWord([.pizzicatoStrings])),
        ("pizzicato strings", InstrumentWord([.pizzicatoStrings])),
        ("harp", InstrumentWord([.harp])),
        ("choir", InstrumentWord([.choir])),
        ("choirs", InstrumentWord([.choir])),
        ("choral", InstrumentWord([.choir])),
        ("synth strings", InstrumentWord([.synthStrings])),
        ("string synth", InstrumentWord([.synthStrings])),
        // Brass and winds
        ("brass", InstrumentWord(brassSections)),
        ("brass section", InstrumentWord(brassSections)),
        ("horns", InstrumentWord(brassSections)),
        ("horn section", InstrumentWord(brassSections)),
        ("trumpet", InstrumentWord([.trumpet])),
        ("trumpets", InstrumentWord([.trumpet])),
        ("muted trumpet", InstrumentWord([.trumpet])),
        ("trombone", InstrumentWord([.trombone])),
        ("trombones", InstrumentWord([.trombone])),
        ("french horn", InstrumentWord([.frenchHorn])),
        ("french horns", InstrumentWord([.frenchHorn])),
        ("horn", InstrumentWord([.frenchHorn])),
        ("tuba", InstrumentWord([.tuba])),
        ("synth brass", InstrumentWord([.synthBrass])),
        ("sax", InstrumentWord(saxes)),
        ("saxophone", InstrumentWord(saxes)),
        ("saxophones", InstrumentWord(saxes)),
        ("alto sax", InstrumentWord([.altoSax])),
        ("alto saxophone", InstrumentWord([.altoSax])),
        ("tenor sax", InstrumentWord([.tenorSax])),
        ("tenor saxophone", InstrumentWord([.tenorSax])),
        ("flute", InstrumentWord([.flute])),
        ("flutes", InstrumentWord([.flute])),
        ("pan flute", InstrumentWord([.panFlute])),
        ("panpipes", InstrumentWord([.panFlute])),
        ("pan pipes", InstrumentWord([.panFlute])),
        ("clarinet", InstrumentWord([.clarinet])),
        ("oboe", InstrumentWord([.oboe])),
        ("harmonica", InstrumentWord([.harmonica])),
        ("blues harp", InstrumentWord([.harmonica])),
        ("accordion", InstrumentWord([.accordion])),
        // Synths
        ("synth", InstrumentWord(synths, .pad)),
        ("synths", InstrumentWord(synths, .pad)),
        ("synthesizer", InstrumentWord(synths, .pad)),
        ("synthesizers", InstrumentWord(synths, .pad)),
        ("synthesiser", InstrumentWord(synths, .pad)),
        ("synthesisers", InstrumentWord(synths, .pad)),
        ("analog synth", InstrumentWord(synths, .pad)),
        ("analog synths", InstrumentWord(synths, .pad)),
        ("poly synth", InstrumentWord([.polySynth])),
        ("polysynth", InstrumentWord([.polySynth])),
        ("synth lead", InstrumentWord([.synthLead, .sawLead, .squareLead])),
        ("lead synth", InstrumentWord([.synthLead, .sawLead, .squareLead])),
        ("saw lead", InstrumentWord([.sawLead])),
        ("sawtooth", InstrumentWord([.sawLead])),
        ("supersaw", InstrumentWord([.sawLead])),
        ("supersaws", InstrumentWord([.sawLead])),
        ("square lead", InstrumentWord([.squareLead])),
        ("square wave", InstrumentWord([.squareLead])),
        ("pad", InstrumentWord(pads)),
        ("pads", InstrumentWord(pads)),
        ("synth pad", InstrumentWord(pads)),
        ("synth pads", InstrumentWord(pads)),
        ("warm pad", InstrumentWord([.warmPad])),
        ("warm pads", InstrumentWord([.warmPad])),
        ("halo pad", InstrumentWord([.haloPad])),
        ("arp", InstrumentWord([.squareLead, .polySynth], .arpeggio)),
        ("arps", InstrumentWord([.squareLead, .polySynth], .arpeggio)),
        ("arpeggiator", InstrumentWord([.squareLead, .polySynth], .arpeggio)),
        ("synth arp", InstrumentWord([.squareLead, .polySynth], .arpeggio)),
        // Other
        ("steel drums", InstrumentWord([.steelDrums])),
        ("steel drum", InstrumentWord([.steelDrums])),
        ("steel pan", InstrumentWord([.steelDrums])),
        ("kalimba", InstrumentWord([.kalimba])),
        ("thumb piano", InstrumentWord([.kalimba])),
        ("mbira", InstrumentWord([.kalimba])),
    ]

    static let index = PromptPhraseIndex(phrases)

    /// Words next to an instrument that say which job it does: "sax solo", "lead guitar", "piano chords".
    static let roleWordsAfter: [String: PartRole] = [
        "solo": .lead, "solos": .lead, "lead": .lead, "melody": .lead, "melodies": .lead, "line": .lead,
        "chords": .chords, "comping": .chords, "stabs": .chords, "riffs": .chords, "strumming": .chords,
        "arpeggios": .arpeggio, "arpeggio": .arpeggio, "arps": .arpeggio, "arp": .arpeggio,
        "pad": .pad, "pads": .pad, "drone": .pad, "bassline": .bass,
    ]
    static let roleWordsBefore: [String: PartRole] = [
        "lead": .lead, "solo": .lead, "melodic": .lead, "strummed": .chords, "strumming": .chords,
        "arpeggiated": .arpeggio, "plucked": .arpeggio, "fingerpicked": .arpeggio,
    ]

    /// Instruments that can carry a piece alone ("solo piano" means piano only, "sax solo" means a sax lead).
    static let selfAccompanying: Set<Instrument> = [
        .acousticPiano, .brightPiano, .electricPiano, .rhodes, .acousticGuitar, .nylonGuitar, .cleanElectricGuitar,
        .jazzGuitar, .harp, .organ,
    ]

    /// The part an instrument plays when nothing else decides it.
    static func naturalRole(of instrument: Instrument) -> PartRole {
        switch instrument {
        case .acousticPiano, .brightPiano, .electricPiano, .rhodes, .organ, .rockOrgan, .harpsichord, .clavinet,
            .acousticGuitar, .nylonGuitar, .cleanElectricGuitar, .jazzGuitar, .mutedGuitar, .overdrivenGuitar,
            .distortionGuitar, .polySynth, .accordion:
            .chords
        case .vibraphone, .violin, .trumpet, .saxophone, .altoSax, .tenorSax, .flute, .clarinet, .oboe, .panFlute,
            .synthLead, .sawLead, .squareLead, .steelDrums, .harmonica, .sitar, .musicBox, .celesta:
            .lead
        case .viola, .cello, .trombone, .frenchHorn:
            .counterMelody
        case .marimba, .harp, .pizzicatoStrings, .banjo, .kalimba:
            .arpeggio
        case .acousticBass, .fingerBass, .pickBass, .fretlessBass, .slapBass, .synthBass, .synthBass2, .bass808,
            .contrabass, .tuba:
            .bass
        case .strings, .slowStrings, .synthStrings:
            .strings
        case .brassSection, .synthBrass:
            .brass
        case .synthPad, .warmPad, .haloPad, .choir:
            .pad
        case .timpani:
            .percussion
        case .drumKit, .electronicKit, .jazzKit, .orchestraKit, .roomKit:
            .drums
        }
    }

    /// The genre an instrument suggests when the prompt names none (banjo -> country, 808 -> trap).
    static func suggestedGenre(for instrument: Instrument) -> Genre? {
        switch instrument {
        case .bass808: .trap
        case .banjo: .country
        case .harmonica: .blues
        case .saxophone, .altoSax, .tenorSax, .trumpet, .acousticBass, .vibraphone, .jazzGuitar, .jazzKit: .jazz
        case .distortionGuitar: .metal
        case .overdrivenGuitar, .rockOrgan: .rock
        case .acousticGuitar, .accordion: .folk
        case .nylonGuitar, .marimba, .panFlute: .latin
        case .steelDrums: .reggae
        case .rhodes: .rnb
        case .organ: .gospel
        case .strings, .slowStrings, .violin, .viola, .cello, .contrabass, .pizzicatoStrings, .harp, .timpani,
            .choir, .frenchHorn, .tuba, .trombone, .brassSection, .oboe, .clarinet, .harpsichord, .orchestraKit:
            .orchestral
        case .sawLead, .polySynth, .synthStrings, .synthBrass, .synthBass2: .synthwave
        case .squareLead: .chiptune
        case .slapBass, .clavinet, .mutedGuitar: .funk
        case .synthPad, .warmPad, .haloPad, .celesta, .musicBox, .kalimba: .ambient
        case .electronicKit, .synthBass, .synthLead: .house
        default: nil
        }
    }
}
