/// The genres the engine composes. Each has its own groove, instruments, tempo range and harmonic vocabulary
/// (see `GenreStyle`).
public enum Genre: String, Sendable, Hashable, Codable, CaseIterable {
    case pop, rock, synthwave, house, techno, drumAndBass, hipHop, trap, lofi, jazz, blues, funk, rnb, country,
        reggae, latin, orchestral, ambient, metal, disco
    case indie, folk, gospel, afrobeat, dubstep, chiptune

    /// Human name used in summaries and song sheets.
    public var displayName: String {
        switch self {
        case .pop: "pop"
        case .rock: "rock"
        case .synthwave: "synthwave"
        case .house: "house"
        case .techno: "techno"
        case .drumAndBass: "drum and bass"
        case .hipHop: "hip hop"
        case .trap: "trap"
        case .lofi: "lo-fi hip hop"
        case .jazz: "jazz"
        case .blues: "blues"
        case .funk: "funk"
        case .rnb: "R&B/soul"
        case .country: "country"
        case .reggae: "reggae"
        case .latin: "latin/bossa nova"
        case .orchestral: "orchestral/cinematic"
        case .ambient: "ambient"
        case .metal: "metal"
        case .disco: "disco"
        case .indie: "indie"
        case .folk: "folk"
        case .gospel: "gospel"
        case .afrobeat: "afrobeat"
        case .dubstep: "dubstep"
        case .chiptune: "chiptune"
        }
    }
}
