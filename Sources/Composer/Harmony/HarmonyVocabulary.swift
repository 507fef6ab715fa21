import SongBrief
/// The chord progressions a genre draws on, for major and minor keys. Verse and chorus pools start on the
/// tonic (the key must be unmistakable); bridges start away from it and lean back to the dominant.
/// Cadences replace the last bars of a section: a half cadence before a new section, a full one at the end
/// of choruses, the final one in the outro.
struct HarmonyVocabulary: Sendable {
    struct Tonality: Sendable {
        var verses: [String]
        var choruses: [String]
        var bridges: [String]
        /// Last bar of a verse, pre-chorus or bridge (leads on).
        var halfCadence: String
        /// Last two bars of a chorus and of the outro (lands on the tonic).
        var fullCadence: String
    }

    var major: Tonality
    var minor: Tonality
    /// Progressions that already end with their own turnaround (the 12-bar blues) keep it.
    var keepsOwnTurnaround = false

    func tonality(minor isMinor: Bool) -> Tonality { isMinor ? minor : major }

    static func forGenre(_ genre: Genre) -> HarmonyVocabulary {
        switch genre {
        case .pop, .indie, .chiptune: pop
        case .rock: rock
        case .country, .folk: country
        case .synthwave: synthwave
        case .house, .disco: house
        case .techno: techno
        case .hipHop, .lofi: lofi
        case .trap, .dubstep, .drumAndBass: trap
        case .jazz: jazz
        case .blues: blues
        case .funk, .afrobeat: funk
        case .rnb: rnb
        case .gospel: gospel
        case .reggae: reggae
        case .latin: bossa
        case .orchestral: orchestral
        case .ambient: ambient
        case .metal: metal
        }
    }

    static let pop = HarmonyVocabulary(
        major: .init(
            verses: ["I V vi IV", "I vi IV V", "I IV vi V", "I iii IV V"],
            choruses: ["I V vi IV", "I IV I V", "I vi IV V", "I IV vi V"],
            bridges: ["vi IV I V", "IV V vi V", "ii IV vi V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i bVI bVII i", "i iv bVI V", "i bVII bVI bVII", "i i bVI bVII"],
            choruses: ["i bVI bIII bVII", "i iv bVII i", "i bVI iv V", "i bVII bVI V"],
            bridges: ["bVI bVII iv V", "iv bVI bVII V", "bVI bIII bVII V"],
            halfCadence: "V", fullCadence: "V i"))

    static let rock = HarmonyVocabulary(
        major: .init(
            verses: ["I bVII IV I", "I IV V IV", "I V IV IV", "I I IV V"],
            choruses: ["I IV V I", "I V IV V", "I bVII IV V", "I IV I V"],
            bridges: ["IV V vi V", "vi IV V V", "IV IV V V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i bVII bVI bVII", "i iv bVII i", "i i bVI bVII", "i bIII bVII iv"],
            choruses: ["i bVI bVII i", "i iv bVI V", "i bVII iv i", "i bVI bIII bVII"],
            bridges: ["bVI bVII bVI V", "iv bVI bVII V", "bIII bVII iv V"],
            halfCadence: "V", fullCadence: "bVII i"))

    static let country = HarmonyVocabulary(
        major: .init(
            verses: ["I IV V I", "I I IV V", "I IV I V", "I vi IV V"],
            choruses: ["IV I V I", "I IV V IV", "I V IV I", "I vi IV V"],
            bridges: ["IV V vi V", "vi IV I V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i iv bVII i", "i bVII bVI bVII", "i iv i V"],
            choruses: ["i bVI bVII i", "i iv V i", "i bVII iv V"],
            bridges: ["bVI bVII iv V", "iv i bVI V"],
            halfCadence: "V", fullCadence: "V i"))

    static let synthwave = HarmonyVocabulary(
        major: .init(
            verses: ["I V vi IV", "I bVII IV I", "I iii IV V"],
            choruses: ["I IV vi V", "I V IV IV", "I bVII IV V"],
            bridges: ["vi IV V V", "IV V vi V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i bVI bVII i", "i bVII bVI bVII", "i iv bVI bVII", "i i bVI bVII"],
            choruses: ["i bVI bIII bVII", "i bVI iv V", "i bVII bVI V", "i iv bVII i"],
            bridges: ["bVI bVII iv V", "iv bVI bVII V"],
            halfCadence: "V", fullCadence: "bVII i"))

