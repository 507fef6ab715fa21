import MusicTheory
import SongBrief
import SongLyrics

/// Composes a song from a brief: form, then harmony, then the melody, then the arrangement around them.
/// Pure and deterministic: the same brief (seed included) always gives the same score; every independent
/// decision draws from its own seeded stream.
public struct SongComposer {
    public init() {}

    public func compose(_ brief: Brief) -> Score { compose(brief, lyrics: nil) }

    /// Composes a song that sings `lyrics` with `brief.voice`: the form follows the lyric sections, the voice
    /// gets its own melody, and the instrumental lead keeps out of its way (it plays the intro, solos and
    /// breaks). Without lyrics or without a voice the song is instrumental, as `compose(_:)`.
    public func compose(_ brief: Brief, lyrics: Lyrics?) -> Score {
        let brief = Self.sanitised(brief)
        let style = GenreStyle(brief.genre)
        let sung = brief.voice.flatMap { voice in lyrics.flatMap { $0.isEmpty ? nil : (voice, $0) } }
        let lyricForm = sung.map { LyricFormPlanner(brief: brief, ringOutSeconds: Performer.ringOutSeconds).form(for: $0.1) }
        let sections = lyricForm?.sections
            ?? FormPlanner(brief: brief, style: style, ringOutSeconds: Performer.ringOutSeconds).sections()
        let harmony = HarmonyPlanner(brief: brief, style: style).harmony(for: sections)
        var context = SongContext(brief: brief, style: style, sections: sections, harmony: harmony)
        var vocal: VocalLine?
        if let (voice, _) = sung, let lyricForm {
            vocal = VocalMelodyWriter(context: context, form: lyricForm, voice: voice).line()
            context.vocalSpans = vocal?.lines ?? []
        }
        let melody = MelodyWriter(context: context, instrument: nil).melody()
        var parts = Arranger(context: context, melody: melody).parts()
        if let vocal { parts += vocal.parts }
        var score = Score(brief: brief, title: TitleMaker(brief: brief).title(), sections: sections,
                          chords: harmony.spans, parts: parts, length: context.songEnd)
        score.vocal = vocal
        return score
    }

    /// The brief with every number brought into the range the composer works in (a brief built by hand or
    /// decoded from JSON may hold anything): tempo 20-300 bpm, a meter of 1-16 beats of a power-of-two unit,
    /// levels in 0...1, a register shift of at most an octave and a finite length.
    static func sanitised(_ brief: Brief) -> Brief {
        var brief = brief
        func unit(_ value: Double, _ fallback: Double) -> Double { value.isFinite ? min(max(value, 0), 1) : fallback }
        brief.bpm = min(max(brief.bpm, 20), 300)
        if !(1...16).contains(brief.meter.beatsPerBar) || ![2, 4, 8, 16].contains(brief.meter.beatUnit) {
            brief.meter = .fourFour
        }
        brief.density = unit(brief.density, 0.5)
        brief.energy = unit(brief.energy, 0.5)
        brief.brightness = unit(brief.brightness, 0.5)
        brief.registerShift = min(max(brief.registerShift, -Brief.maxRegisterShift), Brief.maxRegisterShift)
        brief.targetSeconds = brief.targetSeconds.isFinite ? min(max(brief.targetSeconds, 10), 900) : 180
        return brief
    }
}
