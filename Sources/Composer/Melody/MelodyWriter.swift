import MusicTheory
import SeededRandom
import SongBrief

/// Writes the lead melody. Each kind of section gets its own motif, stated and developed in 4-bar phrases
/// that answer each other: an antecedent ends open (on the third or fifth), its consequent closes on the
/// tonic. Strong beats land on chord tones, leaps step back, phrase ends hold long notes. A section kind's
/// melody is written once and repeated, so every chorus sings the same tune. The lead rests in the intro and
/// in breakdowns (with a singer: it plays the intro and breaks, and rests wherever the voice sings).
struct MelodyWriter {
    let context: SongContext
    /// The lead's comfortable range (MIDI), centred for its instrument and the brief's register shift.
    let range: ClosedRange<Int>

    init(context: SongContext, instrument: Instrument?) {
        self.context = context
        let centre = Self.centre(for: instrument, style: context.style) + context.brief.registerShift
        let clamped = min(max(centre, 48), 88)
        range = (clamped - .majorSixth)...(clamped + .octave)
    }

    private var centre: Int { range.lowerBound + .majorSixth }

    /// Where a lead instrument sings best (MIDI note at the middle of its melody range).
    static func centre(for instrument: Instrument?, style: GenreStyle) -> Int {
        switch instrument {
        case .tenorSax, .trombone, .cello, .frenchHorn: 60
        case .tuba, .contrabass: 48
        case .acousticGuitar, .nylonGuitar, .cleanElectricGuitar, .jazzGuitar, .overdrivenGuitar,
             .distortionGuitar, .mutedGuitar, .choir, .viola: min(style.leadCentre, 67)
        case .violin, .flute, .panFlute, .oboe: max(style.leadCentre, 74)
        case .musicBox, .celesta, .kalimba: 79
        default: style.leadCentre
        }
    }

    /// The melody for the whole song.
    func melody() -> [Note] {
        var written: [SectionKind: [Note]] = [:]
        var notes: [Note] = []
        let sung = !context.vocalSpans.isEmpty
        for section in context.sections {
            switch section.kind {
            case .intro where sung:
                // With a singer the lead plays the hook in the intro, and then makes room for the voice.
                notes += write(section, relativeTo: context.start(of: section), motifKind: .chorus)
            case .intro:
                continue
            case .breakdown where !sung:
                continue
            case .outro:
                notes += write(section, relativeTo: context.start(of: section), motifKind: .chorus)
            default:
                let start = context.start(of: section)
                if written[section.kind] == nil {
                    written[section.kind] = write(section, relativeTo: start, motifKind: section.kind).map {
                        var note = $0
                        note.start -= start
                        return note
                    }
                }
                notes += (written[section.kind] ?? []).map {
                    var note = $0
                    note.start += start
                    return note
                }
            }
        }
        // The lead rests where the voice sings, so the two never fight; it keeps the gaps between lines,
        // intros, solos and breaks.
        return sung ? notes.filter { !context.overlapsVoice($0.start, $0.end) } : notes
    }

    private struct Planned {
        var onset: Rational
        var duration: Rational
        var step: Int
        /// Set on the first note of a motif statement: re-anchor, shifted by this many scale steps.
        var anchorShift: Int?
        /// Set on a phrase's final note: whether it closes (tonic) or stays open (third or fifth).
        var cadence: Bool?
    }

