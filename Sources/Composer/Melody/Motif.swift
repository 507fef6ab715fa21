import MusicTheory
import SeededRandom

/// A short melodic idea: a rhythm and a contour (scale steps between consecutive notes), 1-2 bars long.
/// Sections state it, then develop it (repeat, sequence, rhythmic variation, inversion).
struct Motif: Sendable {
    struct Event: Sendable {
        var onset: Rational
        var duration: Rational
        /// Scale steps from the previous note (ignored for the first note, which starts on the anchor).
        var step: Int
    }

    var events: [Event]
    var length: Rational

    /// The general shape a section's melody leans towards.
    enum Contour: Sendable { case wave, arch, rise, fall }

    /// Ways of restating a motif.
    enum Variation: Sendable, CaseIterable {
        case repeatExact, sequenceUp, sequenceDown, rhythmic, inversion
    }

    /// Draws a motif on a grid of `unit` quarter notes. Pulses almost always get a note; off-beats get one
    /// more often when `density` is high; leaps of a fourth or more are followed by a step back.
    static func make(
        bars: Int, barLength: Rational, pulses: [Rational], unit: Rational, density: Double, contour: Contour,
        random: inout SeededGenerator
    ) -> Motif {
        let slotsPerBar = max((barLength / unit).floor, 1)
        let total = slotsPerBar * bars
        let pulseSlots = Set((0..<bars).flatMap { bar in pulses.map { (($0 / unit).floor) + bar * slotsPerBar } })
        var rhythm: [(Int, Int)] = []
        for _ in 0..<8 {
            rhythm = []
            var slot = 0
            while slot < total {
                let chance = slot == 0 ? 1 : (pulseSlots.contains(slot) ? 0.85 : 0.2 + 0.5 * density)
                if random.unit() < chance {
                    let weights = density > 0.55 ? [0.45, 0.33, 0.1, 0.12] : [0.2, 0.42, 0.13, 0.25]
                    let length = min(random.pick(weights: weights) + 1, total - slot)
                    rhythm.append((slot, length))
                    slot += length
                } else {
                    slot += 1
                }
            }
            if rhythm.count >= 2 * bars + 1 { break }
        }

        var events: [Event] = []
        var forced = 0
        for (index, (slot, length)) in rhythm.enumerated() {
            var step = 0
            if index > 0 {
                if forced != 0 {
                    step = forced
                    forced = 0
                } else {
                    let progress = Double(index) / Double(max(rhythm.count - 1, 1))
                    let bias: Double = switch contour {
                    case .wave: 0
                    case .arch: progress < 0.5 ? 0.35 : -0.35
                    case .rise: 0.35
                    case .fall: -0.3
                    }
                    let steps = [-4, -3, -2, -1, 0, 1, 2, 3, 4]
                    let base = [0.02, 0.05, 0.12, 0.25, 0.1, 0.25, 0.12, 0.05, 0.02]
                    let weights = zip(steps, base).map { step, weight in
                        step > 0 ? weight * (1 + bias) : (step < 0 ? weight * (1 - bias) : weight)
                    }
                    step = steps[random.pick(weights: weights)]
                    if abs(step) >= 3 { forced = step > 0 ? -1 : 1 }
                }
            }
            events.append(Event(onset: unit * slot, duration: unit * length, step: step))
        }
        return Motif(events: events, length: barLength * bars)
    }

    /// The motif restated in a varied form.
    func varied(_ variation: Variation, unit: Rational) -> (motif: Motif, shift: Int) {
        switch variation {
        case .repeatExact: return (self, 0)
        case .sequenceUp: return (self, 1)
        case .sequenceDown: return (self, -1)
        case .inversion:
            var copy = self
            for index in copy.events.indices { copy.events[index].step = -copy.events[index].step }
            return (copy, 0)
        case .rhythmic:
            var copy = self
            // Split the longest note into two (the second a step higher), or merge the first two if none
            // is long enough.
            if let longest = copy.events.indices.max(by: { copy.events[$0].duration < copy.events[$1].duration }),
               copy.events[longest].duration >= unit * 2 {
                let event = copy.events[longest]
                let half = unit * max((event.duration / unit).floor / 2, 1)
                copy.events[longest].duration = half
                copy.events.insert(
                    Event(onset: event.onset + half, duration: event.duration - half, step: 1), at: longest + 1)
            } else if copy.events.count > 2 {
                copy.events[0].duration = copy.events[1].onset + copy.events[1].duration - copy.events[0].onset
                let removedStep = copy.events[1].step
                copy.events.remove(at: 1)
                copy.events[1].step += removedStep
            }
            return (copy, 0)
        }
    }
}
