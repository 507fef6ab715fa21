import MusicTheory
import SongBrief
import SongLyrics

/// One sung note in exact time: the note and the syllable it carries.
public struct SungSyllable: Sendable, Hashable, Codable {
    public var note: Note
    public var syllable: Syllable
    /// The written word and the syllable's place in it.
    public var word: String
    public var syllableIndex: Int
    public var syllableCount: Int
    /// A melisma: the previous note's vowel continues on this pitch.
    public var isContinuation: Bool

    public init(note: Note, syllable: Syllable, word: String, syllableIndex: Int, syllableCount: Int,
                isContinuation: Bool = false) {
        self.note = note
        self.syllable = syllable
        self.word = word
        self.syllableIndex = syllableIndex
        self.syllableCount = syllableCount
        self.isContinuation = isContinuation
    }
}

/// Where a lyric line is sung, in quarters: from its first note's start to its last note's end.
public struct SungLineSpan: Sendable, Hashable, Codable {
    public var text: String
    public var sectionLabel: String
    public var start: Rational
    public var end: Rational

    public init(text: String, sectionLabel: String, start: Rational, end: Rational) {
        self.text = text
        self.sectionLabel = sectionLabel
        self.start = start
        self.end = end
    }
}

/// The vocal part of a score: who sings, the words as sung (the lyrics' sections that made it into the form),
/// the lead's and the backing vocals' syllables, and the line spans.
public struct VocalLine: Sendable, Hashable, Codable {
    public static let leadPartName = "vocals"
    public static let backingPartName = "backing"

    public var voice: VoiceType
    public var lyrics: Lyrics
    /// Sorted by start; notes do not overlap.
    public var lead: [SungSyllable]
    /// Sorted by start (words in parentheses).
    public var backing: [SungSyllable]
    public var lines: [SungLineSpan]

    public init(voice: VoiceType, lyrics: Lyrics, lead: [SungSyllable], backing: [SungSyllable], lines: [SungLineSpan]) {
        self.voice = voice
        self.lyrics = lyrics
        self.lead = lead
        self.backing = backing
        self.lines = lines
    }

    /// The sung notes as score parts (role `.vocal`, choir program), so a MIDI file carries the melody.
    public var parts: [Part] {
        var parts = [Part(name: Self.leadPartName, instrument: .choir, role: .vocal, notes: lead.map(\.note),
                          mix: PartMix(gainDB: 0, pan: 0, reverb: 0.25, brightness: 0.6))]
        if !backing.isEmpty {
            parts.append(Part(name: Self.backingPartName, instrument: .choir, role: .vocal, notes: backing.map(\.note),
                              mix: PartMix(gainDB: -6, pan: 0, reverb: 0.35, brightness: 0.5)))
        }
        return parts
    }
}
