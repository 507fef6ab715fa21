import MusicTheory
import SongBrief

/// What every part writer needs to know about the song being composed: the brief, the genre's style, the
/// form and the harmony, with helpers for musical time.
struct SongContext: Sendable {
    let brief: Brief
    let style: GenreStyle
    let sections: [Section]
    let harmony: SongHarmony
    /// Where the voice sings (quarters), so instrumental melodies can keep out of its way; empty for
    /// instrumentals.
    var vocalSpans: [SungLineSpan] = []

    /// Whether `[start, end)` comes within half a beat of a sung line.
    func overlapsVoice(_ start: Rational, _ end: Rational) -> Bool {
        let margin = Rational(1, 2)
        return vocalSpans.contains { $0.start - margin < end && start < $0.end + margin }
    }

    var key: Key { brief.key }
    var meter: Meter { brief.meter }
    var barLength: Rational { brief.meter.barLength }
    var totalBars: Int { sections.last.map { $0.startBar + $0.bars } ?? 0 }
    var songEnd: Rational { barLength * totalBars }

    func start(of section: Section) -> Rational { barLength * section.startBar }
    func end(of section: Section) -> Rational { barLength * (section.startBar + section.bars) }
    func barStart(_ bar: Int) -> Rational { barLength * bar }

    /// Offsets (quarters from the bar start) of the beats that carry the bar's weight: the downbeat and the
    /// middle of the bar (beat 3 in 4/4, the second dotted beat in 6/8, beats 1 and 3 of four in 12/8).
    var strongOffsets: [Rational] {
        let pulses = meter.pulses
        if meter.isCompound { return pulses.count >= 4 ? [pulses[0], pulses[2]] : [pulses[0]] }
        if meter.beatsPerBar % 2 == 0 { return [0, barLength / Rational(2)] }
        return [0]
    }

    func isStrong(_ time: Rational) -> Bool {
        let offset = time - barLength * (time / barLength).floor
        return strongOffsets.contains(offset)
    }

    func isOnPulse(_ time: Rational) -> Bool {
        let offset = time - barLength * (time / barLength).floor
        return meter.pulses.contains(offset)
    }

    /// The section playing at bar `bar`.
    func section(atBar bar: Int) -> Section? { sections.last { $0.startBar <= bar } }

    /// Whether the section is the last one (the song's ending lives in its final bar).
    func isLast(_ section: Section) -> Bool { section == sections.last }

    /// The pitch classes a melody may use under `chord`: the key's scale, with any chord tone outside it
    /// (the raised leading tone of a minor key's V) replacing the scale note a semitone away.
    func allowedPitchClasses(under chord: Chord) -> Set<PitchClass> {
        var allowed = Set(key.scale)
        for tone in chord.pitchClasses where !allowed.contains(tone) {
            allowed.remove(tone + .minorSecond)
            allowed.remove(tone - .minorSecond)
            allowed.insert(tone)
        }
        return allowed
    }

    /// Velocity for a role at a section level, shaped by the brief's energy.
    func velocity(_ base: Int, level: Int) -> Int {
        let energy = Int((brief.energy - 0.5) * 24)
        let lift = [-10, 0, 8][min(max(level, 0), 2)]
        return min(max(base + energy + lift, 20), 124)
    }
}

