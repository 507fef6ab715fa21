import Foundation

/// Instruments the engine can play, each mapped to a General MIDI program (or the GM drum kit).
public enum Instrument: String, Sendable, Hashable, Codable, CaseIterable {
    // Keys
    case acousticPiano, brightPiano, electricPiano, rhodes, organ, rockOrgan, harpsichord, clavinet, vibraphone
    case marimba, celesta, musicBox
    // Guitars
    case acousticGuitar, nylonGuitar, cleanElectricGuitar, jazzGuitar, mutedGuitar, overdrivenGuitar,
        distortionGuitar
    // Bass
    case acousticBass, fingerBass, pickBass, fretlessBass, slapBass, synthBass, synthBass2, bass808
    // Strings and orchestra
    case strings, slowStrings, violin, viola, cello, contrabass, pizzicatoStrings, harp, timpani, choir
    // Brass and winds
    case trumpet, trombone, frenchHorn, tuba, brassSection, saxophone, altoSax, tenorSax, flute, clarinet, oboe,
        panFlute
    // Synths
    case synthLead, sawLead, squareLead, synthPad, warmPad, polySynth, haloPad, synthStrings, synthBrass
    // Other
    case steelDrums, banjo, accordion, harmonica, sitar, kalimba
    // Drums (GM channel 10 kits: program selects the kit)
    case drumKit, electronicKit, jazzKit, orchestraKit, roomKit

    /// The General MIDI program number (0-based). For drum kits, the GM2/GS drum-kit program on channel 10.
    public var gmProgram: Int {
        switch self {
        case .acousticPiano: 0
        case .brightPiano: 1
        case .electricPiano: 5
        case .rhodes: 4
        case .organ: 16
        case .rockOrgan: 18
        case .harpsichord: 6
        case .clavinet: 7
        case .vibraphone: 11
        case .marimba: 12
        case .celesta: 8
        case .musicBox: 10
        case .acousticGuitar: 25
        case .nylonGuitar: 24
        case .cleanElectricGuitar: 27
        case .jazzGuitar: 26
        case .mutedGuitar: 28
        case .overdrivenGuitar: 29
        case .distortionGuitar: 30
        case .acousticBass: 32
        case .fingerBass: 33
        case .pickBass: 34
        case .fretlessBass: 35
        case .slapBass: 36
        case .synthBass: 38
        case .synthBass2: 39
        case .bass808: 38
        case .strings: 48
        case .slowStrings: 49
        case .violin: 40
        case .viola: 41
        case .cello: 42
        case .contrabass: 43
        case .pizzicatoStrings: 45
        case .harp: 46
        case .timpani: 47
        case .choir: 52
        case .trumpet: 56
        case .trombone: 57
        case .frenchHorn: 60
        case .tuba: 58
        case .brassSection: 61
        case .saxophone: 65
        case .altoSax: 65
        case .tenorSax: 66
        case .flute: 73
        case .clarinet: 71
        case .oboe: 68
        case .panFlute: 75
        case .synthLead: 81
        case .sawLead: 81
        case .squareLead: 80
        case .synthPad: 88
        case .warmPad: 89
        case .polySynth: 90
        case .haloPad: 94
        case .synthStrings: 50
        case .synthBrass: 62
        case .steelDrums: 114
        case .banjo: 105
        case .accordion: 21
        case .harmonica: 22
        case .sitar: 104
        case .kalimba: 108
        case .drumKit: 0
        case .roomKit: 8
        case .electronicKit: 24
        case .jazzKit: 32
        case .orchestraKit: 48
        }
    }

    public var isDrumKit: Bool {
        switch self {
        case .drumKit, .electronicKit, .jazzKit, .orchestraKit, .roomKit: true
        default: false
        }
    }

    /// A readable name for summaries and song sheets ("electric piano").
    public var displayName: String {
        rawValue.reduce(into: "") { name, character in
            if character.isUppercase { name += " " + character.lowercased() } else { name.append(character) }
        }
        .replacingOccurrences(of: "808", with: " 808")
    }
}