    static let house = HarmonyVocabulary(
        major: .init(
            verses: ["Imaj7 ii7 iii7 ii7", "Imaj7 IVmaj7 Imaj7 V7", "I vi ii V"],
            choruses: ["Imaj7 vi7 ii7 V7", "Imaj7 IVmaj7 iii7 V7", "I IV vi V"],
            bridges: ["IVmaj7 iii7 ii7 V7", "vi7 IVmaj7 ii7 V7"],
            halfCadence: "V7", fullCadence: "V7 Imaj7"),
        minor: .init(
            verses: ["i7 i7 iv7 iv7", "i7 iv7 i7 bVII7", "i9 bVImaj7 i9 bVII"],
            choruses: ["i7 iv7 bVImaj7 bVII", "i9 iv9 i9 V7", "i7 bVImaj7 iv7 V7"],
            bridges: ["bVImaj7 bVII iv7 V7", "iv7 bVII7 bVImaj7 V7"],
            halfCadence: "V7", fullCadence: "V7 i7"))

    static let techno = HarmonyVocabulary(
        major: .init(
            verses: ["I I IV IV", "I I bVII I", "I IV I V"],
            choruses: ["I IV V I", "I bVII IV I", "I IV vi V"],
            bridges: ["IV IV V V", "vi vi V V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i i i bVII", "i i iv i", "i7 i7 bVI i7"],
            choruses: ["i bVI bVII i", "i iv i V", "i7 iv7 bVII i7"],
            bridges: ["bVI bVI bVII V", "iv iv bVII V"],
            halfCadence: "V", fullCadence: "bVII i"))

    static let lofi = HarmonyVocabulary(
        major: .init(
            verses: ["Imaj7 vi9 ii9 V9", "Imaj9 IVmaj7 iii7 vi7", "Imaj7 iii7 IVmaj7 V9"],
            choruses: ["Imaj9 IVmaj7 ii9 V7", "Imaj7 vi7 IVmaj7 V9", "Imaj9 ii9 iii7 IVmaj7"],
            bridges: ["IVmaj7 iii7 ii9 V7", "vi9 IVmaj7 ii9 V9"],
            halfCadence: "V9", fullCadence: "ii9-V7 Imaj9"),
        minor: .init(
            verses: ["i9 iv9 bVImaj7 V7", "i7 iv7 i7 bVImaj7", "i9 bVImaj7 iv9 V7"],
            choruses: ["i9 iv9 bVIImaj7 V7", "i7 bVImaj7 iv9 V7", "i9 iv7 bVImaj7 V7"],
            bridges: ["bVImaj7 iv9 iih7 V7", "iv9 bVII9 bVImaj7 V7"],
            halfCadence: "V7", fullCadence: "iih7-V7 i9"))

    static let trap = HarmonyVocabulary(
        major: .init(
            verses: ["I vi I IV", "I IV I V", "I vi IV V"],
            choruses: ["I IV vi V", "I V vi IV", "I iii IV V"],
            bridges: ["vi IV V V", "IV IV V V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i bVI i bVII", "i i bVI bVII", "i bII i bVII", "i iv i bVI"],
            choruses: ["i bVI iv V", "i iv bVI bVII", "i bVI bVII i", "i bII bVI V"],
            bridges: ["bVI bVI bVII V", "iv bVI bVII V"],
            halfCadence: "V", fullCadence: "bVII i"))

