import SongBrief
import SongLyrics
/// One syllable as it is sung: the composer decides it (in exact time, on the score), the performer converts it
/// to seconds, and the singing voice renders it. `start` is where the vowel begins (on the beat); onset
/// consonants are sung just before it.
public struct SungNote: Sendable, Hashable, Codable {
    /// Seconds from the start of the song where the vowel starts.
    public var start: Double
    /// Seconds from `start` until the syllable is released (the next note's consonants may follow at once).
    public var duration: Double
    /// MIDI key number of the sung pitch.
    public var key: Int
    /// MIDI velocity 1...127: how strongly it is sung.
    public var velocity: Int
    /// Spelling, stress and ARPAbet phonemes (lower case, festival's CMU set; empty when the word was guessed by
    /// letter-to-sound, then the voice reads `syllable.text`).
    public var syllable: Syllable
    /// The written word this syllable belongs to, and its position in it (for the voice's coarticulation and
    /// for display).
    public var word: String
    public var syllableIndex: Int
    public var syllableCount: Int
    /// A melisma: this note continues the previous note's vowel on a new pitch (no new consonants).
    public var isContinuation: Bool

    public init(
        start: Double, duration: Double, key: Int, velocity: Int, syllable: Syllable, word: String,
        syllableIndex: Int, syllableCount: Int, isContinuation: Bool = false
    ) {
        self.start = start
        self.duration = duration
        self.key = key
        self.velocity = velocity
        self.syllable = syllable
        self.word = word
        self.syllableIndex = syllableIndex
        self.syllableCount = syllableCount
        self.isContinuation = isContinuation
    }

    public var end: Double { start + duration }
}

/// A line of lyrics as sung: its text and where it starts and ends (for LRC files and the "every line is
/// voiced" check).
public struct SungLine: Sendable, Hashable, Codable {
    public var text: String
    public var sectionLabel: String
    public var start: Double
    public var end: Double

    public init(text: String, sectionLabel: String, start: Double, end: Double) {
        self.text = text
        self.sectionLabel = sectionLabel
        self.start = start
        self.end = end
    }
}

/// The vocal part of a performance: the lead's sung notes, the backing vocals' (words in parentheses), and the
/// line times. Absent for instrumentals.
public struct VocalPerformance: Sendable, Hashable, Codable {
    public var voice: VoiceType
    /// Sorted by `start`; notes do not overlap.
    public var lead: [SungNote]
    /// Sorted by `start`.
    public var backing: [SungNote]
    public var lines: [SungLine]

    public init(voice: VoiceType, lead: [SungNote], backing: [SungNote], lines: [SungLine]) {
        self.voice = voice
        self.lead = lead
        self.backing = backing
        self.lines = lines
    }
}
