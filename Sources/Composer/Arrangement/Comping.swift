import MusicTheory
import SongBrief

/// Chord parts: comping in the genre's rhythm (strums, skanks, stabs, Charleston, bossa ...), pads holding
/// chords, arpeggios, string ostinatos and brass hits. Every chord is voiced by a `VoiceLeader`, so voicings
/// move by the smallest steps.
struct Comping {
    let context: SongContext

    /// A rhythm for one bar: onset and length in 16ths, and a velocity factor.
    typealias Rhythm = [(step: Int, length: Int, weight: Double)]

    /// Comping for a chords-role part.
    func comp(instrument: Instrument, style: CompStyle, range: ClosedRange<Int>, plays: (Section) -> Bool) -> [Note] {
        var leader = VoiceLeader(range: range)
        var notes: [Note] = []
        // Re-strikes of the same chord keep their voicing; only a new chord is voiced again.
        var current: (chord: Chord, pitches: [Int])?
        for section in context.sections where plays(section) {
            let level = section.kind.level
            for bar in section.startBar..<(section.startBar + section.bars) {
                let barStart = context.barStart(bar)
                let rhythm = isFinalBar(section, bar) ? [(0, steps, 1.0)] : self.rhythm(style, level: level, instrument: instrument)
                for hit in rhythm {
                    let start = barStart + Rational(hit.step, 4)
                    let end = min(start + Rational(hit.length, 4), barStart + context.barLength)
                    let chord = context.harmony.chord(at: start)
                    if current?.chord != chord { current = (chord, leader.voice(chord)) }
                    var pitches = current?.pitches ?? []
                    if style == .powerChords, let low = pitches.min() {
                        let root = chord.root.key(atOrBelow: low)
                        pitches = [root, root + .perfectFifth, root + .octave].map {
                            $0 < range.lowerBound - 5 ? $0 + .octave : $0
                        }
                        // Over the tonic the guitars let the third ring on top, so the mode is never in doubt.
                        if chord.root == context.key.tonic, chord.quality.intervals.count > 2, let top = pitches.last {
                            pitches.append(top + chord.quality.intervals[1])
                        }
                    }
                    let velocity = context.velocity(Int(72 * hit.weight), level: level)
                    for pitch in pitches {
                        notes.append(Note(start: start, duration: end - start, pitch: Pitch(pitch), velocity: velocity))
                    }
                }
            }
        }
        return notes
    }

    /// Held chords, one per chord span.
    func sustained(range: ClosedRange<Int>, baseVelocity: Int, plays: (Section) -> Bool) -> [Note] {
        var leader = VoiceLeader(range: range)
        var notes: [Note] = []
        for section in context.sections where plays(section) {
            for span in context.harmony.spans(from: context.start(of: section), to: context.end(of: section)) {
                let velocity = context.velocity(baseVelocity, level: section.kind.level)
                for pitch in leader.voice(span.chord) {
                    notes.append(Note(start: span.start, duration: span.duration, pitch: Pitch(pitch), velocity: velocity))
                }
            }
        }
        return notes
    }

    /// Broken chords on a steady grid (8ths, or 16ths at slow tempos), up and down through the voicing and
    /// its octave. Ambient and electronic songs get their pulse from this.
    func arpeggio(range: ClosedRange<Int>, plays: (Section) -> Bool) -> [Note] {
        var leader = VoiceLeader(range: range, maxVoices: 4)
        let slow = context.brief.bpm < 96 && context.brief.density > 0.45
        var notes: [Note] = []
        for section in context.sections where plays(section) {
            // Choruses run in 16ths where the tempo leaves room for them.
            let unit: Rational = slow || (section.kind.level == 2 && context.brief.bpm < 130) ? Rational(1, 4) : Rational(1, 2)
            for bar in section.startBar..<(section.startBar + section.bars) {
                let barStart = context.barStart(bar)
                if isFinalBar(section, bar) {
                    let chord = context.harmony.chord(at: barStart)
                    for (index, pitch) in leader.voice(chord).enumerated() {
                        let start = barStart + unit * index
                        notes.append(Note(start: start, duration: context.barLength - unit * index, pitch: Pitch(pitch),
                                          velocity: context.velocity(70, level: 1)))
                    }
                    continue
                }
                let count = (context.barLength / unit).floor
                var voicing: [Int] = []
                var lastChord: Chord?
                for index in 0..<count {
                    let start = barStart + unit * index
                    let chord = context.harmony.chord(at: start)
                    if chord != lastChord {
                        voicing = leader.voice(chord)
                        voicing += voicing.map { $0 + .octave }.filter { $0 <= range.upperBound + 7 }
                        lastChord = chord
                    }
                    // Up the chord and back down: 0 1 2 3 ... n-1 n-2 ... 1.
                    let cycle = max(2 * voicing.count - 2, 1)
                    let position = index % cycle
                    let pick = position < voicing.count ? position : cycle - position
                    let accent = context.isOnPulse(start) ? 78 : 64
                    notes.append(Note(start: start, duration: unit, pitch: Pitch(voicing[min(pick, voicing.count - 1)]),
                                      velocity: context.velocity(accent, level: section.kind.level)))
                }
            }
        }
        return notes
    }