    private func write(_ section: Section, relativeTo start: Rational, motifKind: SectionKind) -> [Note] {
        let barLength = context.barLength
        let meter = context.meter
        var random = SeededGenerator(seed: context.brief.seed, stream: "melody.\(motifKind.rawValue)")
        let unit: Rational = context.brief.bpm >= 150 && !meter.isCompound ? 1 : Rational(1, 2)
        let (density, contour, lift): (Double, Motif.Contour, Int) = switch motifKind {
        case .verse: (0.45, .wave, -2)
        case .preChorus: (0.5, .rise, 1)
        case .chorus, .postChorus, .outro: (0.62, .arch, 4)
        case .bridge, .breakdown: (0.38, .fall, 0)
        case .solo: (0.8, .wave, 3)
        case .intro: (0.3, .wave, 0)
        }
        let blended = 0.65 * density + 0.35 * context.brief.density
        let motifBars = barLength <= 4 && section.bars >= 4 ? 2 : 1
        let motif = Motif.make(
            bars: motifBars, barLength: barLength, pulses: meter.pulses, unit: unit, density: blended,
            contour: contour, random: &random)
        let answer = random.element([Motif.Variation.sequenceUp, .sequenceDown, .rhythmic, .inversion]) ?? .rhythmic
        let development = random.element(Motif.Variation.allCases) ?? .repeatExact
        let anchorOffset = Int(random.next() % 5) - 2

        let phraseBars = min(4, section.bars)
        let phraseCount = max(section.bars / phraseBars, 1)
        let statementsPerPhrase = max(phraseBars / motifBars, 1)
        var planned: [Planned] = []
        for phrase in 0..<phraseCount {
            let phraseStart = barLength * (phrase * phraseBars)
            let phraseEnd = phrase == phraseCount - 1 ? barLength * section.bars : barLength * ((phrase + 1) * phraseBars)
            let closes = phrase == phraseCount - 1 || phrase % 2 == 1
            let cadenceStart = phraseBars >= 2 ? phraseEnd - barLength : phraseEnd
            for statement in 0..<statementsPerPhrase {
                let variation: Motif.Variation = statement == 0 ? .repeatExact
                    : (statement == statementsPerPhrase - 1 ? answer : development)
                let (stated, shift) = motif.varied(variation, unit: unit)
                let statementStart = phraseStart + stated.length * statement
                for (index, event) in stated.events.enumerated() {
                    let onset = statementStart + event.onset
                    guard onset < cadenceStart else { break }
                    let duration = min(event.duration, cadenceStart - onset)
                    planned.append(Planned(onset: onset, duration: duration, step: event.step,
                                           anchorShift: index == 0 ? shift : nil, cadence: nil))
                }
            }
            if phraseBars >= 2 {
                let isSongEnd = context.isLast(section) && phrase == phraseCount - 1
                let pulse = meter.pulses.count > 1 ? meter.pulses[1] : barLength / Rational(2)
                let length = isSongEnd ? barLength : barLength - pulse
                planned.append(Planned(onset: cadenceStart, duration: length, step: 0, anchorShift: nil, cadence: closes))
            } else if !planned.isEmpty {
                planned[planned.count - 1].cadence = closes
            }
        }
        return realise(planned, offset: start, centre: min(max(centre + lift, range.lowerBound), range.upperBound),
                       anchorOffset: anchorOffset, level: section.kind.level)
    }

