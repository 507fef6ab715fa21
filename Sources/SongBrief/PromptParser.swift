import Foundation
import MusicTheory
import SeededRandom

/// Reads a free-text prompt ("a melancholic lo-fi hip hop beat with soft piano") into a `Brief`.
///
/// Explicit statements (tempo, key, meter, length, instruments) are obeyed; everything the prompt leaves
/// open is decided from the genre profile, nudged by mood words, with the seed choosing among idiomatic
/// options. Any input at all gives a valid brief: unknown words are ignored, never rejected.
public struct PromptParser: Sendable {
    public init() {}

    public func brief(for prompt: String, seed: UInt64, maxSeconds: Int = 300) -> Brief {
        brief(for: prompt, seed: seed, maxSeconds: maxSeconds, genreOverride: nil)
    }

    /// `genreOverride` (a genre the reference images lean to) replaces the genre only a prompt naming none
    /// would get; everything else is read from the prompt as usual.
    func brief(for prompt: String, seed: UInt64, maxSeconds: Int, genreOverride: Genre?) -> Brief {
        let tokens = PromptTokens.tokenize(prompt)
        let genreMatches = Self.genreIndex.matches(in: tokens)
        // Genre names joined by "and" ("drum and bass", "d&b", "rhythm and blues") are names, not lists of
        // instruments or keys.
        let genreNameRanges = genreMatches.map(\.range).filter { range in
            range.count > 1 && tokens[range].contains { $0.text == "and" || $0.text == "n" }
        }
        let moods = Self.moods(in: tokens)
        let nudges = moods.map { MoodProfile.profile(for: $0).nudge } + Self.descriptorNudges(in: tokens)
        let mentions = Self.instrumentMentions(in: tokens, excluding: genreNameRanges)

        let genre = genreOverride ?? Self.genre(from: genreMatches, mentions: mentions, moods: moods)
        let profile = GenreProfile.profile(for: genre)

        let statedTempo = PromptFacts.tempo(in: tokens)
        let statedKey = PromptFacts.key(in: tokens, excluding: genreNameRanges)
        let statedMeter = PromptFacts.meter(in: tokens)
        let statedLength = PromptFacts.length(in: tokens, excluding: mentions.map(\.range))
        let (instruments, requested) = Self.arrangement(for: profile, mentions: mentions)
        let length = Self.length(statedLength, profile: profile, seed: seed, maxSeconds: maxSeconds)

        var brief = Brief(
            prompt: prompt,
            genre: genre,
            moods: moods,
            bpm: statedTempo ?? Self.tempo(profile: profile, nudges: nudges, seed: seed),
            key: Self.key(statedKey, profile: profile, moods: moods, seed: seed),
            meter: statedMeter ?? profile.meter,
            density: Self.nudged(profile.density, by: nudges.map(\.density)),
            brightness: Self.nudged(profile.brightness, by: nudges.map(\.brightness)),
            energy: Self.nudged(profile.energy, by: nudges.map(\.energy)),
            registerShift: min(Brief.maxRegisterShift, max(-Brief.maxRegisterShift, nudges.reduce(0) { $0 + $1.registerShift })),
            instruments: instruments,
            requestedInstruments: requested,
            targetSeconds: length.seconds,
            lengthWasRequested: length.requested,
            tempoWasRequested: statedTempo != nil,
            keyWasRequested: statedKey?.tonic != nil,
            meterWasRequested: statedMeter != nil,
            seed: seed
        )
        brief.excludesDrums = !instruments.contains { $0.instrument.isDrumKit } && Self.rulesOutDrums(mentions)
        switch PromptFacts.voice(in: tokens) {
        case .voice(let voice): brief.voice = voice
        case .instrumental: brief.voice = nil
        case nil: brief.voice = genre.defaultVoice
        }
        brief.maxSeconds = Double(max(1, maxSeconds))
        return brief
    }

