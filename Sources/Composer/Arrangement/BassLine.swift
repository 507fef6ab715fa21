import MusicTheory
import SeededRandom

/// Writes the bass: roots on downbeats and chord changes, fifths and octaves between, approach notes into
/// the next chord, in the genre's idiom (walking, funk, 808, disco octaves, one-drop ...). It plays the tonic
/// root under the intro and the final bar, which anchors the key.
struct BassLine {
    let context: SongContext

    /// A note of a bass pattern: where (16ths from the bar start), how long (16ths) and which tone.
    private enum Tone { case root, fifth, octave, third, approach }
    private typealias Pattern = [(step: Int, length: Int, tone: Tone)]

    func notes() -> [Note] {
        var notes: [Note] = []
        var random = SeededGenerator(seed: context.brief.seed, stream: "bass")
        for section in context.sections {
            let level = section.kind.level
            for bar in section.startBar..<(section.startBar + section.bars) {
                let barStart = context.barStart(bar)
                let isFinalBar = context.isLast(section) && bar == section.startBar + section.bars - 1
                if isFinalBar {
                    let chord = context.harmony.chord(at: barStart)
                    notes.append(Note(start: barStart, duration: context.barLength, pitch: Pitch(root(chord)),
                                      velocity: context.velocity(96, level: 1)))
                    continue
                }
                if context.style.bass == .walking, level > 0 {
                    notes += walkingBar(barStart, level: level, random: &random)
                    continue
                }
                let sectionLevel = section.kind == .intro ? 0 : level
                for item in pattern(level: sectionLevel) {
                    let start = barStart + Rational(item.step, 4)
                    guard start < barStart + context.barLength else { continue }
                    let chord = context.harmony.chord(at: start)
                    let end = Swift.min(start + Rational(item.length, 4), barStart + context.barLength)
                    let pitch = tone(item.tone, of: chord, at: start)
                    let accent = item.step == 0 ? 100 : 88
                    notes.append(Note(start: start, duration: end - start, pitch: Pitch(pitch),
                                      velocity: context.velocity(accent, level: level)))
                }
            }
        }
        return notes
    }

    /// The chord's bass note in the bass register (E1 ... D#2).
    private func root(_ chord: Chord) -> Int { chord.bassNote.key(atOrAbove: Pitch(.e, octave: 1).midi) }

    private func tone(_ tone: Tone, of chord: Chord, at time: Rational) -> Int {
        let base = root(chord)
        switch tone {
        case .root: return base
        case .fifth: return base + .perfectFifth
        case .octave: return base + .octave
        case .third:
            let third = chord.quality.intervals.count > 1 ? chord.quality.intervals[1] : .perfectFifth
            return base + third
        case .approach:
            // A scale step into the next chord's root from below (the fifth when the chord repeats). Diatonic
            // rather than chromatic, so a minor key's bass does not keep sounding the major seventh.
            guard let next = context.harmony.nextChord(after: time) else { return base }
            let target = root(next)
            if target == base { return base + .perfectFifth }
            let scale = Set(context.key.scale)
            let below = (1...2).first { scale.contains(PitchClass(target - $0)) } ?? 1
            return target - below
        }
    }

    /// Quarter-note walking line: root, chord tones, and a chromatic approach into the next bar's root.
    private func walkingBar(_ barStart: Rational, level: Int, random: inout SeededGenerator) -> [Note] {
        let beat = Rational(4, context.meter.beatUnit) * (context.meter.isCompound ? 3 : 1)
        let beats = context.meter.pulses.count
        var notes: [Note] = []
        for index in 0..<beats {
            let start = barStart + beat * index
            let chord = context.harmony.chord(at: start)
            let base = root(chord)
            let chordTones = chord.pitchClasses.map { $0.key(atOrAbove: base) }
            let pitch: Int
            if index == 0 || isChange(at: start) {
                pitch = base
            } else if index == beats - 1, let next = context.harmony.nextChord(after: start) {
                let target = root(next) + (random.unit() < 0.5 ? .octave : .unison)
                pitch = random.unit() < 0.6 ? target - .minorSecond : target + .minorSecond
            } else {
                pitch = random.element(Array(chordTones.dropFirst())) ?? base + .perfectFifth
            }
            notes.append(Note(start: start, duration: beat * Rational(9, 10), pitch: Pitch(min(max(pitch, 28), 55)),
                              velocity: context.velocity(index == 0 ? 96 : 86, level: level)))
        }
        return notes
    }

