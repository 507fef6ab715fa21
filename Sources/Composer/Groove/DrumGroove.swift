import MusicTheory

/// General MIDI percussion keys (channel 10).
enum Drum: Int, Sendable {
    case kick = 36, rim = 37, snare = 38, clap = 39, lowTom = 41, closedHat = 42, floorTom = 43, pedalHat = 44
    case midTom = 45, openHat = 46, highTom = 48, crash = 49, ride = 51, tambourine = 54, cowbell = 56
    case highConga = 62, openConga = 63, lowConga = 64, shaker = 70, claves = 75, triangle = 81
}

/// One drum stroke inside a bar, in quarter notes from the bar start.
struct DrumHit: Sendable {
    var offset: Rational
    var drum: Drum
    var velocity: Int
}

/// A genre's drum patterns for one bar at the three intensity levels (0 intro/breakdown, 1 verse,
/// 2 chorus), written on a 16th grid. 4/4 patterns are written out per genre; other meters are built from
/// the meter's felt pulses with the same idiom (where the kick, backbeat and hats go).
struct DrumGroove {
    let family: GrooveFamily
    let meter: Meter

    /// Pattern rows: one character per 16th. X accent, x normal, o soft, g ghost, . silent.
    private typealias Rows = [(Drum, String)]

    func bar(level: Int, barIndex: Int, withoutKick: Bool = false) -> [DrumHit] {
        let rows = meter == .fourFour ? fourFourRows(level: level) : genericRows(level: level)
        var hits: [DrumHit] = []
        for (drum, row) in rows where !(withoutKick && drum == .kick) {
            for (step, character) in row.enumerated() {
                guard let velocity = Self.velocity(character) else { continue }
                hits.append(DrumHit(offset: Rational(step, 4), drum: drum, velocity: velocity))
            }
        }
        if family == .halfTimeTrap, level > 0, barIndex % 2 == 1 { addTrapRoll(to: &hits) }
        return hits
    }

    /// Trap hats roll in 16th-note triplets through the last beat of every other bar.
    private func addTrapRoll(to hits: inout [DrumHit]) {
        let lastBeat = meter.barLength - 1
        hits.removeAll { $0.drum == .closedHat && $0.offset >= lastBeat }
        for index in 0..<6 {
            hits.append(DrumHit(offset: lastBeat + Rational(index, 6), drum: .closedHat, velocity: 58 + index * 8))
        }
    }

    private static func velocity(_ character: Character) -> Int? {
        switch character {
        case "X": 118
        case "x": 96
        case "o": 70
        case "g": 42
        default: nil
        }
    }

