import MusicTheory
import SeededRandom
import SongBrief
import SongLyrics

/// Sets the lyrics to a melody for the voice. One syllable per note: each line's syllables are placed on the
/// melody grid so that stressed syllables fall on beats (the downbeat and the middle of the bar first) and weak
/// ones between them, by a small dynamic programme over grid positions; a line that is short for its bars
/// holds its long notes as melismas (the vowel moves to a neighbouring tone). Lines are separated by a breath.
/// Pitches stay in the voice's range, move mostly by step, turn back by step after a leap, sit on chord tones
/// on strong beats and end every line on a stable tone (1, 3 or 5 of the key, in the chord), the last line of a
/// section on the tonic when the chord holds it. A section whose words and length repeat an earlier one
/// (every chorus) repeats its tune exactly. Words in parentheses go to the backing vocals, as an echo a
/// third below right after the lead's line.
struct VocalMelodyWriter {
    let context: SongContext
    let form: LyricForm
    let voice: VoiceType

    private var range: ClosedRange<Int> { voice.range }
    private var unit: Rational { LyricFormPlanner.unit(for: context.brief) }

    /// Syllables much longer than spoken ones are the main reason sung words go unrecognised: sung at their
    /// spoken timing the same phrases are understood twice as often (docs/modules/voice.md, "Rhythm
    /// measurements"). A syllable longer than `comfortableSyllableSeconds` costs `paceWeight` times the square
    /// of the excess (mild for a little longer than spoken, steep for a stretched one), a line's last note holds
    /// at most `lastNoteSeconds` (never under two grid steps), and no grid step is longer than
    /// `longestGridSeconds`.
    static let paceWeight = 8.0
    static let comfortableSyllableSeconds = 0.2
    static let lastNoteSeconds = 0.6
    static let longestGridSeconds = 0.3

    /// A note before it has a pitch.
    private struct Planned {
        var start: Rational
        var duration: Rational
        var syllable: Syllable
        var word: String
        var syllableIndex: Int
        var syllableCount: Int
        var isContinuation: Bool
        var stressed: Bool
        /// The line's last note: it ends on a stable tone.
        var endsLine: Bool
        var endsSection: Bool
    }

    func line() -> VocalLine {
        var lead: [SungSyllable] = []
        var backing: [SungSyllable] = []
        var lines: [SungLineSpan] = []
        var written: [String: (lead: [SungSyllable], backing: [SungSyllable], lines: [SungLineSpan])] = [:]
        var previousPitch: Int?
        for (index, section) in context.sections.enumerated() {
            guard index < form.sung.count, let sung = form.sung[index] else { continue }
            let start = context.start(of: section)
            let key = "\(section.kind.rawValue)|\(section.bars)|" + sung.slots.map { "\($0.startBar):\($0.line.text)" }.joined(separator: "/")
            let tune: (lead: [SungSyllable], backing: [SungSyllable], lines: [SungLineSpan])
            if let earlier = written[key] {
                tune = earlier
            } else {
                tune = write(section, slots: sung.slots, from: previousPitch)
                written[key] = tune
            }
            func moved(_ notes: [SungSyllable]) -> [SungSyllable] {
                notes.map { var note = $0; note.note.start += start; return note }
            }
            lead += moved(tune.lead)
            backing += moved(tune.backing)
            lines += tune.lines.map { var line = $0; line.start += start; line.end += start; line.sectionLabel = section.label; return line }
            previousPitch = tune.lead.last?.note.pitch.midi ?? previousPitch
        }
        lead.sort { $0.note.start < $1.note.start }
        backing.sort { $0.note.start < $1.note.start }
        return VocalLine(voice: voice, lyrics: form.lyrics, lead: lead, backing: backing, lines: lines)
    }

