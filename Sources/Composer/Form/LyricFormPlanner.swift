import MusicTheory
import SongBrief
import SongLyrics

/// A lyric line and the bars it is sung in (relative to its section's first bar).
struct LineSlot: Sendable, Hashable {
    var line: LyricLine
    var startBar: Int
    var bars: Int
}

/// The form of a song whose lyrics are known: the sections in lyric order, and for each one the lyric
/// section sung in it (nil for an instrumental section) with every line's bars.
struct LyricForm: Sendable {
    var sections: [Section]
    /// One entry per section.
    var sung: [(lyrics: LyricSection, slots: [LineSlot])?]
    /// The lyrics as they are sung: the sections that fit within the song's longest length.
    var lyrics: Lyrics
}

/// Builds the form from the lyrics: one section per lyric section, in order, sized in 4-bar phrases to fit
/// its lines (a line gets the fewest of 1, 2, 4 or 8 bars that give it room for every syllable on the
/// melody's grid, a breath and at least six beats). Sections without words (`[Intro]`, `[Solo]`) stay
/// instrumental; a short intro and outro are added when the lyrics have none, so the voice does not start
/// on the first beat and the song still ends on its own cadence. The song's length follows the lyrics, up to
/// the brief's `maxSeconds` (and a length the prompt asked for): past it the last sections are left out. A
/// length the prompt asked for is also reached: instrumental bars fill what the words leave.
struct LyricFormPlanner {
    let brief: Brief
    let ringOutSeconds: Double

    /// A vocal song with no stated length lasts at least this long (the contract's 2 minutes, with a margin),
    /// however few its words.
    static let shortestUnrequestedSeconds = 135.0

    /// The melody grid in quarters: eighths, quarters at 150 bpm and above (as the lead melody does).
    static func unit(for brief: Brief) -> Rational {
        brief.bpm >= 150 && !brief.meter.isCompound ? 1 : Rational(1, 2)
    }

