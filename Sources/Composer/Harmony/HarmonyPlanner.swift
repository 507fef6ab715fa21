import MusicTheory
import SeededRandom
import SongBrief

/// The chords of the whole song, bar by bar, with quick lookup by time.
struct SongHarmony: Sendable {
    /// Every chord span in time order (what `Score.chords` lists).
    var spans: [ChordSpan]

    /// The chord sounding at `time` (the first chord before the song starts, the last after it ends).
    func chord(at time: Rational) -> Chord {
        // The planner always writes at least one chord; an empty harmony only exists for an empty form.
        guard !spans.isEmpty else { return Chord(.c, .major) }
        var low = 0
        var high = spans.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if spans[middle].start <= time { low = middle } else { high = middle - 1 }
        }
        return spans[low].chord
    }

    /// The chord spans overlapping `[start, end)`, clipped to it.
    func spans(from start: Rational, to end: Rational) -> [ChordSpan] {
        spans.compactMap { span in
            let spanEnd = span.start + span.duration
            guard spanEnd > start, span.start < end else { return nil }
            let clippedStart = max(span.start, start)
            return ChordSpan(start: clippedStart, duration: min(spanEnd, end) - clippedStart, chord: span.chord)
        }
    }

    /// The next chord that starts at or after `time`, if any.
    func nextChord(after time: Rational) -> Chord? { spans.first { $0.start > time }?.chord }
}

/// Picks a progression for each kind of section and writes the song's chords: every section starts where
/// its progression starts (the tonic for verses and choruses), sections end on cadences (half cadences lead
/// on, choruses land home) and the outro closes on the tonic.
struct HarmonyPlanner {
    let brief: Brief
    let style: GenreStyle

    func harmony(for sections: [Section]) -> SongHarmony {
        let tonality = style.harmony.tonality(minor: brief.key.mode.isMinor)
        var random = SeededGenerator(seed: brief.seed, stream: "harmony")
        let verse = Self.pick(tonality.verses, &random)
        let chorus = Self.pick(tonality.choruses, avoiding: verse, &random)
        let bridge = Self.pick(tonality.bridges, &random)
        let preChorus = Self.pick(tonality.bridges, avoiding: bridge, &random)
        let half = Progression(tonality.halfCadence) ?? Progression(bars: [[RomanChord(offset: 7, quality: .major)]])
        let full = Progression(tonality.fullCadence)
            ?? Progression(bars: [[RomanChord(offset: 7, quality: .major)], [Self.tonic(minor: brief.key.mode.isMinor)]])

        var spans: [ChordSpan] = []
        let barLength = brief.meter.barLength
        for (index, section) in sections.enumerated() {
            let isLast = index == sections.count - 1
            let progression: Progression
            switch section.kind {
            case .intro, .verse: progression = verse
            case .chorus, .postChorus, .outro, .solo: progression = chorus
            case .preChorus: progression = preChorus
            case .bridge, .breakdown: progression = bridge
            }
            var bars = (0..<section.bars).map { progression.bars[$0 % progression.bars.count] }
            let ownTurnaround = style.harmony.keepsOwnTurnaround && section.bars % progression.bars.count == 0
            if isLast {
                // The final cadence, then the tonic held to the end.
                let closing = full.bars.suffix(section.bars)
                bars.replaceSubrange((bars.count - closing.count)..., with: closing)
            } else if section.kind == .chorus, section.bars >= 4, !ownTurnaround {
                bars.replaceSubrange((bars.count - full.bars.count)..., with: full.bars)
            } else if section.kind != .chorus, section.bars >= 2, !ownTurnaround {
                bars.replaceSubrange((bars.count - half.bars.count)..., with: half.bars)
            }
            if section.kind == .intro, let first = verse.bars.first {
                // The intro establishes the key: the tonic until its last bar leads on.
                for bar in bars.indices where bar == 0 || bar < bars.count - 1 { bars[bar] = first }
            }
            for (offset, bar) in bars.enumerated() {
                let barStart = barLength * (section.startBar + offset)
                for (chordIndex, split) in splits(of: bar.count).enumerated() {
                    let chord = bar[chordIndex].chord(in: brief.key)
                    if let last = spans.last, last.chord == chord, last.start + last.duration == barStart + split.start {
                        spans[spans.count - 1].duration += split.duration
                    } else {
                        spans.append(ChordSpan(start: barStart + split.start, duration: split.duration, chord: chord))
                    }
                }
            }
        }
        return SongHarmony(spans: spans)
    }

    /// Where the chords of a bar with one or two chords fall: halves in even and compound meters, 2 + 1
    /// beats in 3/4.
    private func splits(of count: Int) -> [(start: Rational, duration: Rational)] {
        let bar = brief.meter.barLength
        guard count > 1 else { return [(0, bar)] }
        let meter = brief.meter
        let first = !meter.isCompound && meter.beatsPerBar % 2 == 1
            ? Rational(4, meter.beatUnit) * (meter.beatsPerBar - 1)
            : bar / Rational(2)
        return [(0, first), (first, bar - first)]
    }

    private static func tonic(minor: Bool) -> RomanChord { RomanChord(offset: 0, quality: minor ? .minor : .major) }

    private static func pick(
        _ pool: [String], avoiding avoided: Progression? = nil, _ random: inout SeededGenerator
    ) -> Progression {
        let parsed = pool.compactMap(Progression.init)
        let candidates = parsed.filter { $0 != avoided }
        let choices = candidates.isEmpty ? parsed : candidates
        guard !choices.isEmpty else { return Progression(bars: [[RomanChord(offset: 0, quality: .major)]]) }
        return choices[Int(random.next() % UInt64(choices.count))]
    }
}