    /// One section's tune, in quarters from the section's start.
    private func write(
        _ section: Section, slots: [LineSlot], from previous: Int?
    ) -> (lead: [SungSyllable], backing: [SungSyllable], lines: [SungLineSpan]) {
        var random = SeededGenerator(seed: context.brief.seed, stream: "vocal.\(section.kind.rawValue)")
        let sectionStart = context.start(of: section)
        let centre = self.centre(for: section.kind)
        var lead: [SungSyllable] = []
        var backing: [SungSyllable] = []
        var lines: [SungLineSpan] = []
        var pitch = previous.map { min(max($0, range.lowerBound + 2), range.upperBound - 2) }
        for (lineIndex, slot) in slots.enumerated() {
            let slotStart = context.barLength * slot.startBar
            let slotLength = context.barLength * slot.bars
            let leadSyllables = Self.syllables(of: slot.line.leadWords)
            let backingSyllables = Self.syllables(of: slot.line.backingWords)
            let isLastLine = lineIndex == slots.count - 1
            if leadSyllables.isEmpty {
                // A line of backing words only: the backing vocals sing it in the line's own slot.
                let planned = place(backingSyllables, at: sectionStart + slotStart, length: slotLength - 1,
                                    endsSection: isLastLine)
                let notes = realise(
                    planned, centre: centre - .minorThird, from: pitch.map { $0 - .minorThird }, random: &random)
                    .map { shifted($0, by: -sectionStart) }
                backing += notes
                if let first = notes.first, let last = notes.last {
                    lines.append(SungLineSpan(text: slot.line.text, sectionLabel: section.label,
                                              start: first.note.start, end: last.note.end))
                }
                continue
            }
            let echo = unit * backingSyllables.count
            let window = slotLength - 1 - echo
            let planned = place(leadSyllables, at: sectionStart + slotStart, length: window, endsSection: isLastLine)
            let notes = realise(planned, centre: centre, from: pitch, random: &random)
            pitch = notes.last?.note.pitch.midi ?? pitch
            let sung = notes.map { shifted($0, by: -sectionStart) }
            lead += sung
            var end = sung.last?.note.end ?? slotStart
            if !backingSyllables.isEmpty {
                let echoed = self.echo(backingSyllables, after: notes, at: sectionStart + slotStart + window)
                    .map { shifted($0, by: -sectionStart) }
                backing += echoed
                end = max(end, echoed.last?.note.end ?? end)
            }
            if let first = sung.first {
                lines.append(SungLineSpan(text: slot.line.text, sectionLabel: section.label, start: first.note.start, end: end))
            }
        }
        return (lead, backing, lines)
    }

    private func shifted(_ note: SungSyllable, by offset: Rational) -> SungSyllable {
        var note = note
        note.note.start += offset
        return note
    }

    private typealias Sung = (syllable: Syllable, word: String, index: Int, count: Int, stressed: Bool)

    /// Words that are sung weak even though the dictionary stresses them as spoken citation forms.
    private static let weakWords: Set<String> = [
        "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "as",
        "is", "am", "are", "was", "were", "be", "been", "i", "im", "you", "your", "youre", "we", "our", "my", "me",
        "he", "she", "it", "its", "they", "them", "their", "his", "her", "us", "that", "this", "than", "then",
        "so", "if", "can", "could", "will", "would", "do", "does", "did", "have", "has", "had", "just", "into",
        "ill", "ive", "id", "were", "theyre", "weve", "oh", "till", "til", "cause", "like", "all", "up", "out",
    ]

    /// Whether a syllable counts as stressed for placing it on a beat: the dictionary's stressed syllable of a
    /// word of several syllables, or a one-syllable word that is not a grammar word ("night", not "the").
    static func isStressed(_ syllable: Syllable, word: String, syllableCount: Int) -> Bool {
        guard syllable.stress.isStressed else { return false }
        if syllableCount > 1 { return syllable.stress == .primary || syllable.stress == .secondary }
        let bare = String(word.lowercased().filter(\.isLetter))
        return !weakWords.contains(bare)
    }

    private static func syllables(of words: [SungWord]) -> [Sung] {
        words.flatMap { word in
            word.syllables.enumerated().map { index, syllable in
                let primary = word.syllables.count > 1 ? syllable.stress == .primary
                    : isStressed(syllable, word: word.text, syllableCount: 1)
                return (syllable, word.text, index, word.syllables.count, primary)
            }
        }
    }

    // MARK: Rhythm

