import MusicTheory
import SongBrief

/// Turns the brief's instruments into the score's parts: each `InstrumentChoice` becomes a part that plays
/// its role in the sections where that role belongs (leads rest in intros and breakdowns, pads and strings
/// join for choruses, everything thins out for the bridge), with mix intent that keeps the lead clear.
struct Arranger {
    let context: SongContext
    let melody: [Note]

    func parts() -> [Part] {
        var choices = context.brief.instruments
        if choices.isEmpty { choices = Self.defaultInstruments(for: context.brief.genre) }
        // Every song keeps an audible pulse: add a kit when the arrangement has none, unless the prompt ruled
        // drums out (then the comping and bass carry the beat).
        if !context.brief.excludesDrums,
           !choices.contains(where: { $0.role == .drums || ($0.role == .percussion && $0.instrument.isDrumKit) }) {
            choices.append(InstrumentChoice(Self.kit(for: context.brief.genre), .drums))
        }
        var usedNames: [String: Int] = [:]
        var roleCounts: [PartRole: Int] = [:]
        var parts: [Part] = []
        for choice in choices {
            let index = roleCounts[choice.role, default: 0]
            roleCounts[choice.role] = index + 1
            let base = Self.baseName(for: choice)
            let count = usedNames[base, default: 0] + 1
            usedNames[base] = count
            let name = count == 1 ? base : "\(base)\(count)"
            let notes = write(choice, index: index).sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
            parts.append(Part(name: name, instrument: choice.instrument, role: choice.role, notes: notes,
                              mix: mix(for: choice.role, index: index)))
        }
        return parts
    }

    private func write(_ choice: InstrumentChoice, index: Int) -> [Note] {
        let comping = Comping(context: context)
        let shift = context.brief.registerShift / 2
        let kinds = { (allowed: Set<SectionKind>) in { (section: Section) in allowed.contains(section.kind) } }
        let everywhere = { (_: Section) in true }
        switch choice.role {
        case .lead, .vocal:
            let leads = context.brief.instruments.filter { $0.role == .lead || $0.role == .vocal }.count
            if index == 0 {
                let rests: Set<SectionKind> = leads > 1 ? [.bridge, .solo] : []
                return melody(for: choice.instrument, in: { !rests.contains($0.kind) })
            }
            // A second lead takes the bridge and doubles the chorus an octave below.
            return melody(for: choice.instrument, in: kinds([.bridge, .solo, .chorus, .outro])).map { note in
                guard let section = context.section(atBar: (note.start / context.barLength).floor),
                      section.kind == .chorus || section.kind == .outro else { return note }
                var lower = note
                lower.pitch = note.pitch - .octave
                lower.velocity = max(note.velocity - 12, 1)
                return lower
            }
        case .counterMelody:
            return counterMelody(plays: kinds([.chorus, .bridge, .solo, .outro, .preChorus]))
        case .chords:
            let range = Self.compRange(choice.instrument, shift: shift)
            if context.style.comp == .arpeggio { return comping.arpeggio(range: range, plays: everywhere) }
            return comping.comp(instrument: choice.instrument, style: context.style.comp, range: range, plays: everywhere)
        case .pad:
            let dense = context.brief.density >= 0.5
            return comping.sustained(range: (50 + shift)...(74 + shift), baseVelocity: 58,
                                     plays: { dense || $0.kind != .verse })
        case .arpeggio:
            return comping.arpeggio(range: (60 + shift)...(79 + shift), plays: everywhere)
        case .strings:
            if context.style.orchestralStrings {
                return comping.ostinato(range: 43...55, plays: everywhere)
            }
            return comping.sustained(range: (55 + shift)...(81 + shift), baseVelocity: 62,
                                     plays: kinds([.preChorus, .chorus, .bridge, .breakdown, .solo, .outro]))
        case .brass:
            let plays = kinds([.chorus, .bridge, .solo, .outro])
            if context.style.orchestralStrings {
                return comping.sustained(range: (53 + shift)...(77 + shift), baseVelocity: 70, plays: plays)
            }
            return comping.comp(instrument: choice.instrument, style: .jazz, range: (53 + shift)...(77 + shift), plays: plays)
        case .bass:
            return BassLine(context: context).notes()
        case .drums:
            return DrumPart(context: context).drums()
        case .percussion:
            if choice.instrument.isDrumKit { return DrumPart(context: context).percussion() }
            return comping.arpeggio(range: (60 + shift)...(79 + shift), plays: { $0.kind != .intro })
        }
    }

    /// The melody transposed into the instrument's register, in the sections where it plays.
    private func melody(for instrument: Instrument, in plays: (Section) -> Bool) -> [Note] {
        let writerCentre = MelodyWriter.centre(for: instrument, style: context.style)
        let defaultCentre = MelodyWriter.centre(for: nil, style: context.style)
        let octaves = Interval(writerCentre - defaultCentre).nearestOctaveCount
        return melody.compactMap { note in
            guard let section = context.section(atBar: (note.start / context.barLength).floor), plays(section)
            else { return nil }
            var moved = note
            moved.pitch = note.pitch + .octave * octaves
            return moved
        }
    }

