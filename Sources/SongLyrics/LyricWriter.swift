import Foundation
import MusicTheory
import SeededRandom
import SongBrief

/// Lyrics the engine wrote: the title (the hook), the lyrics as sung, and the same as tagged text.
public struct WrittenLyrics: Sendable, Hashable, Codable {
    public var title: String
    public var lyrics: Lyrics
    /// What the API returns as `lyrics`: section tags and lines, parseable by `LyricsParser`.
    public var text: String

    public init(title: String, lyrics: Lyrics, text: String) {
        self.title = title
        self.lyrics = lyrics
        self.text = text
    }
}

/// Writes a song's lyrics from a brief. The song keeps one theme (from the prompt's known words, its mood and
/// genre) and a small story: verse 1 sets a scene with concrete images, the pre-chorus builds, the chorus states
/// the hook (the title), verse 2 remembers, the bridge turns. Lines come from grammatical templates whose slots
/// take only words of the right kind from a curated vocabulary (`LyricVocabulary`), so prompt words the writer
/// does not know (codes, typos, names) and music words (instruments, production, tempo) are never sung. Rhyme
/// pairs rhyme by the dictionary; every line has `syllableRange` syllables, with alternating stress preferred.
/// The same brief (and seed) always gives the same lyrics.
public struct LyricWriter: Sendable {
    public let dictionary: PronouncingDictionary
    /// Syllables per sung line: the melody writer gives a line of this length one or two bars.
    public var syllableRange: ClosedRange<Int> = 7...9

    public init(dictionary: PronouncingDictionary) { self.dictionary = dictionary }

    public func write(for brief: Brief) -> WrittenLyrics {
        var song = SongWriter(
            dictionary: dictionary, lexicon: LexiconBuilder().lexicon(for: brief),
            syllableRange: syllableRange, seed: brief.seed, prompt: brief.prompt)
        let (title, hook) = song.titleAndHook()
        let verse1 = song.rhymingLines(role: .scene, scheme: song.verseScheme())
        let preChorus = song.rhymingLines(role: .build, scheme: .couplet)
        let chorusMiddle = song.rhymingLines(role: .chorus, scheme: .couplet)
        let chorus = [hook] + chorusMiddle + [hook]
        let verse2 = song.rhymingLines(role: .memory, scheme: song.verseScheme())
        let bridge = song.rhymingLines(role: .turn, scheme: .alternateUnrhymed)
        let form: [(SectionKind, String, [String])] = [
            (.verse, "Verse 1", verse1), (.preChorus, "Pre-Chorus", preChorus), (.chorus, "Chorus 1", chorus),
            (.verse, "Verse 2", verse2), (.chorus, "Chorus 2", chorus), (.bridge, "Bridge", bridge),
            (.chorus, "Chorus 3", chorus),
        ]
        let syllabifier = WordSyllabifier(dictionary: dictionary)
        let sections = form.map { kind, label, lines in
            LyricSection(
                kind: kind, label: label,
                lines: lines.enumerated().map { index, text in
                    LyricLine(
                        text: text,
                        words: text.split(separator: " ").map {
                            syllabifier.sungWord(LyricsParser.trimmedWord(String($0)), isBacking: false)
                        },
                        endsPhrase: index == lines.count - 1 || index % 2 == 1)
                })
        }
        let lyrics = Lyrics(sections: sections)
        return WrittenLyrics(title: title, lyrics: lyrics, text: lyrics.taggedText)
    }
}

/// How the lines of a section rhyme.
enum RhymeScheme {
    case couplet  // AA
    case couplets  // AABB
    case alternate  // ABAB
    case alternateUnrhymed  // XAXA
}

/// A candidate rhyme word and the grammar its line needs.
struct EndWord: Sendable, Hashable {
    var text: String
    var ending: LineEnding
    var rhymeKey: String
    /// 2 = the prompt named it, 1 = from the song's themes, 0 = general vocabulary.
    var priority: Int
}