    /// How much a grid position weighs: 3 the downbeat, 2 the middle of the bar, 1 another beat, 0 off the beat.
    private func weight(_ time: Rational) -> Int {
        let offset = time - context.barLength * (time / context.barLength).floor
        if offset == 0 { return 3 }
        if context.isStrong(time) { return 2 }
        if context.isOnPulse(time) { return 1 }
        return 0
    }

    /// Places the syllables on the grid inside `[start, start + length)`, minimising a cost: stressed syllables
    /// off the beat cost most, weak syllables on a downbeat a little, gaps longer than a beat inside a word
    /// more than between words, syllables far longer than spoken ones cost (the pace cost), and the last
    /// syllable wants a strong beat with room to hold.
    private func place(_ syllables: [Sung], at start: Rational, length: Rational, endsSection: Bool) -> [Planned] {
        guard !syllables.isEmpty else { return [] }
        // A line far too long for its bars still gets a note per syllable (on 32nds at worst).
        let length = max(length, Rational(1, 8) * (syllables.count + 1))
        var unit = self.unit
        while (length / unit).floor < syllables.count + 1, unit > Rational(1, 8) { unit = unit / Rational(2) }
        // A slow song sings on sixteenths: on an eighth grid at 80 bpm no syllable could be shorter than 0.37 s.
        while context.brief.seconds(unit) > Self.longestGridSeconds, unit > Rational(1, 4) { unit = unit / Rational(2) }
        let positions = max((length / unit).floor, syllables.count)
        let weights = (0..<positions).map { weight(start + unit * $0) }
        let beatUnits = max(Int((Rational(1) / unit).doubleValue.rounded()), 1)
        func positionCost(_ syllable: Int, _ position: Int) -> Double {
            let stressed = syllables[syllable].stressed
            let cost: Double
            switch weights[position] {
            case 3: cost = stressed ? 0 : 0.7
            case 2: cost = stressed ? 0.15 : 0.4
            case 1: cost = stressed ? 0.45 : 0.15
            // Higher than the pace cost of the longer gap that reaches the next beat: in 6/8 that gap is three
            // eighths, and stresses off the pulse sound wrong and hide the word.
            default: cost = stressed ? 4.5 : 0
            }
            if syllable == syllables.count - 1 {
                // The line's last syllable: on a strong beat, held at least a beat, near the end of the window.
                let hold = positions - position
                let strong = weights[position] >= 2 ? 0 : 0.8
                let room = hold < beatUnits ? 2.0 : 0
                return cost + strong + room + 0.08 * Double(max(hold - 4 * beatUnits, 0))
            }
            return cost
        }
        let unitSeconds = context.brief.seconds(unit)
        func gapCost(_ gap: Int, sameWord: Bool) -> Double {
            let beats = Double(gap) / Double(beatUnits)
            // Words sung far slower than people speak them stop being words, whatever the tempo.
            let excess = max(0, Double(gap) * unitSeconds - Self.comfortableSyllableSeconds)
            let pace = Self.paceWeight * excess * excess
            if sameWord { return pace + (gap <= 2 ? 0 : 0.5 + 0.6 * beats) }
            return pace + (beats <= 1 ? 0 : 0.25 * (beats - 1) + 0.1)
        }
        let count = syllables.count
        var cost = [[Double]](repeating: [Double](repeating: .infinity, count: positions), count: count)
        var from = [[Int]](repeating: [Int](repeating: -1, count: positions), count: count)
        for position in 0...(positions - count) {
            cost[0][position] = positionCost(0, position) + 0.12 * Double(position)
        }
        if count > 1 {
            for syllable in 1..<count {
                let sameWord = syllables[syllable].index > 0
                for position in syllable...(positions - count + syllable) {
                    var best = Double.infinity, bestFrom = -1
                    for previous in (syllable - 1)..<position where cost[syllable - 1][previous] < .infinity {
                        let total = cost[syllable - 1][previous] + gapCost(position - previous, sameWord: sameWord)
                        if total < best { best = total; bestFrom = previous }
                    }
                    cost[syllable][position] = best + positionCost(syllable, position)
                    from[syllable][position] = bestFrom
                }
            }
        }
        var chosen = [Int](repeating: 0, count: count)
        var position = (0..<positions).min { cost[count - 1][$0] < cost[count - 1][$1] } ?? 0
        for syllable in stride(from: count - 1, through: 0, by: -1) {
            chosen[syllable] = position
            position = from[syllable][position]
        }

        let isShort = count * 2 < positions
        var planned: [Planned] = []
        for (index, sung) in syllables.enumerated() {
            let onset = start + unit * chosen[index]
            let next = index + 1 < count ? start + unit * chosen[index + 1] : start + length
            let isLast = index == count - 1
            var duration = next - onset
            if isLast {
                // The line's last note is held briefly, then the singer breathes: a long held vowel is heard as
                // extra words ("tree" -> "three yeah") and blurs the line into the next.
                let longest = max(unit * 2, unit * Int((Self.lastNoteSeconds / unitSeconds).rounded(.down)))
                duration = min(duration, longest)
            }
            var note = Planned(
                start: onset, duration: duration, syllable: sung.syllable, word: sung.word, syllableIndex: sung.index,
                syllableCount: sung.count, isContinuation: false, stressed: sung.stressed, endsLine: false,
                endsSection: false)
            // A short line sings melismas: a long note moves to a second tone halfway, and the line's last note
            // turns through a neighbour before it lands (it keeps its landing tone for the second half, so the
            // phrase still ends stable).
            let units = (duration / unit).floor
            if isShort, units >= 4 || (isLast && units >= 2) {
                let split = unit * (units / 2)
                note.duration = split
                var tail = note
                tail.start = onset + split
                tail.duration = duration - split
                tail.isContinuation = true
                tail.stressed = false
                planned.append(note)
                note = tail
            }
            if isLast {
                note.endsLine = true
                note.endsSection = endsSection
            }
            planned.append(note)
        }
        return planned
    }

