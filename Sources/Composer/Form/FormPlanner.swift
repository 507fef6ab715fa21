import MusicTheory
import SongBrief

/// Chooses the form: which sections, in which order, how many bars each, so that the song lasts as long as
/// the brief asks. Sections are built from 4- and 8-bar phrases (12 bars for a blues chorus); only the intro
/// and outro may shrink to 1-2 bars when long bars make a short request impossible otherwise.
struct FormPlanner {
    let brief: Brief
    let style: GenreStyle
    /// Seconds the performance adds after the last bar (the final chord ringing out).
    let ringOutSeconds: Double

    /// Orders of sections, from the compact form of a short request to a long radio form. `.bridge` stands
    /// for the genre's contrasting section (a bridge or a breakdown).
    private static let templates: [(kinds: [SectionKind], minimumSeconds: Double, maximumSeconds: Double)] = [
        // Very short requests at slow tempos: even a 1-bar intro would overshoot, so the verse opens the song
        // (its progression starts on the tonic) and the outro still gives a real ending.
        ([.verse, .chorus, .outro], 0, 40),
        ([.intro, .verse, .chorus, .outro], 0, 75),
        ([.intro, .verse, .chorus, .verse, .chorus, .outro], 61, 150),
        ([.intro, .verse, .chorus, .verse, .chorus, .bridge, .chorus, .outro], 90, 240),
        ([.intro, .verse, .preChorus, .chorus, .verse, .preChorus, .chorus, .bridge, .chorus, .outro], 120, 300),
        ([.intro, .verse, .preChorus, .chorus, .verse, .preChorus, .chorus, .bridge, .chorus, .chorus, .outro],
         170, 400),
        ([.intro, .verse, .chorus, .verse, .chorus, .bridge, .verse, .chorus, .chorus, .outro], 170, 400),
    ]

    /// Bar counts a section kind may take, with a small penalty for the less idiomatic ones.
    private func sizeOptions(_ kind: SectionKind) -> [(bars: Int, penalty: Double)] {
        let blues = style.harmony.keepsOwnTurnaround
        switch kind {
        case .intro, .outro: return [(4, 0), (2, 0.03), (8, 0.03), (1, 0.12)]
        case .verse, .chorus: return blues ? [(12, 0), (24, 0.06)] : [(8, 0), (16, 0.03), (4, 0.06)]
        case .preChorus: return [(4, 0), (8, 0.03)]
        default: return [(8, 0), (4, 0.02), (16, 0.05)]
        }
    }

    func sections() -> [Section] {
        let barSeconds = brief.seconds(brief.meter.barLength)
        let target = max(brief.targetSeconds, 1)
        let aim = brief.lengthWasRequested ? target : min(max(target, 135), 270)
        var best: (cost: Double, kinds: [SectionKind], sizes: [SectionKind: Int])?

        for template in Self.templates {
            let kinds = template.kinds.map { $0 == .bridge ? style.contrast : $0 }
            let distinct = kinds.reduce(into: [SectionKind]()) { if !$0.contains($1) { $0.append($1) } }
            let positions = kinds.map { kind in distinct.firstIndex(of: kind) ?? 0 }
            let options = distinct.map(sizeOptions)
            let templatePenalty = (aim < template.minimumSeconds || aim > template.maximumSeconds ? 0.25 : 0)
                + (kinds.first == .intro ? 0 : 0.2)  // an intro-less song only when the length demands it
            // Every combination of sizes, counted like an odometer over the options of each kind.
            var choice = [Int](repeating: 0, count: distinct.count)
            while true {
                var bars = 0
                for position in positions { bars += options[position][choice[position]].bars }
                var sizePenalty = 0.0
                for (index, option) in choice.enumerated() { sizePenalty += options[index][option].penalty }
                let seconds = Double(bars) * barSeconds + ringOutSeconds
                let error = abs(seconds - aim) / aim
                var cost = error * 3 + sizePenalty + templatePenalty
                if brief.lengthWasRequested, error > 0.08 { cost += 2 + error }
                if !brief.lengthWasRequested, seconds < 120 || seconds > 300 { cost += 2 }
                if cost < (best?.cost ?? .infinity) {
                    var sizes: [SectionKind: Int] = [:]
                    for (index, kind) in distinct.enumerated() { sizes[kind] = options[index][choice[index]].bars }
                    best = (cost, kinds, sizes)
                }
                var digit = 0
                while digit < choice.count {
                    choice[digit] += 1
                    if choice[digit] < options[digit].count { break }
                    choice[digit] = 0
                    digit += 1
                }
                if digit == choice.count { break }
            }
        }
        guard let best else { return [] }
        return Self.label(best.kinds, sizes: best.sizes)
    }

    private static func label(_ kinds: [SectionKind], sizes: [SectionKind: Int]) -> [Section] {
        var totals: [SectionKind: Int] = [:]
        for kind in kinds { totals[kind, default: 0] += 1 }
        var seen: [SectionKind: Int] = [:]
        var bar = 0
        return kinds.map { kind in
            seen[kind, default: 0] += 1
            let bars = sizes[kind] ?? 4
            let name = kind.displayName
            let label = (totals[kind] ?? 0) > 1 ? "\(name) \(seen[kind] ?? 1)" : name
            defer { bar += bars }
            return Section(kind: kind, label: label, startBar: bar, bars: bars)
        }
    }
}