/// Builds the lexicon for a brief: the two themes the prompt calls up most (mood and genre fill in), with the
/// prompt's own known words moved to the front of their lists.
struct LexiconBuilder {
    func lexicon(for brief: Brief) -> ThemeLexicon {
        let tokens = brief.prompt.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "'" }.map(String.init)
        var lexicon = ThemeLexicon()
        for theme in chosenThemes(tokens: tokens, brief: brief) { lexicon.add(theme) }
        for token in tokens where !MusicTermWords.contains(token) && !Self.fillers.contains(token) {
            guard let word = LyricVocabulary.known(token), !MusicTermWords.contains(word),
                let kinds = LyricVocabulary.kinds[word]
            else { continue }
            // A word listed as several kinds ("fire": place and actor) joins each list it fits.
            for kind in WordKind.allCases where kinds.contains(kind) { lexicon.promote(word, as: kind) }
        }
        return lexicon
    }

    /// Prompt words that the vocabulary lists but that a prompt uses as instructions ("make it free-flowing",
    /// "new song", "play it slow").
    private static let fillers: Set<String> = ["new", "play", "go", "know", "try", "fine", "right", "real", "slow",
                                               "high", "blue", "line", "name", "stand", "turn", "free"]

    private func chosenThemes(tokens: [String], brief: Brief) -> [Theme] {
        let words = Set(tokens)
        var scored = Theme.all.enumerated().map { index, theme in
            (index, theme.triggers.intersection(words).count)
        }.filter { $0.1 > 0 }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        var names = scored.prefix(2).map { Theme.all[$0.0].name }
        for name in moodAndGenreThemes(brief) where names.count < 2 && !names.contains(name) { names.append(name) }
        // One theme the prompt, mood and genre agree on is kept pure; the fallback only serves prompts that name
        // no theme at all.
        if names.isEmpty { names = Theme.fallbackNames }
        return names.compactMap { name in Theme.all.first { $0.name == name } }
    }

    private func moodAndGenreThemes(_ brief: Brief) -> [String] {
        var names: [String] = []
        for mood in brief.moods {
            switch mood {
            case .sad, .melancholic: names.append("rain sadness")
            case .romantic: names.append("love heart")
            case .nostalgic: names.append("home nostalgia")
            case .angry, .aggressive, .epic: names.append("fire fight")
            case .dreamy, .hopeful, .uplifting: names.append("dreams hope")
            case .upbeat, .happy, .energetic, .groovy, .playful: names.append("party dance")
            case .calm, .peaceful, .relaxed, .chill: names.append("ocean summer")
            case .dark, .mysterious, .tense: names.append("night city drive")
            }
        }
        switch brief.genre {
        case .disco, .house, .techno, .funk, .afrobeat, .dubstep, .drumAndBass: names.append("party dance")
        case .synthwave: names.append("night city drive")
        case .country, .folk: names.append("road freedom")
        case .metal, .rock: names.append("fire fight")
        case .hipHop, .trap: names.append("money hustle")
        case .ambient, .chiptune: names.append("space stars")
        case .reggae, .latin: names.append("ocean summer")
        case .blues, .rnb, .gospel, .jazz: names.append("love heart")
        case .lofi: names.append("home nostalgia")
        case .orchestral: names.append("dreams hope")
        case .pop, .indie: break
        }
        return names
    }
}

/// The state of writing one song: its random stream, the lexicon, and what it has used already.
struct SongWriter {
    let dictionary: PronouncingDictionary
    let lexicon: ThemeLexicon
    let syllableRange: ClosedRange<Int>
    private var random: SeededGenerator
    private var usedLines: Set<String> = []
    private var usedEndWords: Set<String> = []
    private var usedWords: Set<String> = []
    private var templateUses: [String: Int] = [:]
    /// Templates of the section being written: two lines of one section never share a template.
    private var sectionTemplates: Set<String> = []
    private let endWords: [EndWord]
    /// Which verbs each actor may take ("the willow sways", never "the radio sways").
    private let verbsOfActor: [String: [LyricVerb]]

    init(
        dictionary: PronouncingDictionary, lexicon: ThemeLexicon, syllableRange: ClosedRange<Int>, seed: UInt64,
        prompt: String
    ) {
        self.dictionary = dictionary
        self.lexicon = lexicon
        self.syllableRange = syllableRange
        // The prompt is part of the stream so two prompts on one theme and seed still choose differently.
        random = SeededGenerator(seed: seed, stream: "lyrics " + prompt)
        var verbs: [String: [LyricVerb]] = [:]
        for theme in Theme.all where lexicon.themeNames.contains(theme.name) {
            for actor in theme.actors { verbs[actor, default: []] += theme.actorVerbs }
        }
        verbsOfActor = verbs
        var pool: [EndWord] = []
        var seen: Set<String> = []
        func add(_ words: [String], _ ending: LineEnding, _ priority: Int) {
            for word in words where !seen.contains("\(ending) \(word)") {
                guard let pronunciation = dictionary.lookup(word), !pronunciation.rhyme.isEmpty else { continue }
                seen.insert("\(ending) \(word)")
                let promptPriority = lexicon.promptWords.contains(word) ? 2 : priority
                pool.append(
                    EndWord(text: word, ending: ending, rhymeKey: pronunciation.rhymeKey, priority: promptPriority))
            }
        }
        add(lexicon.places, .place, 1)
        add(lexicon.things, .thing, 1)
        add(lexicon.actorVerbs.map(\.base), .actorVerb, 1)
        add(lexicon.doings.map(\.base), .doing, 1)
        add(lexicon.feelings, .feeling, 1)
        add(LyricVocabulary.generalPlaces, .place, 0)
        add(LyricVocabulary.generalThings, .thing, 0)
        add(LyricVocabulary.generalDoings.map(\.base), .doing, 0)
        add(LyricVocabulary.generalFeelings, .feeling, 0)
        endWords = pool
    }

