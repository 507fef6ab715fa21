/// The kind of a section of a song's form.
public enum SectionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case intro, verse, preChorus, chorus, postChorus, bridge, breakdown, solo, outro

    /// The section's name in labels and song sheets ("Pre-Chorus").
    public var displayName: String {
        switch self {
        case .intro: "Intro"
        case .verse: "Verse"
        case .preChorus: "Pre-Chorus"
        case .chorus: "Chorus"
        case .postChorus: "Post-Chorus"
        case .bridge: "Bridge"
        case .breakdown: "Breakdown"
        case .solo: "Solo"
        case .outro: "Outro"
        }
    }
}