    private func fourFourRows(level: Int) -> Rows {
        switch (family, level) {
        case (.backbeat, 0): [(.kick, "x.......x......."), (.closedHat, "x.o.x.o.x.o.x.o."), (.rim, "....o.......o...")]
        case (.backbeat, 1): [(.kick, "x.......x.x....."), (.snare, "....x.......x..."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.backbeat, _):
            [(.kick, "x.....x.x.x....."), (.snare, "....X.......X..."), (.closedHat, "x.o.x.o.x.o.x..."),
             (.openHat, "..............x.")]
        case (.chiptune, 0): [(.kick, "x.......x......."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.chiptune, _):
            [(.kick, "x.......x.x....."), (.snare, "....x.......x..."), (.closedHat, "xgxgxgxgxgxgxgxg")]
        case (.fourOnTheFloor, 0): [(.kick, "x...x...x...x..."), (.closedHat, "..x...x...x...x.")]
        case (.fourOnTheFloor, 1):
            [(.kick, "x...x...x...x..."), (.clap, "....x.......x..."), (.closedHat, "..x...x...x...x.")]
        case (.fourOnTheFloor, _):
            [(.kick, "X...x...X...x..."), (.clap, "....x.......x..."), (.openHat, "..x...x...x...x."),
             (.closedHat, "xg.gxg.gxg.gxg.g")]
        case (.techno, 0): [(.kick, "x...x...x...x..."), (.closedHat, "..x...x...x...x.")]
        case (.techno, 1):
            [(.kick, "x...x...x...x..."), (.closedHat, "..x...x...x...x."), (.rim, "...o..o....o..o.")]
        case (.techno, _):
            [(.kick, "X...x...X...x..."), (.clap, "....x.......x..."), (.openHat, "..x...x...x...x."),
             (.closedHat, "xg.gxg.gxg.gxg.g"), (.rim, ".....o.....o..o.")]
        case (.disco, 0): [(.kick, "x...x...x...x..."), (.openHat, "..x...x...x...x.")]
        case (.disco, _):
            [(.kick, "x...x...x...x..."), (.snare, "....x.......x..."), (.openHat, "..x...x...x...x."),
             (.closedHat, level == 1 ? "x...x...x...x..." : "xo.oxo.oxo.oxo.o")]
        // Trap hats keep the pulse: accented on every beat so the syncopated kick never blurs the tempo.
        case (.halfTimeTrap, 0): [(.kick, "x..............."), (.closedHat, "X.o.x.o.X.o.x.o.")]
        case (.halfTimeTrap, 1):
            [(.kick, "x.........x....."), (.snare, "........x......."), (.closedHat, "X.o.x.o.X.o.x.o.")]
        case (.halfTimeTrap, _):
            [(.kick, "x.....x...x....."), (.snare, "........X......."), (.clap, "........x......."),
             (.closedHat, "XgogxgogXgogxgog")]
        case (.halfTimeDubstep, 0): [(.kick, "x..............."), (.closedHat, "X.o.x.o.X.o.x.o.")]
        case (.halfTimeDubstep, _):
            [(.kick, "x.........x....."), (.snare, "........X......."),
             (.closedHat, level == 1 ? "X.o.x.o.X.o.x.o." : "XgogxgogXgogxgog")]
        case (.breakbeat, 0): [(.kick, "x..............."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.breakbeat, 1):
            [(.kick, "x.........x....."), (.snare, "....x.......x..."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.breakbeat, _):
            [(.kick, "x.x.......xx...."), (.snare, "....X..g.g..X..g"), (.ride, "x.o.x.o.x.o.x.o.")]
        case (.boomBap, 0): [(.kick, "x..............."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.boomBap, 1):
            [(.kick, "x......xx......."), (.snare, "....x.......x..."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.boomBap, _):
            [(.kick, "x......xx.x....."), (.snare, "....X.......X..."), (.closedHat, "x.xox.xox.xox..."),
             (.openHat, "..............x.")]
        // A jazz ride is played lightly (feathered), the 2 and 4 a little stronger.
        case (.jazzSwing, 0): [(.ride, "o...o.g.o...o.g."), (.pedalHat, "....o.......o...")]
        case (.jazzSwing, 1):
            [(.ride, "o...x.g.o...x.g."), (.pedalHat, "....o.......o..."), (.kick, "g...g...g...g..."),
             (.snare, "..........g....g")]
        case (.jazzSwing, _):
            [(.ride, "o...x.o.o...x.o."), (.pedalHat, "....x.......x..."), (.kick, "g...g...g..og..."),
             (.snare, "......g...g....o")]
        case (.shuffle, 0): [(.kick, "x.......x......."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.shuffle, 1):
            [(.kick, "x.....x.x......."), (.snare, "....x.......x..."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.shuffle, _):
            [(.kick, "x.....x.x......."), (.snare, "....X.......X..."), (.ride, "x.o.x.o.x.o.x.o.")]
        case (.oneDrop, 0): [(.closedHat, "x.o.x.o.x.o.x.o."), (.rim, "........x.......")]
        case (.oneDrop, 1):
            [(.kick, "........x......."), (.rim, "........x......."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.oneDrop, _):
            [(.kick, "........X......."), (.snare, "........x......."), (.closedHat, "x.o.x.o.x.o.x..."),
             (.openHat, "..............x.")]
        case (.bossa, 0): [(.rim, "x..x..x...x..x.."), (.closedHat, "o.o.o.o.o.o.o.o.")]
        case (.bossa, _):
            [(.kick, "x.....x.x.....x."), (.rim, "x..x..x...x..x.."),
             (.closedHat, level == 1 ? "o.o.o.o.o.o.o.o." : "x.o.x.o.x.o.x.o.")]
        case (.metal, 0): [(.kick, "x.......x......."), (.closedHat, "x.x.x.x.x.x.x.x.")]
        case (.metal, 1):
            [(.kick, "x.x.x.x.x.x.x.x."), (.snare, "....x.......x..."), (.closedHat, "x.x.x.x.x.x.x.x.")]
        case (.metal, _):
            [(.kick, "xxxxxxxxxxxxxxxx"), (.snare, "....X.......X..."), (.crash, "x...x...x...x...")]
        case (.funk, 0): [(.kick, "x.........x....."), (.closedHat, "xoxoxoxoxoxoxoxo")]
        case (.funk, _):
            [(.kick, "x.....x...x..x.."), (.snare, "....x..g.g..x..g"),
             (.closedHat, level == 1 ? "xoxoxoxoxoxoxoxo" : "xoxoxoxoxoxoxo.o"),
             (.openHat, level == 1 ? "................" : "..............x.")]
        case (.afrobeat, 0): [(.kick, "x.......x......."), (.closedHat, "x.o.x.o.x.o.x.o.")]
        case (.afrobeat, _):
            [(.kick, "x.....x...x....."), (.snare, "....g.x.....x.g."), (.closedHat, "x.o.x.o.x.o.x.o."),
             (.openHat, level == 1 ? "................" : "......x.......x.")]
        case (.orchestral, 0): [(.kick, "x.......x......."), (.snare, "g.g.g.g.g.g.g.g.")]
        case (.orchestral, 1): [(.kick, "x.......x......."), (.snare, "o.g.o.g.o.g.o.g.")]
        case (.orchestral, _):
            [(.kick, "X...x...X...x..."), (.snare, "x.g.o.g.x.g.o.gg")]
        case (.ambient, 0): [(.shaker, "o.g.o.g.o.g.o.g.")]
        case (.ambient, 1): [(.kick, "o..............."), (.shaker, "o.g.o.g.o.g.o.g.")]
        case (.ambient, _): [(.kick, "o.......o......."), (.shaker, "x.g.o.g.x.g.o.g."), (.rim, "........g.......")]
        }
    }

    /// Patterns for 3/4, 6/8 and 12/8 (and any other meter), built from the felt pulses.
    private func genericRows(level: Int) -> Rows {
        let steps = max((meter.barLength * 4).floor, 1)
        let pulses = meter.pulses.map { ($0 * 4).floor }
        func row(_ positions: [Int], _ character: Character) -> String {
            String((0..<steps).map { positions.contains($0) ? character : "." })
        }
        let eighths = stride(from: 0, to: steps, by: 2).map { $0 }
        let sixteenths = Array(0..<steps)
        let hats = String((0..<steps).map { pulses.contains($0) ? "x" : ($0 % 2 == 0 ? "o" : ".") })
        let busyHats = String((0..<steps).map { pulses.contains($0) ? "x" : ($0 % 2 == 0 ? "o" : "g") })
        // Backbeats: the pulses after the first (every other one in 12/8).
        let backbeats = pulses.count >= 4 ? [pulses[1], pulses[3]] : Array(pulses.dropFirst())
        let strongPulses = pulses.count >= 4 ? [pulses[0], pulses[2]] : [pulses[0]]
        switch family {
        case .fourOnTheFloor, .techno, .disco:
            return level == 0
                ? [(.kick, row(pulses, "x")), (.closedHat, hats)]
                : [(.kick, row(pulses, "x")), (.clap, row(backbeats, "x")), (.closedHat, level == 2 ? busyHats : hats)]
        case .halfTimeTrap, .halfTimeDubstep:
            let snare = pulses.count >= 4 ? [pulses[2]] : [pulses.last ?? 0]
            return level == 0
                ? [(.kick, row([0], "x")), (.closedHat, hats)]
                : [(.kick, row([0], "x")), (.snare, row(snare, "x")), (.closedHat, row(sixteenths, "o"))]
        case .metal:
            return level == 0
                ? [(.kick, row([0], "x")), (.closedHat, hats)]
                : [(.kick, row(level == 2 ? sixteenths : eighths, "x")), (.snare, row(backbeats, "X")),
                   (.closedHat, hats)]
        case .jazzSwing:
            return [(.ride, row(eighths, "x")), (.pedalHat, row(backbeats, "x"))]
                + (level == 0 ? [] : [(.kick, row(pulses, "g"))])
        case .oneDrop:
            let drop = backbeats.first.map { [$0] } ?? [0]
            return [(.closedHat, hats), (.rim, row(drop, "x"))] + (level == 0 ? [] : [(.kick, row(drop, "x"))])
        case .orchestral:
            return [(.kick, row(strongPulses, level == 2 ? "X" : "x")), (.snare, row(eighths, level == 2 ? "o" : "g"))]
        case .ambient:
            return [(.shaker, hats)] + (level == 0 ? [] : [(.kick, row([0], "o"))])
        case .bossa:
            return [(.rim, row(pulses, "x")), (.closedHat, hats)] + (level == 0 ? [] : [(.kick, row(strongPulses, "x"))])
        case .backbeat, .boomBap, .breakbeat, .shuffle, .funk, .afrobeat, .chiptune:
            return level == 0
                ? [(.kick, row([0], "x")), (.closedHat, hats)]
                : [(.kick, row(strongPulses, "x")), (.snare, row(backbeats, level == 2 ? "X" : "x")),
                   (.closedHat, level == 2 && family == .chiptune ? busyHats : hats)]
        }
    }

    /// The build into a chorus: a snare roll through the whole bar, 8ths in its first half and 16ths in the
    /// second (16ths throughout in odd and compound meters), rising from soft to an accent, with the kick on
    /// the downbeat.
    func buildRoll() -> (from: Rational, hits: [DrumHit]) {
        let bar = meter.barLength
        let even = !meter.isCompound && meter.beatsPerBar % 2 == 0
        var offsets: [Rational] = even ? (0..<bar.floor).map { Rational($0, 2) } : []
        var time = even ? bar / Rational(2) : 0
        while time < bar {
            offsets.append(time)
            time += Rational(1, 4)
        }
        let hits = offsets.enumerated().map { index, offset in
            DrumHit(offset: offset, drum: .snare, velocity: 45 + 75 * index / max(offsets.count - 1, 1))
        } + [DrumHit(offset: 0, drum: .kick, velocity: 100)]
        return (0, hits)
    }

    /// A fill over the last pulse (compound meters), beat (3/4) or half bar (4/4) of a section.
    func fill(_ kind: FillKind) -> (from: Rational, hits: [DrumHit]) {
        let bar = meter.barLength
        let length: Rational = meter.isCompound ? Rational(3, 2) : (meter.beatsPerBar % 2 == 1 ? 1 : bar / Rational(2))
        let start = bar - length
        let sixteenths = max((length * 4).floor, 1)
        func ramp(_ index: Int, _ count: Int, from low: Int, to high: Int) -> Int {
            low + (high - low) * index / max(count - 1, 1)
        }
        var hits: [DrumHit] = []
        switch kind {
        case .snareRoll, .orchestralRoll:
            for index in 0..<sixteenths {
                hits.append(DrumHit(offset: start + Rational(index, 4), drum: .snare,
                                    velocity: ramp(index, sixteenths, from: 55, to: 118)))
            }
            hits.append(DrumHit(offset: start, drum: .kick, velocity: 100))
        case .toms:
            let toms: [Drum] = [.highTom, .midTom, .lowTom, .floorTom]
            for index in 0..<sixteenths {
                let drum = toms[min(index * toms.count / sixteenths, toms.count - 1)]
                hits.append(DrumHit(offset: start + Rational(index, 4), drum: drum,
                                    velocity: ramp(index, sixteenths, from: 80, to: 118)))
            }
            hits.append(DrumHit(offset: start, drum: .kick, velocity: 100))
        case .hatRoll:
            let count = sixteenths * 2
            for index in 0..<count {
                hits.append(DrumHit(offset: start + Rational(index, 8), drum: .closedHat,
                                    velocity: ramp(index, count, from: 50, to: 105)))
            }
            hits.append(DrumHit(offset: bar - Rational(1, 2), drum: .snare, velocity: 110))
        case .jazzTriplets:
            let count = max((length * 3).floor, 1)
            for index in 0..<count {
                hits.append(DrumHit(offset: start + Rational(index, 3), drum: index % 3 == 2 ? .midTom : .snare,
                                    velocity: ramp(index, count, from: 55, to: 100)))
            }
        case .shakerSwell:
            for index in 0..<sixteenths {
                hits.append(DrumHit(offset: start + Rational(index, 4), drum: .shaker,
                                    velocity: ramp(index, sixteenths, from: 40, to: 85)))
            }
        }
        return (start, hits)
    }
}
