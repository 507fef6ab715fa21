import MusicTheory
import SeededRandom
import SongBrief
import SongLyrics

/// A continuation of a finished song (`POST music/extend`, `tunesmith generate --extend`): what it sings and how
/// the band feels. Its shape (which sections, how long) is the composer's, within the song's longest length.
public struct Continuation: Sendable, Hashable {
    /// Words to sing (a sung song only); nil: the song's chorus is sung again, words and tune.
    public var lyrics: Lyrics?
    /// The band's mood from the continuation's prompt; nil: the band plays on as it did.
    public var feel: ContinuationFeel?
    /// Chooses among the continuation's shapes: a bridge or a solo, 8 or 16 bars, one chorus or two.
    public var seed: UInt64

    public init(lyrics: Lyrics? = nil, feel: ContinuationFeel? = nil, seed: UInt64) {
        self.lyrics = lyrics
        self.feel = feel
        self.seed = seed
    }
}

/// A song made longer: the whole score, and the score time (quarters) where each continuation begins.
public struct ExtendedScore: Sendable {
    public var score: Score
    public var continuationStarts: [Rational]
}

/// Why a song cannot be continued (no room left within its longest length, or words without a singer).
public struct ContinuationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

extension SongComposer {
    /// Composes the song `brief` and `lyrics` describe (exactly what `compose(_:lyrics:)` gives), then each
    /// continuation in turn. A continuation replaces the song's wordless outro (or follows a sung last section)
    /// with new sections, composed as part of the same song: the same brief and seed, so the same key, tempo,
    /// meter, instruments, progressions and motifs, and a repeated chorus sings its old tune. Everything before
    /// the continuation's start is the song as it was, note for note.
    ///
    /// Without words the continuation is a contrasting section (the genre's bridge or breakdown, or a solo;
    /// 8 or 16 bars), the chorus once or twice and a new outro; with words, one section per lyric section and an
    /// outro. What does not fit within `brief.maxSeconds` is left out (the second chorus, then the longer
    /// contrast, then the contrast; a shorter outro; the last lyric sections), and a continuation must add at
    /// least 4 bars.
    public func compose(_ brief: Brief, lyrics: Lyrics?, continuations: [Continuation]) throws(ContinuationError)
        -> ExtendedScore
    {
        guard !continuations.isEmpty else {
            return ExtendedScore(score: compose(brief, lyrics: lyrics), continuationStarts: [])
        }
        let brief = Self.sanitised(brief)
        var form = self.form(brief, lyrics: lyrics)
        var song = score(brief, form: form)
        var starts: [Rational] = []
        for continuation in continuations {
            let (longer, startBar) = try ContinuationPlanner(brief: brief, form: form).extend(with: continuation)
            let start = brief.meter.barLength * startBar
            let sameFeel = score(brief, form: longer)
            let newFeel = continuation.feel.map { score(Self.sanitised($0.applied(to: brief)), form: longer) }
            song = Self.splice(song, at: start, melody: sameFeel, band: newFeel ?? sameFeel, form: longer)
            form = longer
            starts.append(start)
        }
        return ExtendedScore(score: song, continuationStarts: starts)
    }

    /// The song before `start` as it was, and from `start` the longer song's notes: the melodic parts and the
    /// voice from `melody` (composed with the song's own brief, so the hook keeps its tune), the rest of the band
    /// from `band` (composed with the continuation's feel).
    static func splice(_ song: Score, at start: Rational, melody: Score, band: Score, form: SongForm) -> Score {
        func before(_ notes: [Note]) -> [Note] {
            notes.compactMap { note in
                guard note.start < start else { return nil }
                var clipped = note
                clipped.duration = min(note.duration, start - note.start)
                return clipped
            }
        }
        func from(_ notes: [Note]) -> [Note] { notes.filter { $0.start >= start } }
        let melodic: Set<PartRole> = [.lead, .counterMelody, .vocal]

        var parts: [Part] = []
        for part in song.parts where !(song.vocal != nil && part.role == .vocal) {
            let source = melodic.contains(part.role) ? melody : band
            let continued = source.parts.first { $0.name == part.name } ?? melody.parts.first { $0.name == part.name }
            var joined = part
            joined.notes = before(part.notes) + from(continued?.notes ?? [])
            parts.append(joined)
        }
        var vocal: VocalLine?
        if let old = song.vocal, let new = melody.vocal {
            vocal = VocalLine(
                voice: old.voice, lyrics: form.lyricForm?.lyrics ?? new.lyrics,
                lead: old.lead.filter { $0.note.start < start } + new.lead.filter { $0.note.start >= start },
                backing: old.backing.filter { $0.note.start < start } + new.backing.filter { $0.note.start >= start },
                lines: old.lines.filter { $0.start < start } + new.lines.filter { $0.start >= start })
        }
        if let vocal { parts += vocal.parts }
        let chords = SongHarmony(spans: song.chords).spans(from: 0, to: start)
            + SongHarmony(spans: melody.chords).spans(from: start, to: melody.length)
        var spliced = Score(
            brief: song.brief, title: song.title, sections: form.sections, chords: chords, parts: parts,
            length: melody.length)
        spliced.vocal = vocal
        return spliced
    }
}

/// Decides a continuation's sections and where it starts.
struct ContinuationPlanner {
    let brief: Brief
    let form: SongForm

    /// A section to add and the words sung in it (nil: instrumental).
    private struct Planned {
        var kind: SectionKind
        var bars: Int
        var sung: (lyrics: LyricSection, slots: [LineSlot])? = nil
    }