    static let jazz = HarmonyVocabulary(
        major: .init(
            verses: ["Imaj7 I6 ii7 V7", "Imaj9 Imaj7 ii7 V9", "Imaj7 IVmaj7 ii7 V7"],
            choruses: ["Imaj7 IV7 iii7-vi7 ii7-V7", "Imaj7 I6 ii9 V13", "Imaj9 IVmaj7 ii7-V7 Imaj7"],
            bridges: ["iii7 vi7 ii7 V7", "IVmaj7 iv7 iii7-vi7 ii7-V7", "ii7 V7 IVmaj7 V7"],
            halfCadence: "ii7-V7", fullCadence: "ii7-V7 Imaj7"),
        minor: .init(
            verses: ["i7 iv7 iih7 V7", "i9 i6 iih7 V7", "i7 bVImaj7 iih7 V7"],
            choruses: ["i7 bVImaj7 iih7 V7", "i9 iv9 iih7 V7", "i7 i6 iih7 V7"],
            bridges: ["iv7 bVII7 bIIImaj7 V7", "bVImaj7 iih7 iv7 V7"],
            halfCadence: "iih7-V7", fullCadence: "iih7-V7 i7"))

    static let blues = HarmonyVocabulary(
        major: .init(
            verses: ["I7 I7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7"],
            choruses: ["I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7"],
            bridges: ["IV7 IV7 I7 I7 IV7 IV7 V7 V7"],
            halfCadence: "V7", fullCadence: "V7 I7"),
        minor: .init(
            verses: ["i7 i7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7"],
            choruses: ["i7 iv7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7"],
            bridges: ["iv7 iv7 i7 i7 iv7 iv7 V7 V7"],
            halfCadence: "V7", fullCadence: "V7 i7"),
        keepsOwnTurnaround: true)

    static let funk = HarmonyVocabulary(
        major: .init(
            verses: ["Iadd9 IVmaj7 Iadd9 V9", "I6 ii7 I6 V9", "Iadd9 Iadd9 IVmaj7 V9"],
            choruses: ["Iadd9 IVmaj7 vi7 V9", "I6 IVmaj7 ii7 V9", "Iadd9 vi7 IVmaj7 V9"],
            bridges: ["IVmaj7 V9 iii7 vi7", "ii7 V9 ii7 V9"],
            halfCadence: "V9", fullCadence: "V9 Iadd9"),
        minor: .init(
            verses: ["i7 i7 iv7 i7", "i7 IV7 i7 IV7", "i9 i9 iv9 i9"],
            choruses: ["i7 iv7 bVII7 i7", "i9 iv9 i9 V7", "i7 bVI7 bVII7 i7"],
            bridges: ["iv7 iv7 V7 V7", "bVI7 bVII7 iv7 V7"],
            halfCadence: "V7", fullCadence: "V7 i7"))

    static let rnb = HarmonyVocabulary(
        major: .init(
            verses: ["Imaj9 vi9 ii9 V9", "Imaj7 iii7 vi7 IVmaj7", "Imaj9 IVmaj7 iii7 V7"],
            choruses: ["Imaj7 IVmaj7 iii7 vi7", "Imaj9 vi7 IVmaj7 V9", "Imaj7 ii9 IVmaj7 V7"],
            bridges: ["IVmaj7 iii7 ii9 V7", "vi9 ii9 IVmaj7 V9"],
            halfCadence: "V9", fullCadence: "ii9-V9 Imaj9"),
        minor: .init(
            verses: ["i9 iv9 bVImaj7 V7", "i7 bVImaj7 iv9 V7", "i9 i9 iv9 bVImaj7"],
            choruses: ["i9 bVImaj7 iv9 V7", "i7 iv7 bVIImaj7 V7", "i9 iv9 i9 V7"],
            bridges: ["bVImaj7 iv9 iih7 V7", "iv9 bVImaj7 iih7 V7"],
            halfCadence: "V7", fullCadence: "iih7-V7 i9"))

    static let gospel = HarmonyVocabulary(
        major: .init(
            verses: ["I vi ii V", "I I7 IV iv", "I IV I V"],
            choruses: ["I IV I V", "IV V iii vi", "I iii IV V"],
            bridges: ["IV V iii vi", "ii7 V7 IV V"],
            halfCadence: "V", fullCadence: "IV-V I"),
        minor: .init(
            verses: ["i iv i V", "i bVI iv V", "i7 iv7 bVII7 i"],
            choruses: ["i iv bVII i", "i bVI bVII i", "i iv V i"],
            bridges: ["iv bVII bIII V", "bVI bVII iv V"],
            halfCadence: "V", fullCadence: "iv-V i"))