    mutating func verseScheme() -> RhymeScheme { Bool.random(using: &random) ? .alternate : .couplets }

    // MARK: Title and hook

    /// The title is a modifier and a place or thing, the prompt's own words first ("Neon City"); the hook line
    /// states it with a preposition that fits its kind.
    mutating func titleAndHook() -> (title: String, hook: String) {
        let promptNouns = lexicon.promptWords.filter { lexicon.places.contains($0) || lexicon.things.contains($0) }
        let themeNouns = Array(lexicon.places.prefix(6)) + Array(lexicon.things.prefix(6))
        let promptModifiers = lexicon.promptWords.filter { lexicon.modifiers.contains($0) }
        var nouns = promptNouns.isEmpty ? themeNouns : promptNouns
        var modifiers = promptModifiers.isEmpty ? lexicon.modifiers : promptModifiers
        nouns.shuffle(using: &random)
        modifiers.shuffle(using: &random)
        var choice: (modifier: String, noun: String)?
        // The hook line must still scan: a short title leaves room for the words that state it.
        search: for noun in nouns {
            // "Midnight Night" says one word twice.
            for modifier in modifiers
            where Self.areDistinctRhymes(modifier, noun) && syllables(in: modifier + " " + noun) <= 5 {
                choice = (modifier, noun)
                break search
            }
        }
        let (modifier, noun) = choice ?? ("golden", "light")
        let phrase = modifier + " " + noun
        let ending: LineEnding = lexicon.places.contains(noun) || !lexicon.things.contains(noun) ? .place : .thing
        var candidates = (LineTemplate.hookPatterns[ending] ?? []).map {
            $0.replacingOccurrences(of: "{T}", with: phrase)
        }
        candidates.shuffle(using: &random)
        let hook = Self.fixingArticles(
            candidates.first { syllableRange.contains(syllables(in: $0)) }
                ?? candidates.min { distance(syllables(in: $0)) < distance(syllables(in: $1)) } ?? phrase)
        usedLines.insert(hook)
        usedEndWords.formUnion([modifier, noun])
        usedWords.formUnion([modifier, noun])
        let title = [modifier, noun].map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return (title, hook)
    }

    // MARK: Rhymed sections

    mutating func rhymingLines(role: LineRole, scheme: RhymeScheme) -> [String] {
        sectionTemplates = []
        switch scheme {
        case .couplet:
            return rhymedPair(role: role)
        case .couplets:
            return rhymedPair(role: role) + rhymedPair(role: role)
        case .alternate:
            let first = rhymedPair(role: role)
            let second = rhymedPair(role: role)
            return [first[0], second[0], first[1], second[1]]
        case .alternateUnrhymed:
            let rhymed = rhymedPair(role: role)
            return [unrhymedLine(role: role), rhymed[0], unrhymedLine(role: role), rhymed[1]]
        }
    }

    private mutating func rhymedPair(role: LineRole) -> [String] {
        let (first, second) = rhymePair()
        usedEndWords.formUnion([first.text, second.text])
        return [line(role: role, ending: first), line(role: role, ending: second)]
    }

    private mutating func unrhymedLine(role: LineRole) -> String {
        let free = endWords.filter { !usedEndWords.contains($0.text) && $0.priority > 0 }
        guard let word = pick(free) ?? pick(endWords) else { return "" }
        usedEndWords.insert(word.text)
        return line(role: role, ending: word)
    }

