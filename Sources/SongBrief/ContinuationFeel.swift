/// How a continuation's prompt (`music/extend`) moves the band from where the song was: its mood and
/// descriptor words nudge the song's own energy and density, the way they nudge a genre's for a new song
/// ("calmer" lowers a metal song's energy from where it stood). Key, tempo, meter, instruments, voice and seed
/// are the song's and stay: the continuation is the same song.
public struct ContinuationFeel: Sendable, Hashable, Codable {
    /// The prompt's mood words, in order.
    public var moods: [Mood]
    public var energy: Double
    public var density: Double

    public init(moods: [Mood], energy: Double, density: Double) {
        self.moods = moods
        self.energy = energy
        self.density = density
    }

    /// The song's brief with this feel.
    public func applied(to brief: Brief) -> Brief {
        var brief = brief
        if !moods.isEmpty { brief.moods = moods }
        brief.energy = energy
        brief.density = density
        return brief
    }
}

extension PromptParser {
    /// The feel a continuation's prompt asks for, starting from the song's `brief`; nil when the prompt has no
    /// mood or descriptor word (the band then plays on as it did).
    public func continuationFeel(for prompt: String, continuing brief: Brief) -> ContinuationFeel? {
        let tokens = PromptTokens.tokenize(prompt)
        let moods = Self.moods(in: tokens)
        let nudges = moods.map { MoodProfile.profile(for: $0).nudge } + Self.descriptorNudges(in: tokens)
        guard !nudges.isEmpty else { return nil }
        return ContinuationFeel(
            moods: moods, energy: Self.nudged(brief.energy, by: nudges.map(\.energy)),
            density: Self.nudged(brief.density, by: nudges.map(\.density)))
    }
}