    static let reggae = HarmonyVocabulary(
        major: .init(
            verses: ["I IV I V", "I IV V IV", "I I IV IV"],
            choruses: ["I vi IV V", "I V IV I", "I IV I V"],
            bridges: ["IV V vi V", "ii V IV V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i iv i V", "i i iv iv", "i bVII i bVII"],
            choruses: ["i iv bVII i", "i bVI bVII i", "i iv V i"],
            bridges: ["bVI bVII iv V", "iv iv bVII V"],
            halfCadence: "V", fullCadence: "V i"))

    static let bossa = HarmonyVocabulary(
        major: .init(
            verses: ["Imaj7 vi7 ii9 V7", "Imaj9 I6 ii7 V7", "Imaj7 Imaj7 ii7 V7"],
            choruses: ["Imaj7 IVmaj7 iii7-vi7 ii7-V7", "Imaj9 vi7 ii7 V13", "Imaj7 I6 IVmaj7 V7"],
            bridges: ["IVmaj7 iv7 iii7 vi7", "ii7 V7 iii7 vi7"],
            halfCadence: "ii7-V7", fullCadence: "ii7-V7 Imaj7"),
        minor: .init(
            verses: ["i7 iv7 iih7 V7", "i9 bVImaj7 iih7 V7", "i7 i7 iv7 V7"],
            choruses: ["i7 iv7 bVImaj7 V7", "i9 iv9 iih7 V7", "i7 bVImaj7 iv7 V7"],
            bridges: ["iv7 bVII7 bIIImaj7 V7", "bVImaj7 iih7 iv7 V7"],
            halfCadence: "iih7-V7", fullCadence: "iih7-V7 i7"))

    static let orchestral = HarmonyVocabulary(
        major: .init(
            verses: ["I V vi IV", "I IV vi V", "I iii IV V"],
            choruses: ["I IV I V", "I V vi IV", "I vi IV V"],
            bridges: ["vi IV ii V", "IV V iii vi"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i bVI iv V", "i iv bVI V", "i bVII bVI V"],
            choruses: ["i bVI bIII bVII", "i bVI bVII i", "i iv bVII i"],
            bridges: ["bVI bVII iv V", "bIII bVII bVI V"],
            halfCadence: "V", fullCadence: "V i"))

    static let ambient = HarmonyVocabulary(
        major: .init(
            verses: ["Iadd9 Iadd9 IVmaj7 IVmaj7", "Iadd9 vi7 IVmaj7 Iadd9", "Imaj7 Imaj7 IVadd9 V"],
            choruses: ["Iadd9 IVmaj7 vi7 IVmaj7", "Imaj7 IVadd9 Imaj7 V", "Iadd9 V vi7 IVmaj7"],
            bridges: ["IVmaj7 IVmaj7 vi7 V", "vi7 IVmaj7 ii7 V"],
            halfCadence: "V", fullCadence: "Vsus4 Iadd9"),
        minor: .init(
            verses: ["i9 i9 bVImaj7 bVImaj7", "i9 iv9 i9 bVImaj7", "i9 i9 iv9 V"],
            choruses: ["i9 bVImaj7 iv9 i9", "i9 iv9 bVImaj7 V", "i9 bVImaj7 bVII i9"],
            bridges: ["bVImaj7 bVImaj7 iv9 V", "iv9 bVImaj7 bVII V"],
            halfCadence: "V", fullCadence: "V i9"))

    /// Metal progressions are written as triads so the melody knows the third; the guitars voice them as
    /// power chords.
    static let metal = HarmonyVocabulary(
        major: .init(
            verses: ["I IV V I", "I V IV I", "I I IV V"],
            choruses: ["I V vi IV", "I IV I V", "I IV V IV"],
            bridges: ["IV V vi V", "vi IV V V"],
            halfCadence: "V", fullCadence: "V I"),
        minor: .init(
            verses: ["i i bVI bVII", "i bII i bVII", "i bVI bVII i", "i iv i V"],
            choruses: ["i bVI bVII i", "i iv bVII i", "i bVI iv V", "i i bVI V"],
            bridges: ["bVI bVII bVI V", "bII bII bVII V", "iv bVI bVII V"],
            halfCadence: "V", fullCadence: "bVII i"))
}