    /// Two different words with the same rhyme part, preferring the prompt's and the themes' words.
    private mutating func rhymePair() -> (EndWord, EndWord) {
        let available = endWords.filter { !usedEndWords.contains($0.text) }
        let groups = Dictionary(grouping: available, by: \.rhymeKey)
        var options: [(EndWord, EndWord, Int)] = []
        for key in groups.keys.sorted() {
            guard let group = groups[key] else { continue }
            for (index, first) in group.enumerated() {
                for second in group[(index + 1)...] where Self.areDistinctRhymes(first.text, second.text) {
                    // Places and things as rhyme words bring concrete images; the prompt's words count most.
                    let images = [first, second].filter { $0.ending == .place || $0.ending == .thing }.count
                    options.append((first, second, 2 * (first.priority + second.priority) + images))
                }
            }
        }
        guard let best = options.map(\.2).max() else {
            // Every rhyme used up (never in a normal song): fall back to any pair of words.
            let word = endWords[Int.random(in: 0..<endWords.count, using: &random)]
            return (word, word)
        }
        // The best-placed pairs (the prompt's, then the themes' words) while there is a choice among them, so
        // the general words only fill in.
        let top = options.filter { $0.2 == best }
        let pool = top.count >= 4 ? top : options.filter { $0.2 >= best - 2 }
        let chosen = pool[Int.random(in: 0..<pool.count, using: &random)]
        return Bool.random(using: &random) ? (chosen.0, chosen.1) : (chosen.1, chosen.0)
    }

    /// "night" and "midnight" or "light" and "light" are the same sound, not a rhyme.
    static func areDistinctRhymes(_ first: String, _ second: String) -> Bool {
        first != second && !first.hasSuffix(second) && !second.hasSuffix(first)
    }

    // MARK: Lines

    /// A line of the role's templates ending in the word, with the syllable count in range; the role's own
    /// templates first, then any role's, then the closest count.
    private mutating func line(role: LineRole, ending word: EndWord) -> String {
        let fresh = LineTemplate.all.filter { !sectionTemplates.contains($0.pattern) && $0.ending == word.ending }
        let own = fresh.filter { $0.role == role }
        let any = fresh.filter { $0.role != role }
        var closest: (text: String, distance: Int, pattern: String)?
        var chosen: (text: String, pattern: String)?
        for templates in [own, any] where chosen == nil {
            var best: (text: String, score: Double, pattern: String)?
            var tried: Set<String> = []
            for _ in 0..<24 {
                guard let template = leastUsedTemplate(templates.filter { !tried.contains($0.pattern) }) else {
                    break
                }
                tried.insert(template.pattern)
                guard let body = fill(template.pattern, end: word) else { continue }
                for leadIn in [""] + LineTemplate.leadIns.map({ $0 + " " }) where leadIn.isEmpty || Self.takesLeadIn(body) {
                    let text = leadIn + body
                    guard !usedLines.contains(text) else { continue }
                    let count = syllables(in: text)
                    if distance(count) < closest?.distance ?? .max { closest = (text, distance(count), template.pattern) }
                    if syllableRange.contains(count) {
                        let fresh = templateUses[template.pattern] == nil ? 1.0 : 0
                        // Slots are images and actions: a line with more of them says more.
                        let slots = Double(template.pattern.filter { $0 == "{" }.count - 1)
                        let score = stressAlternation(text) + fresh + (leadIn.isEmpty ? 0.3 : 0) + 0.3 * slots
                        if best == nil || score > best?.score ?? 0 { best = (text, score, template.pattern) }
                        break
                    }
                }
                if best != nil && Int.random(in: 0..<3, using: &random) == 0 { break }
            }
            if let best { chosen = (best.text, best.pattern) }
        }
        let text = chosen?.text ?? closest?.text ?? word.text
        if let pattern = chosen?.pattern ?? closest?.pattern {
            templateUses[pattern, default: 0] += 1
            sectionTemplates.insert(pattern)
        }
        usedLines.insert(text)
        for token in text.split(separator: " ") { usedWords.insert(LyricsParser.trimmedWord(String(token))) }
        return text
    }

    /// "and" before "and ..." or "so" before "but ..." reads as a stammer.
    private static func takesLeadIn(_ body: String) -> Bool {
        let first = body.split(separator: " ").first.map(String.init) ?? ""
        return !["and", "but", "so", "now", "oh,", "hold", "can", "maybe"].contains(first)
    }

    private mutating func leastUsedTemplate(_ templates: [LineTemplate]) -> LineTemplate? {
        guard let fewest = templates.map({ templateUses[$0.pattern] ?? 0 }).min() else { return nil }
        return pick(templates.filter { (templateUses[$0.pattern] ?? 0) == fewest })
    }

