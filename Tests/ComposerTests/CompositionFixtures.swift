import MusicTheory
import SongBrief

/// Briefs made by hand for the composer tests: each genre with a typical tempo, key and band, the way the
/// prompt parser would fill them in.
enum Fixtures {
    static func brief(
        _ genre: Genre, key: Key? = nil, meter: Meter = .fourFour, bpm: Int? = nil, seconds: Double = 180,
        requested: Bool = false, seed: UInt64 = 7, instruments: [InstrumentChoice]? = nil
    ) -> Brief {
        let (tempo, defaultKey, band) = typical(genre)
        return Brief(
            prompt: "a \(genre.displayName) song about neon lights in the city at night", genre: genre, moods: [],
            bpm: bpm ?? tempo, key: key ?? defaultKey, meter: meter, density: 0.6, brightness: 0.5, energy: 0.6,
            registerShift: 0, instruments: instruments ?? band, requestedInstruments: [],
            targetSeconds: seconds, lengthWasRequested: requested, tempoWasRequested: bpm != nil,
            keyWasRequested: key != nil, meterWasRequested: meter != .fourFour, seed: seed)
    }

    static func typical(_ genre: Genre) -> (bpm: Int, key: Key, band: [InstrumentChoice]) {
        let drums = InstrumentChoice(.drumKit, .drums)
        let electronic = InstrumentChoice(.electronicKit, .drums)
        switch genre {
        case .pop, .indie, .chiptune:
            return (112, Key(.c, .major), [drums, .init(.fingerBass, .bass), .init(.acousticPiano, .chords),
                                           .init(.synthLead, .lead), .init(.warmPad, .pad)])
        case .rock, .metal:
            return (genre == .metal ? 150 : 128, Key(.e, .minor),
                    [drums, .init(.pickBass, .bass), .init(.distortionGuitar, .chords), .init(.overdrivenGuitar, .lead)])
        case .synthwave, .drumAndBass, .dubstep, .techno, .house, .trap:
            let tempo = [Genre.synthwave: 100, .drumAndBass: 174, .dubstep: 140, .techno: 130, .house: 124, .trap: 140][genre] ?? 120
            return (tempo, Key(.a, .minor), [electronic, .init(genre == .trap ? .bass808 : .synthBass, .bass),
                                             .init(.polySynth, .chords), .init(.sawLead, .lead), .init(.synthPad, .pad),
                                             .init(.synthStrings, .arpeggio)])
        case .hipHop, .lofi, .rnb:
            return (genre == .lofi ? 80 : 90, Key(.d, .minor), [drums, .init(.fingerBass, .bass), .init(.rhodes, .chords),
                                                                .init(.vibraphone, .lead)])
        case .jazz, .blues:
            return (genre == .jazz ? 140 : 96, Key(.f, .major), [.init(.jazzKit, .drums), .init(.acousticBass, .bass),
                                                                 .init(.acousticPiano, .chords), .init(.tenorSax, .lead)])
        case .funk, .afrobeat, .disco:
            return (genre == .disco ? 120 : 104, Key(.e, .minor), [drums, .init(.slapBass, .bass),
                                                                   .init(.cleanElectricGuitar, .chords),
                                                                   .init(.brassSection, .brass), .init(.altoSax, .lead),
                                                                   .init(.drumKit, .percussion)])
        case .country, .folk, .gospel:
            return (genre == .gospel ? 76 : 104, Key(.g, .major), [drums, .init(.acousticBass, .bass),
                                                                   .init(.acousticGuitar, .chords), .init(.harmonica, .lead),
                                                                   .init(.organ, .pad)])
        case .reggae:
            return (76, Key(.g, .major), [drums, .init(.fingerBass, .bass), .init(.cleanElectricGuitar, .chords),
                                          .init(.organ, .pad), .init(.trumpet, .lead)])
        case .latin:
            return (128, Key(.d, .minor), [.init(.jazzKit, .drums), .init(.acousticBass, .bass),
                                           .init(.nylonGuitar, .chords), .init(.flute, .lead), .init(.drumKit, .percussion)])
        case .orchestral:
            return (90, Key(.d, .minor), [.init(.orchestraKit, .drums), .init(.contrabass, .bass),
                                          .init(.strings, .strings), .init(.frenchHorn, .brass), .init(.violin, .lead),
                                          .init(.choir, .pad)])
        case .ambient:
            return (70, Key(.e, .major), [.init(.haloPad, .pad), .init(.synthBass, .bass), .init(.celesta, .arpeggio),
                                          .init(.flute, .lead)])
        }
    }

    /// The 24 major and minor keys.
    static let allKeys: [Key] = (0..<12).flatMap { [Key(PitchClass($0), .major), Key(PitchClass($0), .minor)] }
}