    /// Turns planned rhythm and contour into pitches over the song's chords.
    private func realise(_ planned: [Planned], offset: Rational, centre: Int, anchorOffset: Int, level: Int) -> [Note] {
        var notes: [Note] = []
        var previous: Int?
        var resolveDirection = 0
        let tonic = context.key.tonic
        let third = context.key.pitchClass(degree: 3)
        for event in planned {
            let time = offset + event.onset
            let chord = context.harmony.chord(at: time)
            let allowed = context.allowedPitchClasses(under: chord)
            var desired: Int
            if let shift = event.anchorShift {
                desired = allowed.key(shift, stepsFrom: centre + anchorOffset)
            } else {
                // Keep the line around the section's centre: a step that would wander more than a fifth
                // away turns back instead (so choruses really sit higher than verses).
                let from = previous ?? centre
                let step = (from - centre) * event.step > 0 && abs(from - centre) >= 5 ? -event.step : event.step
                desired = allowed.key(step, stepsFrom: from)
            }
            // Fold back into the range only when clearly outside it: a note just past the edge snaps to the
            // nearest in-range tone below, instead of jumping an octave.
            while desired > range.upperBound + 2 { desired -= .octave }
            while desired < range.lowerBound - 2 { desired += .octave }

            let candidates: Set<PitchClass>
            if let closes = event.cadence {
                let core = chord.coreTones
                if closes {
                    candidates = core.contains(tonic) ? [tonic] : [chord.root]
                } else {
                    // Open endings rest on the chord's third or fifth; over the tonic chord on its third, which
                    // is what tells major from minor.
                    let open = chord.root == tonic && core.contains(third) ? [third] : Array(core.dropFirst())
                    candidates = open.isEmpty ? Set(core) : Set(open)
                }
            } else if context.isStrong(time) {
                // A strong beat near the key's third takes it whenever the chord holds it (the tonic chord, and
                // in minor also bIII, iv7 and bVI): the third is what tells minor from major, and bass notes'
                // overtones (the root's major third) must not outweigh it.
                let core = Set(chord.coreTones)
                let nearestCore = nearest(to: desired, in: core)
                if chord.contains(third), core.contains(third) || context.key.mode.isMinor,
                   let thirdPitch = Set([third]).nearestKey(to: desired, in: range),
                   abs(thirdPitch - desired) <= abs(nearestCore - desired) + 1 {
                    candidates = [third]
                } else {
                    candidates = core
                }
            } else if context.isOnPulse(time) {
                candidates = Set(chord.pitchClasses).intersection(allowed).union([chord.root])
            } else {
                candidates = allowed
            }
            var pitch = nearest(to: desired, in: candidates)
            // A cadence tone out of reach of the line (near an edge of the range) gives way to another
            // chord tone rather than a leap into the phrase's last note.
            if event.cadence != nil, let previous, abs(pitch - previous) > 7 {
                pitch = nearest(to: desired, in: Set(chord.coreTones))
            }
            // Snapping must not flatten the contour: a note meant to move does move, by a small step.
            if let previous, pitch == previous, event.step != 0, event.cadence == nil, event.anchorShift == nil {
                let direction = event.step > 0 ? 1 : -1
                let moves = { (candidate: Int) -> Bool in
                    let move = (candidate - previous) * direction
                    return move >= 1 && move <= 4
                }
                if let moved = candidates.nearestKey(to: previous + direction * 2, in: range, where: moves) { pitch = moved }
            }
            // Restate a motif in the octave nearest the line so far rather than leaping back to it.
            if event.anchorShift != nil, let previous, abs(pitch - previous) > 7 {
                let moved = previous > pitch ? pitch + .octave : pitch - .octave
                if range.contains(moved), abs(moved - previous) < abs(pitch - previous) { pitch = moved }
            }
            if let previous, resolveDirection != 0 {
                let resolving = { (candidate: Int) -> Bool in
                    let move = (candidate - previous) * resolveDirection
                    return move >= 1 && move <= 4
                }
                if !resolving(pitch) {
                    let target = previous + resolveDirection * 2
                    if let better = candidates.nearestKey(to: target, in: range, where: resolving)
                        ?? allowed.nearestKey(to: target, in: range, where: resolving) {
                        pitch = better
                    }
                }
            }
            if let previous, abs(pitch - previous) > 7 {
                resolveDirection = pitch > previous ? -1 : 1
            } else {
                resolveDirection = 0
            }
            previous = pitch
            let base = event.cadence != nil ? 92 : (context.isStrong(time) ? 100 : (context.isOnPulse(time) ? 92 : 84))
            notes.append(Note(start: time, duration: event.duration, pitch: Pitch(pitch),
                              velocity: context.velocity(base, level: level)))
        }
        return notes
    }

    /// The tone of `pitchClasses` nearest `desired` in range, or the nearest in-range key when there is none.
    private func nearest(to desired: Int, in pitchClasses: Set<PitchClass>) -> Int {
        pitchClasses.nearestKey(to: desired, in: range) ?? min(max(desired, range.lowerBound), range.upperBound)
    }
}
