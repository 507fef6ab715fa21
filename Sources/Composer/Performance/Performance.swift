import SongBrief
/// A note as it is played: times in seconds, humanised.
public struct PerformedNote: Sendable, Hashable, Codable {
    public var start: Double
    public var duration: Double
    /// MIDI key number.
    public var key: Int
    /// MIDI velocity 1...127.
    public var velocity: Int

    public init(start: Double, duration: Double, key: Int, velocity: Int) {
        self.start = start
        self.duration = duration
        self.key = key
        self.velocity = velocity
    }
}

/// One part as played: what to render it with and every note in time order.
public struct PerformedPart: Sendable, Hashable, Codable {
    public var name: String
    public var instrument: Instrument
    public var role: PartRole
    public var mix: PartMix
    /// Sorted by `start`.
    public var notes: [PerformedNote]

    public init(name: String, instrument: Instrument, role: PartRole, mix: PartMix, notes: [PerformedNote]) {
        self.name = name
        self.instrument = instrument
        self.role = role
        self.mix = mix
        self.notes = notes
    }
}

/// The whole song as timed events, ready to render.
public struct Performance: Sendable, Hashable, Codable {
    public var parts: [PerformedPart]
    /// Length of the audio to render, in seconds, including the final ring-out.
    public var durationSeconds: Double
    /// The sung part, rendered by the singing voice rather than FluidSynth; nil for instrumentals.
    public var vocal: VocalPerformance?

    public init(parts: [PerformedPart], durationSeconds: Double, vocal: VocalPerformance? = nil) {
        self.parts = parts
        self.durationSeconds = durationSeconds
        self.vocal = vocal
    }
}
