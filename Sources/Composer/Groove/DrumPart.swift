import MusicTheory

/// Writes the drum kit and the hand-percussion parts: the genre groove bar by bar at each section's
/// intensity, a crash on every new section, fills into the next section, and a last crash on the final
/// downbeat that rings out.
struct DrumPart {
    let context: SongContext

    func drums() -> [Note] {
        let groove = DrumGroove(family: context.style.groove, meter: context.meter)
        var notes: [Note] = []
        for (index, section) in context.sections.enumerated() {
            let next = index + 1 < context.sections.count ? context.sections[index + 1] : nil
            for bar in section.startBar..<(section.startBar + section.bars) {
                let barStart = context.barStart(bar)
                let lastBarOfSection = bar == section.startBar + section.bars - 1
                if next == nil, lastBarOfSection {
                    notes.append(hit(.crash, at: barStart, velocity: 112, length: context.barLength))
                    notes.append(hit(.kick, at: barStart, velocity: 112))
                    continue
                }
                // Sparse sections (intro, bridge, breakdown) thin out to the hats and a downbeat kick.
                let level = context.level(of: section)
                var hits = groove.bar(level: level, barIndex: bar - section.startBar,
                                      withoutKick: section.kind == .breakdown)
                if let next, lastBarOfSection, next.kind != section.kind || section.bars >= 8 {
                    // A pre-chorus builds into the chorus with a snare roll through its whole last bar.
                    let builds = section.kind == .preChorus && next.kind == .chorus
                        && context.style.groove != .ambient && context.style.groove != .jazzSwing
                    let fill = builds ? groove.buildRoll() : groove.fill(context.style.fill)
                    hits.removeAll { $0.offset >= fill.from && $0.drum != .kick }
                    hits += fill.hits
                }
                if bar == section.startBar, index > 0, section.kind != .breakdown {
                    let soft = context.style.groove == .ambient || context.style.groove == .jazzSwing
                    hits.append(DrumHit(offset: 0, drum: .crash, velocity: soft ? 70 : 108))
                    if !hits.contains(where: { $0.offset == 0 && $0.drum == .kick }) {
                        hits.append(DrumHit(offset: 0, drum: .kick, velocity: soft ? 60 : 100))
                    }
                }
                for drumHit in hits {
                    let velocity = context.velocity(drumHit.velocity, level: level)
                    notes.append(hit(drumHit.drum, at: barStart + drumHit.offset, velocity: velocity,
                                     length: drumHit.drum == .crash ? 2 : Rational(1, 4)))
                }
            }
        }
        return notes
    }

    /// Shakers, tambourines, congas, claves: the second layer of the groove.
    func percussion() -> [Note] {
        var notes: [Note] = []
        let steps = (context.barLength * 4).floor
        for section in context.sections where section.kind != .intro {
            let rows = percussionRows(steps: steps, level: context.level(of: section))
            for bar in section.startBar..<(section.startBar + section.bars) {
                let barStart = context.barStart(bar)
                if context.isLast(section), bar == section.startBar + section.bars - 1 {
                    notes.append(hit(rows.first?.0 ?? .shaker, at: barStart, velocity: 80))
                    continue
                }
                for (drum, row) in rows {
                    for (step, character) in row.enumerated() {
                        let velocity: Int? = switch character {
                        case "x": 88
                        case "o": 66
                        case "g": 44
                        default: nil
                        }
                        guard let velocity else { continue }
                        notes.append(hit(drum, at: barStart + Rational(step, 4),
                                         velocity: context.velocity(velocity, level: context.level(of: section))))
                    }
                }
            }
        }
        return notes
    }

    private func percussionRows(steps: Int, level: Int) -> [(Drum, String)] {
        guard context.meter == .fourFour else {
            let pulses = context.meter.pulses.map { ($0 * 4).floor }
            let shaker = String((0..<steps).map { pulses.contains($0) ? "x" : ($0 % 2 == 0 ? "o" : ".") })
            let tambourine = String((0..<steps).map { pulses.dropFirst().contains($0) ? "o" : "." })
            return [(.shaker, shaker), (.tambourine, tambourine)]
        }
        let fast = context.brief.bpm > 130
        let shaker = fast ? "x.o.x.o.x.o.x.o." : "xgogxgogxgogxgog"
        switch context.brief.genre {
        case .latin:
            return [(.shaker, shaker), (.claves, "x..x..x...x.x..."), (.highConga, "..x...x...x...x."),
                    (.lowConga, level == 2 ? ".......x.......x" : "................")]
        case .afrobeat:
            return [(.shaker, shaker), (.cowbell, "x..x..x...x.x..."), (.openConga, "..x..x....x..x..")]
        case .reggae:
            return [(.shaker, "o.o.o.o.o.o.o.o.")]
        case .disco, .funk, .house, .techno:
            return [(.tambourine, "..x...x...x...x."), (.shaker, level == 2 ? shaker : "................")]
        case .orchestral:
            return [(.triangle, "x...o...x...o...")]
        case .ambient:
            return [(.shaker, "o.g.o.g.o.g.o.g.")]
        default:
            return [(.tambourine, "....x.......x..."), (.shaker, shaker)]
        }
    }

    private func hit(_ drum: Drum, at time: Rational, velocity: Int, length: Rational = Rational(1, 4)) -> Note {
        Note(start: time, duration: length, pitch: Pitch(drum.rawValue), velocity: velocity)
    }
}