    func form(for lyrics: Lyrics) -> LyricForm {
        let barSeconds = brief.seconds(brief.meter.barLength)
        // A length the prompt asked for ("30 seconds") also bounds a song whose lyrics the engine wrote.
        let limit = min(brief.maxSeconds ?? 900, 900, brief.lengthWasRequested ? brief.targetSeconds * 1.1 : 900)
        var planned = lyrics.sections.map { plan($0) }
        var introBars = 4, outroBars = 4, soloBars = 0
        func seconds() -> Double {
            let bars = planned.reduce(0) { $0 + $1.bars } + soloBars
                + (planned.first?.section.kind == .intro ? 0 : introBars)
                + (planned.last?.section.kind == .outro ? 0 : outroBars)
            return Double(bars) * barSeconds + ringOutSeconds
        }
        // Too long for the model: shorter intro and outro first, then the last sections go.
        if seconds() > limit { introBars = 2; outroBars = 2 }
        if seconds() > limit { introBars = 1; outroBars = 1 }
        while seconds() > limit, planned.count > 1 {
            // A vocal song must sing: when only the first sung section is left after wordless ones (an
            // "[Intro]"), the wordless opening goes instead.
            if let last = planned.last, !last.slots.isEmpty, planned.dropLast().allSatisfy({ $0.slots.isEmpty }) {
                planned.removeFirst()
            } else {
                planned.removeLast()
            }
        }
        while seconds() > limit, let last = planned.last, last.slots.count > 1 {
            planned[planned.count - 1] = plan(
                LyricSection(kind: last.section.kind, label: last.section.label,
                             lines: Array(last.section.lines.dropLast())))
        }

        // The length holds from below too: a length the prompt asked for, otherwise the contract's two minutes
        // at least. When the words run out early the last chorus is sung again (at most three times, its words
        // and tune repeated), then an instrumental solo (8-bar phrases up to 48 bars, before the last section)
        // and a longer outro fill the time, so "60 seconds" of written lyrics still lasts a minute. Words are never
        // stretched.
        let target = min(brief.lengthWasRequested ? brief.targetSeconds : Self.shortestUnrequestedSeconds, limit)
        func missingBars() -> Int { Int(((target - seconds()) / barSeconds).rounded(.down)) }
        var repeats = 0
        while repeats < 3, let chorus = planned.last(where: { $0.section.kind == .chorus && !$0.slots.isEmpty }),
              missingBars() >= chorus.bars
        {
            let number = planned.filter { $0.section.kind == .chorus }.count + 1
            var again = chorus
            again.section.label = "\(SectionKind.chorus.displayName) \(number)"
            planned.insert(again, at: planned.last?.section.kind == .outro ? planned.count - 1 : planned.count)
            repeats += 1
        }
        while missingBars() >= 8, soloBars < 48 { soloBars += 8 }
        if planned.last?.section.kind != .outro, missingBars() > 0 { outroBars += min(missingBars(), 8) }

        var sections: [Section] = []
        var sung: [(lyrics: LyricSection, slots: [LineSlot])?] = []
        var bar = 0
        func add(_ kind: SectionKind, _ label: String, _ bars: Int, _ lyric: (LyricSection, [LineSlot])?) {
            sections.append(Section(kind: kind, label: label, startBar: bar, bars: bars))
            sung.append(lyric.map { (lyrics: $0.0, slots: $0.1) })
            bar += bars
        }
        if planned.first?.section.kind != .intro { add(.intro, "Intro", introBars, nil) }
        for (index, entry) in planned.enumerated() {
            if soloBars > 0, index == max(planned.count - 1, 0) { add(.solo, "Solo", soloBars, nil) }
            add(entry.section.kind, entry.section.label, entry.bars,
                entry.slots.isEmpty ? nil : (entry.section, entry.slots))
        }
        if planned.last?.section.kind != .outro { add(.outro, "Outro", outroBars, nil) }
        let kept = Lyrics(sections: planned.map(\.section).filter { !$0.lines.isEmpty })
        return LyricForm(sections: sections, sung: sung, lyrics: kept)
    }

    func plan(_ section: LyricSection) -> (section: LyricSection, slots: [LineSlot], bars: Int) {
        let lines = section.lines.filter { !$0.words.isEmpty }
        guard !lines.isEmpty else {
            let bars = switch section.kind {
            case .intro, .outro: 4
            default: 8
            }
            return (LyricSection(kind: section.kind, label: section.label, lines: []), [], bars)
        }
        var slots: [LineSlot] = []
        var bar = 0
        for line in lines {
            let bars = barsFor(line)
            slots.append(LineSlot(line: line, startBar: bar, bars: bars))
            bar += bars
        }
        let phrase = 4
        let total = max(phrase, (bar + phrase - 1) / phrase * phrase)
        return (LyricSection(kind: section.kind, label: section.label, lines: lines), slots, total)
    }

    /// The fewest bars (1, 2, 4 or 8) that hold the line: a grid slot per syllable (lead, then the backing
    /// echo), a breath of a beat, at least six beats and at least 2.5 seconds for a line of more than four
    /// syllables.
    func barsFor(_ line: LyricLine) -> Int {
        let barLength = brief.meter.barLength
        let unit = Self.unit(for: brief)
        let slotsPerBar = (barLength / unit).doubleValue
        let syllables = line.words.reduce(0) { $0 + $1.syllables.count }
        let secondsPerQuarter = 60 / Double(max(brief.bpm, 1))
        for bars in [1, 2, 4, 8] {
            let quarters = (barLength * bars).doubleValue
            let fits = Double(bars) * slotsPerBar >= Double(syllables) + 2 + 1 / unit.doubleValue
            let long = quarters >= 6 && (syllables <= 4 || quarters * secondsPerQuarter >= 2.5)
            if fits && long { return bars }
        }
        return 8
    }
}