    private func isChange(at time: Rational) -> Bool { context.harmony.spans.contains { $0.start == time } }

    /// The bar's pattern on a 16th grid. 4/4 idioms are written out; other meters play on the felt pulses.
    private func pattern(level: Int) -> Pattern {
        let meter = context.meter
        let steps = (context.barLength * 4).floor
        if level == 0 || context.style.bass == .sustained {
            if context.style.bass == .sustained, level == 2 {
                return [(0, steps / 2, .root), (steps / 2, steps / 2, .root)]
            }
            return [(0, steps, .root)]
        }
        guard meter == .fourFour else {
            let pulses = meter.pulses.map { ($0 * 4).floor }
            let pulseLength = pulses.count > 1 ? pulses[1] : steps
            switch context.style.bass {
            case .drivingEighths, .metal, .octaves, .offbeat:
                return stride(from: 0, to: steps, by: 2).map { ($0, 2, $0 % 4 == 0 || context.style.bass != .octaves ? .root : .octave) }
            default:
                return pulses.enumerated().map { index, step in
                    (step, pulseLength, index == 0 ? .root : (index % 2 == 1 ? .fifth : .octave))
                }
            }
        }
        switch context.style.bass {
        case .rootEighths:
            return level == 1
                ? [(0, 4, .root), (4, 4, .root), (8, 4, .root), (12, 2, .root), (14, 2, .approach)]
                : [(0, 2, .root), (2, 2, .root), (4, 2, .octave), (6, 2, .root), (8, 2, .root), (10, 2, .fifth),
                   (12, 2, .root), (14, 2, .approach)]
        case .drivingEighths, .metal:
            let sixteenths = context.style.bass == .metal && level == 2
            return stride(from: 0, to: 16, by: sixteenths ? 1 : 2).map { ($0, sixteenths ? 1 : 2, .root) }
        case .rootFifth:
            return [(0, 4, .root), (4, 2, .fifth), (8, 4, .fifth), (12, 2, .root), (14, 2, .approach)]
        case .walking, .sustained:
            return [(0, 16, .root)]
        case .funk:
            return [(0, 2, .root), (3, 1, .octave), (6, 1, .root), (8, 2, .fifth), (10, 1, .root), (11, 1, .octave),
                    (13, 1, .root), (14, 2, .approach)]
        case .trap808:
            // 808 notes land with the kick.
            return level == 1 ? [(0, 10, .root), (10, 6, .root)]
                : [(0, 6, .root), (6, 4, .octave), (10, 6, .root)]
        case .octaves:
            return stride(from: 0, to: 16, by: 2).map { ($0, 2, $0 % 4 == 0 ? .root : .octave) }
        case .offbeat:
            return level == 1 ? [(2, 2, .root), (6, 2, .root), (10, 2, .root), (14, 2, .root)]
                : [(2, 2, .root), (6, 2, .octave), (10, 2, .root), (13, 1, .fifth), (14, 2, .root)]
        case .oneDrop:
            return [(0, 6, .root), (6, 2, .fifth), (10, 2, .root), (12, 4, .third)]
        case .bossa:
            return [(0, 6, .root), (6, 2, .root), (8, 6, .fifth), (14, 2, .fifth)]
        case .boomBap:
            return [(0, 6, .root), (7, 1, .root), (8, 4, .root), (12, 2, .fifth), (14, 2, .approach)]
        }
    }
}