    /// Fills a pattern's slots with words of the right kind, the prompt's unused words first. Nil when the
    /// pattern cannot take this end word (no actor can do the end verb, or a word would appear twice).
    private mutating func fill(_ pattern: String, end: EndWord) -> String? {
        var text = pattern.replacingOccurrences(of: "{END}", with: end.text)
        var taken: Set<String> = [end.text]
        if text.contains("{a}") {
            var actors = lexicon.actors.filter { !taken.contains($0) }
            if end.ending == .actorVerb {
                actors = actors.filter { verbsOfActor[$0]?.contains { $0.base == end.text } == true }
            }
            guard let actor = choose(actors) else { return nil }
            text = text.replacingOccurrences(of: "{a}", with: actor)
            taken.insert(actor)
            let verbs = (verbsOfActor[actor] ?? []).filter { $0.base != end.text }
            for (slot, form) in [("{ag}", \LyricVerb.gerund), ("{a3}", \LyricVerb.third)] where text.contains(slot) {
                guard let verb = pick(verbs) else { return nil }
                text = text.replacingOccurrences(of: slot, with: verb[keyPath: form])
            }
        }
        let slots: [(String, [String])] = [
            ("{p}", lexicon.places), ("{t}", lexicon.things), ("{m}", lexicon.modifiers),
            ("{dg}", lexicon.doings.map(\.gerund)), ("{d}", lexicon.doings.map(\.base)),
        ]
        for (slot, words) in slots {
            while let range = text.range(of: slot) {
                guard let word = choose(words.filter { !taken.contains($0) }) else { return nil }
                taken.insert(word)
                text.replaceSubrange(range, with: word)
            }
        }
        // "tonight we're young and young": a template's own words may not meet the same word in a slot.
        let content = text.split(separator: " ").map { LyricsParser.trimmedWord(String($0)).lowercased() }
            .filter { !LyricStress.functionWords.contains($0) }
        guard Set(content).count == content.count else { return nil }
        return Self.fixingArticles(text)
    }

    /// An unused prompt word if there is one, else any word of the list.
    private mutating func choose(_ words: [String]) -> String? {
        let fresh = words.filter { lexicon.promptWords.contains($0) && !usedWords.contains($0) }
        return pick(fresh) ?? pick(words.filter { !usedWords.contains($0) }) ?? pick(words)
    }

    /// "a electric" -> "an electric".
    static func fixingArticles(_ text: String) -> String {
        var words = text.split(separator: " ").map(String.init)
        for index in words.indices.dropLast() where words[index].lowercased() == "a" {
            if let first = words[index + 1].first, "aeiou".contains(first) { words[index] = "an" }
        }
        return words.joined(separator: " ")
    }

    // MARK: Measuring lines

    func syllables(in text: String) -> Int {
        text.split(separator: " ").reduce(0) { total, word in
            total + dictionary.pronunciation(of: LyricsParser.trimmedWord(String(word))).syllables.count
        }
    }

    private func distance(_ count: Int) -> Int {
        count < syllableRange.lowerBound
            ? syllableRange.lowerBound - count : max(count - syllableRange.upperBound, 0)
    }

    /// 0...1: how often neighbouring syllables alternate between stressed and unstressed. Short function
    /// words count as unstressed, as they are sung.
    func stressAlternation(_ text: String) -> Double {
        let stresses = LyricStress.pattern(of: text, dictionary: dictionary)
        guard stresses.count > 1 else { return 0 }
        let alternations = zip(stresses, stresses.dropFirst()).filter { $0 != $1 }.count
        return Double(alternations) / Double(stresses.count - 1)
    }

    private mutating func pick<T>(_ options: [T]) -> T? {
        options.isEmpty ? nil : options[Int.random(in: 0..<options.count, using: &random)]
    }
}

/// The stress pattern of a line as sung: dictionary stress, with one-syllable function words unstressed.
enum LyricStress {
    static let functionWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as",
        "is", "are", "was", "were", "be", "i", "you", "we", "me", "my", "your", "our", "it", "its", "us", "so",
        "oh", "that", "this", "there's", "we're", "i'm", "can", "will", "let", "all", "if", "when", "than",
    ]

    static func pattern(of text: String, dictionary: PronouncingDictionary) -> [Bool] {
        text.split(separator: " ").flatMap { token -> [Bool] in
            let word = LyricsParser.trimmedWord(String(token)).lowercased()
            let pronunciation = dictionary.pronunciation(of: word)
            if pronunciation.syllables.count == 1 { return [!functionWords.contains(word)] }
            return pronunciation.syllables.map { $0.stress == .primary }
        }
    }
}