    /// The longer form and the bar where the continuation begins.
    func extend(with continuation: Continuation) throws(ContinuationError) -> (form: SongForm, startBar: Int) {
        var sections = form.sections
        var sung = form.lyricForm?.sung ?? []
        var outroBars = 4
        // A wordless outro is the song's ending: the continuation replaces it. A sung last section stays.
        if let last = sections.last, last.kind == .outro, sung.last.map({ $0 == nil }) ?? true {
            sections.removeLast()
            if !sung.isEmpty { sung.removeLast() }
            outroBars = last.bars
        }
        let startBar = sections.last.map { $0.startBar + $0.bars } ?? 0
        let originalBars = form.sections.last.map { $0.startBar + $0.bars } ?? 0
        let candidates: [[Planned]]
        if let words = continuation.lyrics, !words.isEmpty {
            guard form.voice != nil, form.lyricForm != nil else {
                throw ContinuationError(description: "The song is an instrumental: there is no voice to sing the new lyrics.")
            }
            candidates = sungShapes(words, outroBars: outroBars)
        } else {
            candidates = try hookShapes(sections: sections, sung: sung, outroBars: outroBars, seed: continuation.seed)
        }
        let barSeconds = brief.seconds(brief.meter.barLength)
        let longest = min(brief.maxSeconds ?? 900, 900)
        guard
            let added = candidates.first(where: { shape in
                let bars = startBar + shape.reduce(0) { $0 + $1.bars }
                return bars >= originalBars + 4 && Double(bars) * barSeconds + Performer.ringOutSeconds <= longest
            })
        else {
            let seconds = Int((Double(originalBars) * barSeconds + Performer.ringOutSeconds).rounded())
            throw ContinuationError(
                description: "The song already lasts \(seconds) s; there is no room for a continuation within \(Int(longest)) s.")
        }

        var counts: [SectionKind: Int] = [:]
        for section in sections { counts[section.kind, default: 0] += 1 }
        var addedLyrics: [LyricSection] = []
        var bar = startBar
        for planned in added {
            counts[planned.kind, default: 0] += 1
            let count = counts[planned.kind] ?? 1
            let label = count > 1 ? "\(planned.kind.displayName) \(count)" : planned.kind.displayName
            sections.append(Section(kind: planned.kind, label: label, startBar: bar, bars: planned.bars))
            bar += planned.bars
            guard form.lyricForm != nil else { continue }
            let words = planned.sung.map { (lyrics: LyricSection(kind: planned.kind, label: label, lines: $0.lyrics.lines), slots: $0.slots) }
            sung.append(words)
            if let words { addedLyrics.append(words.lyrics) }
        }
        let lyricForm = form.lyricForm.map { old in
            LyricForm(sections: sections, sung: sung, lyrics: Lyrics(sections: old.lyrics.sections + addedLyrics))
        }
        return (SongForm(sections: sections, lyricForm: lyricForm, voice: form.voice), startBar)
    }

    /// New words: one section per lyric section (sized as for a new song) and an outro; shorter shapes leave out
    /// the last sections (at least one sung section stays) and shorten the outro.
    private func sungShapes(_ words: Lyrics, outroBars: Int) -> [[Planned]] {
        let planner = LyricFormPlanner(brief: brief, ringOutSeconds: Performer.ringOutSeconds)
        let planned = words.sections.map { section -> Planned in
            let plan = planner.plan(section)
            return Planned(kind: plan.section.kind, bars: plan.bars, sung: plan.slots.isEmpty ? nil : (plan.section, plan.slots))
        }
        var shapes: [[Planned]] = []
        for count in stride(from: planned.count, through: 1, by: -1) {
            let body = Array(planned.prefix(count))
            guard body.contains(where: { $0.sung != nil }) else { continue }
            if body.last?.kind == .outro {
                shapes.append(body)
            } else {
                for bars in Self.outroSizes(outroBars) { shapes.append(body + [Planned(kind: .outro, bars: bars)]) }
            }
        }
        return shapes
    }

    /// No new words: a contrasting section, the hook (the first sung chorus, with its words and tune; else the
    /// last sung section; in an instrumental, the chorus) once or twice, and an outro.
    private func hookShapes(
        sections: [Section], sung: [(lyrics: LyricSection, slots: [LineSlot])?], outroBars: Int, seed: UInt64
    ) throws(ContinuationError) -> [[Planned]] {
        let isSung = { (index: Int) in index < sung.count && sung[index] != nil }
        guard
            let hookIndex = sections.indices.first(where: { sections[$0].kind == .chorus && (sung.isEmpty || isSung($0)) })
                ?? sections.indices.last(where: isSung)
                ?? sections.indices.last(where: { sections[$0].kind != .intro })
        else { throw ContinuationError(description: "The song has no section to continue from.") }
        let hook = Planned(
            kind: sections[hookIndex].kind, bars: sections[hookIndex].bars, sung: isSung(hookIndex) ? sung[hookIndex] : nil)

        var random = SeededGenerator(seed: seed, stream: "continuation")
        let contrastKind = random.element([GenreStyle(brief.genre).contrast, .solo]) ?? .solo
        let contrastBars = random.element([8, 16]) ?? 8
        let hooks = random.element([1, 2]) ?? 1
        let bodies: [(contrast: Int?, hooks: Int)] = [
            (contrastBars, hooks), (contrastBars, 1), (8, 1), (nil, 1),
        ]
        var shapes: [[Planned]] = []
        for body in bodies {
            let contrast = body.contrast.map { [Planned(kind: contrastKind, bars: $0)] } ?? []
            let repeated = Array(repeating: hook, count: body.hooks)
            for bars in Self.outroSizes(outroBars) {
                shapes.append(contrast + repeated + [Planned(kind: .outro, bars: bars)])
            }
        }
        return shapes
    }

    /// The old outro's length first, then shorter ones.
    private static func outroSizes(_ bars: Int) -> [Int] {
        [bars] + [2, 1].filter { $0 < bars }
    }
}