    /// "no drums" / "without drums", or an instrument played alone ("solo piano", "just a guitar") with
    /// no kit named: the song should have no drum kit.
    static func rulesOutDrums(_ mentions: [InstrumentMention]) -> Bool {
        let namesKit = { (mention: InstrumentMention) in mention.word.candidates.contains(where: \.isDrumKit) }
        if mentions.contains(where: { $0.negated && namesKit($0) }) { return true }
        let wanted = mentions.filter { !$0.negated }
        return wanted.contains(where: \.exclusive) && !wanted.contains(where: namesKit)
    }

    // MARK: Genre

    /// How strongly a genre word speaks for its genre.
    struct GenreKeyword: Sendable, Hashable {
        enum Strength: Int, Sendable, Comparable {
            case hint = 1, name = 2, specific = 3
            static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }
        }
        var genre: Genre
        var strength: Strength
    }

    static let genreIndex = PromptPhraseIndex<GenreKeyword>(
        Genre.allCases.flatMap { genre -> [(String, GenreKeyword)] in
            let profile = GenreProfile.profile(for: genre)
            return profile.specificKeywords.map { ($0, GenreKeyword(genre: genre, strength: .specific)) }
                + profile.keywords.map { ($0, GenreKeyword(genre: genre, strength: .name)) }
                + profile.hintWords.map { ($0, GenreKeyword(genre: genre, strength: .hint)) }
        })

    /// The most specific genre word wins ("lo-fi hip hop" over "hip hop", "deep house" over "dance"). Between
    /// equally strong words the first wins ("hip hop with jazz chords"), except in compounds where the second
    /// word is the head ("jazz funk", "folk rock").
    static func genre(
        from matches: [PromptPhraseIndex<GenreKeyword>.Match], mentions: [InstrumentMention], moods: [Mood]
    ) -> Genre {
        if let strongest = matches.map(\.value.strength).max() {
            let candidates = matches.filter { $0.value.strength == strongest }
            var chosen = candidates[0]
            for candidate in candidates.dropFirst() where candidate.range.lowerBound == chosen.range.upperBound {
                chosen = candidate
            }
            return chosen.value.genre
        }
        for mention in mentions where !mention.negated {
            if let genre = mention.word.candidates.first.flatMap(InstrumentWords.suggestedGenre(for:)) {
                return genre
            }
        }
        for mood in moods {
            if let genre = MoodProfile.profile(for: mood).suggestedGenre { return genre }
        }
        return .pop
    }

    // MARK: Moods and descriptors

    static let moodIndex = PromptPhraseIndex<Mood>(
        Mood.allCases.flatMap { mood in MoodProfile.profile(for: mood).words.map { ($0, mood) } })
    static let descriptorIndex = PromptPhraseIndex<MusicalNudge>(
        PromptDescriptor.all.flatMap { descriptor in descriptor.words.map { ($0, descriptor.nudge) } })

    /// Mood words in order of appearance, each mood once; "not sad" is not sad.
    static func moods(in tokens: [PromptToken]) -> [Mood] {
        var moods: [Mood] = []
        for match in moodIndex.matches(in: tokens)
        where !isNegated(tokens, at: match.range.lowerBound) && !moods.contains(match.value) {
            moods.append(match.value)
        }
        return moods
    }

    static func descriptorNudges(in tokens: [PromptToken]) -> [MusicalNudge] {
        descriptorIndex.matches(in: tokens).filter { !isNegated(tokens, at: $0.range.lowerBound) }.map(\.value)
    }

    private static let negators: Set<String> = [
        "no", "not", "without", "never", "minus", "except", "nothing", "non", "avoid", "dont", "zero",
    ]
    private static let clauseJoiners: Set<String> = ["and", "but", "with", "plus", "just", "only", "then"]

    /// "no drums", "without any piano", "not too sad": a negator shortly before, in the same clause.
    static func isNegated(_ tokens: [PromptToken], at index: Int) -> Bool {
        var look = index - 1
        while look >= 0 && look >= index - 3 && tokens[look].clause == tokens[index].clause {
            if negators.contains(tokens[look].text) { return true }
            // "don't", "doesn't": the apostrophe splits them into "don" "t".
            if tokens[look].text == "t" && look > 0 && tokens[look - 1].text.hasSuffix("n") { return true }
            if clauseJoiners.contains(tokens[look].text) { return false }
            look -= 1
        }
        return false
    }

    // MARK: Instruments

    struct InstrumentMention: Sendable {
        var word: InstrumentWord
        var range: Range<Int>
        /// The role the prompt gave it ("sax solo" -> lead), if any.
        var role: PartRole?
        /// "solo piano", "piano only", "just guitar": the named instruments play alone.
        var exclusive: Bool
        var negated: Bool
    }

    static func instrumentMentions(in tokens: [PromptToken], excluding excluded: [Range<Int>]) -> [InstrumentMention] {
        InstrumentWords.index.matches(in: tokens, excluding: excluded).map { match in
            let before = match.range.lowerBound > 0 ? tokens[match.range.lowerBound - 1] : nil
            let after = match.range.upperBound < tokens.count ? tokens[match.range.upperBound] : nil
            let first = tokens[match.range.lowerBound]
            let sameClauseBefore = before.flatMap { $0.clause == first.clause ? $0.text : nil }
            let sameClauseAfter = after.flatMap { $0.clause == first.clause ? $0.text : nil }
            let selfAccompanying = match.value.candidates.contains { InstrumentWords.selfAccompanying.contains($0) }

            let soloBefore = sameClauseBefore == "solo" && selfAccompanying
            let onlyAfter = sameClauseAfter == "only" || sameClauseAfter == "alone"
            let justBefore = sameClauseBefore == "just" || sameClauseBefore == "only"
                || (["a", "an"].contains(sameClauseBefore ?? "") && match.range.lowerBound > 1
                    && ["just", "only"].contains(tokens[match.range.lowerBound - 2].text))
            let role = soloBefore
                ? nil
                : sameClauseAfter.flatMap { InstrumentWords.roleWordsAfter[$0] }
                    ?? sameClauseBefore.flatMap { InstrumentWords.roleWordsBefore[$0] }
                    ?? (match.value.namesRole ? match.value.role : nil)
            return InstrumentMention(
                word: match.value, range: match.range, role: role, exclusive: soloBefore || onlyAfter || justBefore,
                negated: isNegated(tokens, at: match.range.lowerBound))
        }
    }

    /// The genre's arrangement with the prompt's instruments put in: a named instrument the genre already has
    /// stays where it is; otherwise it takes its role from the genre's default ("soft piano" in lo-fi takes the
    /// chords from the Rhodes, "808" takes the bass).
    static func arrangement(
        for profile: GenreProfile, mentions: [InstrumentMention]
    ) -> (instruments: [InstrumentChoice], requested: [Instrument]) {
        let wanted = mentions.filter { !$0.negated }
        let exclusive = wanted.contains(where: \.exclusive)
        var parts = exclusive ? [] : profile.instruments
        var requested: [Instrument] = []
        var claimedRoles: [PartRole] = []

        for mention in wanted {
            let candidates = mention.word.candidates
            if let existing = parts.first(where: {
                candidates.contains($0.instrument) && (mention.role == nil || mention.role == $0.role)
            }) {
                if !requested.contains(existing.instrument) { requested.append(existing.instrument) }
                claimedRoles.append(existing.role)
                continue
            }
            let instrument = candidates.first { candidate in parts.contains { $0.instrument == candidate } }
                ?? candidates.first ?? .acousticPiano
            var role = mention.role ?? mention.word.role
            if role == .lead && claimedRoles.contains(.lead) { role = .counterMelody }
            if !claimedRoles.contains(role) {
                parts.removeAll { $0.role == role }
            }
            let choice = InstrumentChoice(instrument, role)
            if !parts.contains(choice) { parts.append(choice) }
            if !requested.contains(instrument) { requested.append(instrument) }
            claimedRoles.append(role)
        }

        if exclusive, !parts.contains(where: { $0.role == .lead }),
            let melodic = parts.first(where: { !$0.instrument.isDrumKit && $0.role != .bass })
        {
            // A solo instrument plays its own melody over its own accompaniment.
            parts.append(InstrumentChoice(melodic.instrument, .lead))
        }

        for mention in mentions where mention.negated {
            let unwanted = mention.word.candidates.filter { !requested.contains($0) }
            parts.removeAll { unwanted.contains($0.instrument) }
        }
        return (parts, requested)
    }

    // MARK: Tempo, key, length

    static func tempo(profile: GenreProfile, nudges: [MusicalNudge], seed: UInt64) -> Int {
        var random = SeededGenerator(seed: seed, stream: "brief.tempo")
        let lean = min(1, max(-1, nudges.reduce(0) { $0 + $1.tempoLean }))
        let low = Double(profile.tempoRange.lowerBound)
        let high = Double(profile.tempoRange.upperBound)
        let typical = Double(profile.typicalBPM)
        let centre = lean >= 0 ? typical + lean * (high - typical) : typical + lean * (typical - low)
        let jitter = (random.unit() - 0.5) * 0.3 * (high - low)
        return Int(min(high, max(low, centre + jitter)).rounded())
    }

    static func key(
        _ statement: PromptFacts.KeyStatement?, profile: GenreProfile, moods: [Mood], seed: UInt64
    ) -> Key {
        var modeRandom = SeededGenerator(seed: seed, stream: "brief.mode")
        var tonicRandom = SeededGenerator(seed: seed, stream: "brief.tonic")
        let lean = moods.reduce(0) { $0 + MoodProfile.profile(for: $1).lean.rawValue }
        let mode: Mode
        if let stated = statement?.mode {
            mode = stated
        } else if lean != 0 {
            mode = lean > 0 ? .major : .minor
        } else {
            let wantsMajor = modeRandom.unit() < profile.majorLean
            let flavours = wantsMajor ? profile.majorModes : profile.minorModes
            mode = modeRandom.element(flavours) ?? (wantsMajor ? .major : .minor)
        }
        let tonics = mode.isMinor ? profile.minorTonics : profile.majorTonics
        let tonic = statement?.tonic ?? tonicRandom.element(tonics) ?? .c
        return Key(tonic, mode)
    }

    static func length(
        _ statement: PromptFacts.LengthStatement?, profile: GenreProfile, seed: UInt64, maxSeconds: Int
    ) -> (seconds: Double, requested: Bool) {
        var random = SeededGenerator(seed: seed, stream: "brief.length")
        let longest = Double(max(1, maxSeconds))
        let shortest = min(15, longest)
        func clamped(_ seconds: Double) -> Double { min(longest, max(shortest, seconds)) }
        switch statement {
        case .seconds(let seconds): return (clamped(seconds), true)
        case .short: return (clamped((90 + random.unit() * 30).rounded()), true)
        case .long: return (clamped((270 + random.unit() * 30).rounded()), true)
        case nil:
            let range = Double(profile.lengthRange.lowerBound)...Double(profile.lengthRange.upperBound)
            let seconds = range.lowerBound + random.unit() * (range.upperBound - range.lowerBound)
            return (clamped(seconds.rounded()), false)
        }
    }

    /// Applies each word's push in proportion to the room left, so stacked words ("soft melancholic lo-fi")
    /// keep adding character without pinning the value at 0 or 1; the floor keeps the quietest song audible.
    /// Rounded to hundredths so briefs read cleanly as JSON.
    static func nudged(_ base: Double, by deltas: [Double]) -> Double {
        let value = deltas.reduce(base) { value, delta in
            let room = delta > 0 ? 1 - value : value
            return value + delta * min(1, 1.5 * room)
        }
        return (min(1, max(0.1, value)) * 100).rounded() / 100
    }
}

extension Brief {
    /// The brief as pretty-printed JSON with sorted keys (what the CLI and the API report).
    public var summaryJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