    // MARK: Pitch

    /// Where a section's line sits in the voice: verses low, choruses a fourth higher.
    private func centre(for kind: SectionKind) -> Int {
        let middle = (range.lowerBound + range.upperBound) / 2
        let lift = switch kind {
        case .verse: -2
        case .preChorus: 0
        case .chorus, .postChorus: 3
        case .bridge: 1
        default: 0
        }
        return middle + lift
    }

    private func realise(_ planned: [Planned], centre: Int, from start: Int?, random: inout SeededGenerator) -> [SungSyllable] {
        var notes: [SungSyllable] = []
        var previous = start
        var resolve = 0  // after a leap: the direction the next note must move by step
        let tonic = context.key.tonic
        let third = context.key.pitchClass(degree: 3)
        let fifth = tonic + .perfectFifth
        for (index, event) in planned.enumerated() {
            let chord = context.harmony.chord(at: event.start)
            let allowed = context.allowedPitchClasses(under: chord)
            let core = Set(chord.coreTones)
            // The contour: up through the first half of the line, down through the second.
            let half = planned.count / 2
            let bias = index < half ? 1 : -1
            let from = previous ?? centre
            var desired: Int
            if previous == nil {
                desired = centre
            } else if resolve != 0 {
                desired = allowed.key(resolve, stepsFrom: from)
            } else {
                let roll = random.unit()
                let size = roll < 0.18 ? 0 : (roll < 0.78 ? 1 : (roll < 0.94 ? 2 : 3))
                var direction = random.unit() < 0.7 ? bias : -bias
                if abs(from - centre) >= 5 { direction = from > centre ? -1 : 1 }
                desired = allowed.key(size * direction, stepsFrom: from)
            }
            let candidates: Set<PitchClass>
            if event.endsLine {
                let stable = core.intersection([tonic, third, fifth])
                if event.endsSection, core.contains(tonic) {
                    candidates = [tonic]
                } else {
                    candidates = stable.isEmpty ? core : stable
                }
            } else if weight(event.start) >= 2 && !event.isContinuation {
                candidates = core
            } else {
                candidates = allowed
            }
            var pitch = nearest(to: desired, in: candidates, preferringNear: from)
            if resolve != 0 {
                let resolving = { (candidate: Int) -> Bool in
                    let move = (candidate - from) * resolve
                    return move >= 1 && move <= 4
                }
                // A line's last note stays on its stable chord tone even if that means not resolving.
                if !resolving(pitch),
                   let better = candidates.nearestKey(to: from + 2 * resolve, in: range, where: resolving)
                    ?? (event.endsLine ? core : allowed).nearestKey(to: from + 2 * resolve, in: range, where: resolving) {
                    pitch = better
                }
            }
            // Within a line, no leap wider than a fifth: take the chord tone nearest the line instead.
            if let previous, abs(pitch - previous) > 7,
               let closer = candidates.nearestKey(
                   to: previous, in: range, where: { abs($0 - previous) <= 7 && $0 != previous }) {
                pitch = closer
            }
            // A melisma moves: its second tone is a neighbour of the first, not a repeat.
            if event.isContinuation, let previous, pitch == previous {
                let direction = event.endsLine ? -1 : bias
                pitch = candidates.nearestKey(
                    to: previous + direction, in: range, where: { $0 != previous && abs($0 - previous) <= 4 })
                    ?? (event.endsLine ? previous : allowed.key(direction, stepsFrom: previous))
                pitch = min(max(pitch, range.lowerBound), range.upperBound)
            }
            if let previous, abs(pitch - previous) > 5 { resolve = pitch > previous ? -1 : 1 } else { resolve = 0 }
            previous = pitch
            let base = event.stressed ? 100 : (event.isContinuation ? 86 : 88)
            notes.append(SungSyllable(
                note: Note(start: event.start, duration: event.duration, pitch: Pitch(pitch),
                           velocity: context.velocity(base, level: 1)),
                syllable: event.syllable, word: event.word, syllableIndex: event.syllableIndex,
                syllableCount: event.syllableCount, isContinuation: event.isContinuation))
        }
        return notes
    }

