import MusicTheory
import SongBrief

/// A note in a score: exact start and length in quarter notes from the start of the song.
public struct Note: Sendable, Hashable, Codable {
    public var start: Rational
    public var duration: Rational
    public var pitch: Pitch
    /// MIDI velocity 1...127 as written (the performer humanises it).
    public var velocity: Int

    public init(start: Rational, duration: Rational, pitch: Pitch, velocity: Int) {
        self.start = start
        self.duration = duration
        self.pitch = pitch
        self.velocity = velocity
    }

    public var end: Rational { start + duration }
}

/// One instrument's line in the score.
public struct Part: Sendable, Hashable, Codable {
    /// Short, file-name-safe name, unique within the score ("drums", "bass", "piano", "lead").
    public var name: String
    public var instrument: Instrument
    public var role: PartRole
    public var notes: [Note]
    /// Mix intent decided by the arranger; the mixer applies it.
    public var mix: PartMix

    public init(name: String, instrument: Instrument, role: PartRole, notes: [Note], mix: PartMix) {
        self.name = name
        self.instrument = instrument
        self.role = role
        self.notes = notes
        self.mix = mix
    }
}

/// How a part sits in the mix.
public struct PartMix: Sendable, Hashable, Codable {
    /// Gain in dB relative to unity before mastering.
    public var gainDB: Double
    /// -1 (left) ... 0 (centre) ... 1 (right).
    public var pan: Double
    /// 0 ... 1: how much of the part goes to the shared reverb.
    public var reverb: Double
    /// 0 ... 1: how bright the part should sound (low-pass cutoff / EQ tilt).
    public var brightness: Double

    public init(gainDB: Double = 0, pan: Double = 0, reverb: Double = 0.2, brightness: Double = 0.5) {
        self.gainDB = gainDB
        self.pan = pan
        self.reverb = reverb
        self.brightness = brightness
    }
}

/// A named section of the form: "Verse 2", 8 bars from bar 17.
public struct Section: Sendable, Hashable, Codable {
    public var kind: SectionKind
    /// Readable label, numbered when the kind repeats ("Chorus 2").
    public var label: String
    /// First bar (0-based) and length in bars.
    public var startBar: Int
    public var bars: Int

    public init(kind: SectionKind, label: String, startBar: Int, bars: Int) {
        self.kind = kind
        self.label = label
        self.startBar = startBar
        self.bars = bars
    }
}

/// A chord held over a span of the score.
public struct ChordSpan: Sendable, Hashable, Codable {
    public var start: Rational
    public var duration: Rational
    public var chord: Chord

    public init(start: Rational, duration: Rational, chord: Chord) {
        self.start = start
        self.duration = duration
        self.chord = chord
    }
}

/// The composed song in exact musical time: form, harmony and every part's notes. Composing produces a
/// Score; performing turns it into timed events; rendering turns those into audio.
public struct Score: Sendable, Hashable, Codable {
    public var brief: Brief
    public var title: String
    public var sections: [Section]
    public var chords: [ChordSpan]
    public var parts: [Part]
    /// Total length in quarter notes, up to the end of the last bar (the final chord may ring past it).
    public var length: Rational
    /// The sung line with its syllables, in exact time; nil for instrumentals. Its notes are also in `parts`
    /// (role `.vocal`, for MIDI export); the performer hands them to the singing voice, not to FluidSynth.
    public var vocal: VocalLine? = nil

    public init(brief: Brief, title: String, sections: [Section], chords: [ChordSpan], parts: [Part], length: Rational) {
        self.brief = brief
        self.title = title
        self.sections = sections
        self.chords = chords
        self.parts = parts
        self.length = length
    }

    public var bpm: Int { brief.bpm }
    public var key: Key { brief.key }
    public var meter: Meter { brief.meter }

    /// Seconds from the start of the song at a score time given in quarter notes (tempo is constant).
    public func seconds(at quarters: Rational) -> Double { quarters.doubleValue * 60.0 / Double(brief.bpm) }

    /// Score time (quarter notes) where bar `bar` (0-based) starts.
    public func start(ofBar bar: Int) -> Rational { meter.barLength * bar }

    public var bars: Int { sections.last.map { $0.startBar + $0.bars } ?? 0 }
    public var durationSeconds: Double { seconds(at: length) }
}