    /// A slower line under the lead: chord thirds and fifths on half bars, moving to the nearest tone.
    private func counterMelody(plays: (Section) -> Bool) -> [Note] {
        let centre = MelodyWriter.centre(for: nil, style: context.style) + context.brief.registerShift - .perfectFifth
        var previous = centre
        var notes: [Note] = []
        let half = context.meter.isCompound || context.meter.beatsPerBar % 2 == 0
            ? context.barLength / Rational(2) : context.barLength
        for section in context.sections where plays(section) {
            var time = context.start(of: section)
            while time < context.end(of: section) {
                let chord = context.harmony.chord(at: time)
                let tones = Set(chord.coreTones.dropFirst())
                let candidates = (centre - .perfectFifth...centre + .perfectFifth).filter {
                    tones.contains(PitchClass($0)) && $0 != previous
                }
                let pitch = candidates.min { abs($0 - previous) < abs($1 - previous) } ?? previous
                notes.append(Note(start: time, duration: half, pitch: Pitch(pitch),
                                  velocity: context.velocity(70, level: section.kind.level)))
                previous = pitch
                time += half
            }
        }
        return notes
    }

    private static func compRange(_ instrument: Instrument, shift: Int) -> ClosedRange<Int> {
        switch instrument {
        case .acousticGuitar, .nylonGuitar, .cleanElectricGuitar, .jazzGuitar, .mutedGuitar, .overdrivenGuitar,
             .distortionGuitar, .banjo:
            (52 + shift)...(71 + shift)
        default:
            (55 + shift)...(76 + shift)
        }
    }

    /// Mix intent by role: the lead on top and centred, accompaniment lower and spread, bass and kick centred
    /// and dry, pads and strings wide and wet.
    private func mix(for role: PartRole, index: Int) -> PartMix {
        let bright = context.brief.brightness - 0.5
        let side: Double = index % 2 == 0 ? 1 : -1
        let (gain, pan, reverb, brightness): (Double, Double, Double, Double) = switch role {
        case .lead, .vocal: (index == 0 ? 0 : -4, index == 0 ? 0 : -0.25 * side, 0.25, 0.65)
        case .counterMelody: (-6, -0.3 * side, 0.3, 0.55)
        case .chords: (-4, 0.3 * side, 0.25, 0.5)
        case .pad: (-10, 0, 0.5, 0.4)
        case .arpeggio: (-9, -0.35 * side, 0.4, 0.6)
        case .strings: (-7, 0.2 * side, 0.45, 0.5)
        case .brass: (-6, -0.2 * side, 0.3, 0.55)
        case .bass: (-3, 0, 0.05, 0.4)
        case .drums: (-2, 0, 0.12, 0.55)
        case .percussion: (-9, 0.4 * side, 0.2, 0.6)
        }
        return PartMix(gainDB: gain, pan: pan, reverb: reverb, brightness: min(max(brightness + 0.4 * bright, 0), 1))
    }

    private static func baseName(for choice: InstrumentChoice) -> String {
        switch choice.role {
        case .lead: return "lead"
        case .vocal: return "vocal"
        case .counterMelody: return "counter"
        case .pad: return "pad"
        case .arpeggio: return "arp"
        case .strings: return "strings"
        case .brass: return "brass"
        case .bass: return "bass"
        case .drums: return "drums"
        case .percussion: return "perc"
        case .chords:
            switch choice.instrument {
            case .acousticPiano, .brightPiano: return "piano"
            case .electricPiano, .rhodes: return "keys"
            case .organ, .rockOrgan: return "organ"
            case .acousticGuitar, .nylonGuitar, .cleanElectricGuitar, .jazzGuitar, .mutedGuitar, .overdrivenGuitar,
                 .distortionGuitar: return "guitar"
            case .synthLead, .sawLead, .squareLead, .synthPad, .warmPad, .polySynth, .haloPad, .synthStrings,
                 .synthBrass: return "synth"
            default: return "chords"
            }
        }
    }

    private static func kit(for genre: Genre) -> Instrument {
        switch genre {
        case .orchestral: .orchestraKit
        case .jazz, .latin: .jazzKit
        case .house, .techno, .trap, .dubstep, .drumAndBass, .synthwave, .chiptune: .electronicKit
        default: .drumKit
        }
    }

    /// Used only when a brief arrives with no instruments at all.
    static func defaultInstruments(for genre: Genre) -> [InstrumentChoice] {
        [InstrumentChoice(kit(for: genre), .drums), InstrumentChoice(.fingerBass, .bass),
         InstrumentChoice(.acousticPiano, .chords), InstrumentChoice(.warmPad, .pad),
         InstrumentChoice(.synthLead, .lead)]
    }
}
