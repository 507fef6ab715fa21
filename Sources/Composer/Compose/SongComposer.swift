import MusicTheory

/// Composes a song from a brief: form, then harmony, then the melody, then the arrangement around them.
/// Pure and deterministic: the same brief (seed included) always gives the same score; every independent
/// decision draws from its own seeded stream.
public struct SongComposer {
    public init() {}

    public func compose(_ brief: Brief) -> Score {
        var brief = brief
        brief.bpm = max(brief.bpm, 1)
        if brief.meter.beatsPerBar < 1 || ![2, 4, 8, 16].contains(brief.meter.beatUnit) { brief.meter = .fourFour }
        let style = GenreStyle(brief.genre)
        let sections = FormPlanner(brief: brief, style: style, ringOutSeconds: Performer.ringOutSeconds).sections()
        let harmony = HarmonyPlanner(brief: brief, style: style).harmony(for: sections)
        let context = SongContext(brief: brief, style: style, sections: sections, harmony: harmony)
        let melody = MelodyWriter(context: context, instrument: nil).melody()
        let parts = Arranger(context: context, melody: melody).parts()
        return Score(brief: brief, title: TitleMaker(brief: brief).title(), sections: sections, chords: harmony.spans,
                     parts: parts, length: context.songEnd)
    }
}