    /// Driving low-string ostinato in 8ths (root, fifth, octave) for orchestral music.
    func ostinato(range: ClosedRange<Int>, plays: (Section) -> Bool) -> [Note] {
        var notes: [Note] = []
        let unit = Rational(1, 2)
        for section in context.sections where plays(section) {
            for bar in section.startBar..<(section.startBar + section.bars) {
                let barStart = context.barStart(bar)
                let chord = context.harmony.chord(at: barStart)
                let root = chord.root.key(atOrAbove: range.lowerBound)
                if isFinalBar(section, bar) {
                    notes.append(Note(start: barStart, duration: context.barLength, pitch: Pitch(root),
                                      velocity: context.velocity(84, level: 1)))
                    continue
                }
                let figure: [Interval] = [.unison, .unison, .perfectFifth, .unison, .octave, .unison, .perfectFifth, .unison]
                for index in 0..<(context.barLength / unit).floor {
                    let start = barStart + unit * index
                    let current = context.harmony.chord(at: start)
                    let currentRoot = current.root.key(atOrAbove: range.lowerBound)
                    let accent = context.isOnPulse(start) ? 86 : 70
                    notes.append(Note(start: start, duration: unit * Rational(4, 5),
                                      pitch: Pitch(currentRoot + figure[index % figure.count]),
                                      velocity: context.velocity(accent, level: section.kind.level)))
                }
            }
        }
        return notes
    }

    private var steps: Int { (context.barLength * 4).floor }

    private func isFinalBar(_ section: Section, _ bar: Int) -> Bool {
        context.isLast(section) && bar == section.startBar + section.bars - 1
    }

    private func isGuitar(_ instrument: Instrument) -> Bool {
        switch instrument {
        case .acousticGuitar, .nylonGuitar, .cleanElectricGuitar, .jazzGuitar, .mutedGuitar, .overdrivenGuitar,
             .distortionGuitar, .banjo: true
        default: false
        }
    }

    /// The bar's comping rhythm for a style and level.
    func rhythm(_ style: CompStyle, level: Int, instrument: Instrument) -> Rhythm {
        let whole: Rhythm = [(0, steps, 0.85)]
        if level == 0 { return style == .skank || style == .stabs ? rhythm(style, level: 1, instrument: instrument) : whole }
        guard context.meter == .fourFour else { return genericRhythm(style, level: level) }
        switch style {
        case .block, .gospel:
            if isGuitar(instrument) { return rhythm(.strum, level: level, instrument: instrument) }
            if style == .gospel { return [(0, 3, 1), (4, 3, 0.85), (8, 3, 0.95), (12, 2, 0.85), (14, 2, 0.9)] }
            return level == 1 ? [(0, 8, 1), (8, 8, 0.9)] : [(0, 4, 1), (4, 4, 0.85), (8, 4, 0.95), (12, 4, 0.85)]
        case .strum:
            return level == 1
                ? [(0, 3, 1), (3, 3, 0.8), (6, 2, 0.85), (8, 3, 0.95), (11, 3, 0.8), (14, 2, 0.8)]
                : [(0, 2, 1), (2, 2, 0.8), (4, 2, 0.9), (6, 2, 0.8), (8, 2, 0.95), (10, 2, 0.8), (12, 2, 0.9), (14, 2, 0.8)]
        case .skank:
            return level == 2 ? [(4, 1, 0.95), (6, 1, 0.7), (12, 1, 0.95), (14, 1, 0.7)] : [(4, 1, 0.9), (12, 1, 0.9)]
        case .stabs:
            return level == 2 ? [(2, 1, 1), (6, 1, 0.9), (10, 1, 1), (14, 1, 0.9)] : [(2, 2, 0.95), (10, 2, 0.95)]
        case .funkStabs:
            return [(0, 2, 1), (3, 1, 0.8), (6, 2, 0.9), (10, 1, 0.85), (11, 2, 0.75), (14, 2, 0.85)]
        case .jazz:
            return level == 1 ? [(0, 3, 0.95), (6, 2, 0.85)] : [(0, 3, 0.95), (6, 2, 0.85), (10, 2, 0.8), (14, 2, 0.85)]
        case .bossa:
            return [(0, 2, 0.95), (3, 2, 0.8), (6, 2, 0.85), (10, 2, 0.8), (12, 2, 0.85)]
        case .lofi:
            return level == 1 ? [(0, 6, 0.9), (6, 10, 0.8)] : [(0, 6, 0.95), (6, 6, 0.8), (14, 2, 0.75)]
        case .powerChords:
            return stride(from: 0, to: 16, by: 2).map { ($0, level == 2 ? 2 : 1, $0 % 8 == 0 ? 1.05 : 0.85) }
        case .sustained, .arpeggio:
            return level == 2 ? [(0, 8, 0.9), (8, 8, 0.85)] : whole
        }
    }

    /// Rhythms for 3/4, 6/8 and 12/8 built from the pulses.
    private func genericRhythm(_ style: CompStyle, level: Int) -> Rhythm {
        let pulses = context.meter.pulses.map { ($0 * 4).floor }
        let pulseLength = pulses.count > 1 ? pulses[1] : steps
        switch style {
        case .skank, .stabs, .funkStabs:
            return pulses.map { ($0 + pulseLength / 2, max(pulseLength / 3, 1), 0.9) }
        case .sustained, .arpeggio:
            return [(0, steps, 0.85)]
        case .powerChords, .strum:
            return stride(from: 0, to: steps, by: 2).map { ($0, 2, pulses.contains($0) ? 1 : 0.8) }
        default:
            return level == 1
                ? pulses.enumerated().map { index, step in (step, pulseLength, index == 0 ? 1 : 0.8) }
                : stride(from: 0, to: steps, by: 2).map { ($0, 2, pulses.contains($0) ? 1 : 0.75) }
        }
    }
}