    /// The backing echo: the words in parentheses right after the lead's line, a third below the lead's last
    /// tones (a sixth above when that would leave the range).
    private func echo(_ syllables: [Sung], after lead: [SungSyllable], at start: Rational) -> [SungSyllable] {
        // When the backing repeats the lead's words ("Hold on (hold on)") it echoes the lead's tune for them;
        // otherwise it harmonises the lead's last tones.
        let sungLead = lead.filter { !$0.isContinuation }
        let words = syllables.map { $0.word.lowercased() + "/" + $0.syllable.text.lowercased() }
        let leadWords = sungLead.map { $0.word.lowercased() + "/" + $0.syllable.text.lowercased() }
        var tail = Array(sungLead.suffix(syllables.count))
        if words.count <= leadWords.count,
           let at = stride(from: leadWords.count - words.count, through: 0, by: -1).first(where: {
               Array(leadWords[$0..<($0 + words.count)]) == words
           }) {
            tail = Array(sungLead[at..<(at + words.count)])
        }
        return syllables.enumerated().map { index, sung in
            let time = start + unit * index
            let chord = context.harmony.chord(at: time)
            let allowed = context.allowedPitchClasses(under: chord)
            let reference = tail.isEmpty ? (range.lowerBound + range.upperBound) / 2
                : tail[min(index, tail.count - 1)].note.pitch.midi
            var pitch = allowed.key(-2, stepsFrom: reference)
            if pitch < range.lowerBound { pitch = allowed.key(5, stepsFrom: reference) }
            pitch = min(max(pitch, range.lowerBound), range.upperBound)
            let isLast = index == syllables.count - 1
            return SungSyllable(
                note: Note(start: time, duration: isLast ? unit * 2 : unit, pitch: Pitch(pitch),
                           velocity: context.velocity(80, level: 1)),
                syllable: sung.syllable, word: sung.word, syllableIndex: sung.index, syllableCount: sung.count)
        }
    }

    /// The tone of `pitchClasses` nearest `desired` in range; of two equally near, the one nearer the line.
    private func nearest(to desired: Int, in pitchClasses: Set<PitchClass>, preferringNear previous: Int) -> Int {
        var best: Int?
        for candidate in range where pitchClasses.contains(PitchClass(candidate)) {
            guard let current = best else { best = candidate; continue }
            let distance = abs(candidate - desired), bestDistance = abs(current - desired)
            if distance < bestDistance || (distance == bestDistance && abs(candidate - previous) < abs(current - previous)) {
                best = candidate
            }
        }
        return best ?? min(max(desired, range.lowerBound), range.upperBound)
    }
}
