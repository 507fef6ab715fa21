import MusicTheory
import SongBrief

/// The energy a section of the form gets: how hard and how full the band plays in it, and where its level
/// sits in the mix. Produced songs breathe: a sparse intro, verses below the chorus, a pre-chorus that builds
/// into it, the chorus fullest, a bridge or breakdown that drops, a last chorus that lifts further and an
/// outro that settles. The arranger plays the intensity (which parts, drum density, velocity and so the
/// SoundFont's brightness, octave doublings); the renderer applies the level to the whole mix before
/// mastering, so the contrast survives loudness normalisation (mastering moves the song as a whole).
public struct SectionDynamics: Sendable, Hashable, Codable {
    /// How hard and how full the band plays.
    public enum Intensity: Int, Sendable, Hashable, Codable, Comparable {
        case sparse, normal, full, lifted

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var intensity: Intensity
    /// Mix level at the section's start, in dB relative to a chorus.
    public var startLevelDB: Double
    /// Mix level at the section's end: above the start when it builds (a pre-chorus), below when it settles
    /// (an outro); the level moves linearly between them.
    public var endLevelDB: Double

    public init(intensity: Intensity, startLevelDB: Double, endLevelDB: Double) {
        self.intensity = intensity
        self.startLevelDB = startLevelDB
        self.endLevelDB = endLevelDB
    }

    /// The dynamics of every section of `sections`, in order. Pure: the same form and brief give the same plan.
    /// - A chorus is the reference (0 dB, full); when a song has two or more, the last one lifts (+1.5 dB and
    ///   the extra doublings of `.lifted`).
    /// - Verses sit 3 dB below, an intro 6 dB below and sparse, a bridge or breakdown 5.5 dB below and sparse.
    /// - A pre-chorus starts at the verse's level and climbs to 1 dB below the chorus.
    /// - The outro starts 3 dB below a chorus and settles 3 dB further while the final chord resolves.
    /// - A slow build ("builds slowly") starts everything up to 4 dB lower and rises with the song's progress;
    ///   a sparse, minimal arrangement keeps the first verse sparse too.
    public static func plan(_ sections: [Section], brief: Brief) -> [SectionDynamics] {
        let choruses = sections.indices.filter { sections[$0].kind == .chorus }
        let lastChorus = choruses.count >= 2 ? choruses.last : nil
        let firstVerse = sections.firstIndex { $0.kind == .verse }
        let totalBars = max(sections.last.map { $0.startBar + $0.bars } ?? 1, 1)
        let minimal = brief.density <= 0.3
        return sections.indices.map { index in
            let section = sections[index]
            var plan: SectionDynamics = switch section.kind {
            case .intro: SectionDynamics(intensity: .sparse, startLevelDB: -6, endLevelDB: -6)
            case .verse: SectionDynamics(intensity: .normal, startLevelDB: -3, endLevelDB: -3)
            case .preChorus: SectionDynamics(intensity: .normal, startLevelDB: -3, endLevelDB: -1)
            case .chorus:
                index == lastChorus
                    ? SectionDynamics(intensity: .lifted, startLevelDB: 1.5, endLevelDB: 1.5)
                    : SectionDynamics(intensity: .full, startLevelDB: 0, endLevelDB: 0)
            case .postChorus, .solo: SectionDynamics(intensity: .full, startLevelDB: -1, endLevelDB: -1)
            case .bridge, .breakdown: SectionDynamics(intensity: .sparse, startLevelDB: -5.5, endLevelDB: -5.5)
            case .outro: SectionDynamics(intensity: .normal, startLevelDB: -3, endLevelDB: -6)
            }
            if minimal, index == firstVerse { plan.intensity = .sparse }
            if brief.dynamicArc == .slowBuild {
                // Up to 4 dB lower at the start, rising to the plan's level by the song's end.
                let start = Double(section.startBar) / Double(totalBars)
                let end = Double(section.startBar + section.bars) / Double(totalBars)
                plan.startLevelDB -= 4 * (1 - start)
                plan.endLevelDB -= 4 * (1 - end)
                if start < 0.3, plan.intensity > .normal { plan.intensity = .normal }
            }
            return plan
        }
    }
}

extension Score {
    /// The dynamics of each of `sections`, in order (see `SectionDynamics.plan`).
    public var dynamics: [SectionDynamics] { SectionDynamics.plan(sections, brief: brief) }
}
