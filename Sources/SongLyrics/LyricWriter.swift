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

/// Writes a song's lyrics from a brief: a theme vocabulary from the prompt's words, lines from small
/// grammatical templates, rhyme pairs that rhyme by the dictionary's rhyme part, 7-9 syllables a line with
/// alternating stress where the templates allow, and a hook (the title) in every chorus.
/// The same brief (and seed) always gives the same lyrics.
public struct LyricWriter: Sendable {
    public let dictionary: PronouncingDictionary
    /// Syllables per sung line.
    public var syllableRange: ClosedRange<Int> = 7...9

    public init(dictionary: PronouncingDictionary) { self.dictionary = dictionary }

    public func write(for brief: Brief) -> WrittenLyrics {
        var song = SongWriter(
            dictionary: dictionary, lexicon: LexiconBuilder(dictionary: dictionary).lexicon(for: brief),
            syllableRange: syllableRange, seed: brief.seed, prompt: brief.prompt)
        let title = song.title()
        let hook = song.hookLine(title: title)
        let chorus = [hook] + song.rhymingLines(count: 2, scheme: .couplets) + [hook]
        let verse1 = song.rhymingLines(count: 4, scheme: song.verseScheme())
        let preChorus = song.rhymingLines(count: 2, scheme: .couplets)
        let verse2 = song.rhymingLines(count: 4, scheme: song.verseScheme())
        let bridge = song.rhymingLines(count: 4, scheme: .alternateUnrhymed)
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
    case couplets  // AABB
    case alternate  // ABAB
    case alternateUnrhymed  // XAXA
}

/// The grammar of one line: words and slots; `{END}` is the rhyme word and must come last.
struct LineTemplate: Sendable, Hashable {
    enum Ending: Sendable { case noun, verb, adjective }
    var ending: Ending
    var pattern: String

    static let all: [LineTemplate] =
        [
            "we were {g} through the {END}", "I can feel you in the {END}", "hold me close beneath the {END}",
            "take me back into the {END}", "all the {ns} lead to the {END}", "lost inside the {m} {END}",
            "we keep {g} toward the {END}", "you and I against the {END}", "I still remember the {END}",
            "calling out across the {END}", "waiting for the {m} {END}", "{g} underneath the {END}",
            "there's a {m} {n} in the {END}", "meet me by the {m} {END}", "every {n} becomes the {END}",
            "your name is written on the {END}", "we left our {ns} in the {END}",
            "nothing else but you and the {END}", "chasing every {m} {END}", "I hear you calling from the {END}",
        ].map { LineTemplate(ending: .noun, pattern: $0) }
        + [
            "watch the {n} begin to {END}", "we were {g} just to {END}", "don't you let the {n} {END}",
            "in the {n} we're gonna {END}", "I can feel the {ns} {END}", "let the {m} {ns} {END}",
            "all the {ns} will {END}", "give the {m} {n} a chance to {END}", "this is where the {ns} {END}",
            "by the {n} we learn to {END}", "out here in the {n} we {END}", "when the {n} is calling, we {END}",
            "hold the {n} and never {END}", "every {n} is asking us to {END}",
        ].map { LineTemplate(ending: .verb, pattern: $0) }
        + [
            "and the {n} is {END}", "every {n} feels so {END}", "by the {n} I feel so {END}",
            "all the {ns} are {END}", "in the {m} {n} we're {END}", "stay with me, the {n} is {END}",
            "underneath the {n} we're {END}", "when I'm {g} I feel {END}", "tell me that the {n} is {END}",
            "all the {m} {ns} are {END}",
        ].map { LineTemplate(ending: .adjective, pattern: $0) }

    static let hookPatterns = [
        "take me to the {T}", "we belong to the {T}", "I'm still dreaming of the {T}", "we come alive in the {T}",
        "meet me in the {T}", "lost forever in the {T}", "nothing but the {T}", "all night long in the {T}",
        "hold me in the {T}", "we were made for the {T}", "run away into the {T}", "follow me into the {T}",
    ]
}

/// A candidate rhyme word (or phrase whose last word rhymes) and what grammar it needs.
struct EndWord: Sendable, Hashable {
    var text: String
    var ending: LineTemplate.Ending
    var rhymeKey: String
    /// 2 = from the prompt, 1 = from a theme, 0 = general.
    var priority: Int

    var lastWord: String { text.split(separator: " ").last.map(String.init) ?? text }
}

/// Common rhyme-friendly words that suit any theme, so every rhyme sound has partners.
enum GeneralRhymeWords {
    static let nouns = [
        "night", "light", "sky", "fire", "heart", "rain", "time", "road", "home", "line", "sign", "space", "place",
        "way", "day", "name", "flame", "door", "sun", "sound", "ground", "town", "dream", "sea", "soul", "gold",
        "side", "tide", "glow", "show", "shore", "floor", "star", "car", "heat", "street", "beat", "air", "year",
        "end", "mind", "wire", "morning", "view", "blue", "rose", "shade", "parade", "storm", "past", "dawn",
    ]
    static let plurals = ["eyes", "skies", "lies", "dreams", "streams", "stars", "cars", "hearts", "lights", "nights"]
    static let verbs = [
        "shine", "fly", "fall", "call", "run", "burn", "turn", "go", "stay", "play", "wake", "breathe", "dance",
        "sing", "rise", "hide", "ride", "glide", "fade", "wait", "try", "cry", "stand", "land", "begin", "win",
        "grow", "glow", "flow", "know", "belong", "remain", "explode", "survive", "arrive", "ignite",
    ]
    static let adjectives = [
        "bright", "right", "free", "wild", "high", "young", "strong", "cold", "bold", "blue", "true", "new", "slow",
        "alone", "alive", "fine", "clear", "near", "real", "awake", "gone", "divine", "golden", "tight", "wide",
    ]
}

/// Builds the lexicon for a brief: themes called up by the prompt (or by mood and genre), and the prompt's own
/// nouns and modifiers.
struct LexiconBuilder {
    let dictionary: PronouncingDictionary

    func lexicon(for brief: Brief) -> ThemeLexicon {
        let tokens = brief.prompt.lowercased().split { !$0.isLetter && $0 != "'" }.map(String.init)
        let themes = chosenThemes(tokens: tokens, brief: brief)
        var lexicon = ThemeLexicon(
            nouns: [], pluralNouns: [], adjectives: [], modifiers: [], verbs: [], promptNouns: [],
            promptModifiers: [], themeNames: [])
        for theme in themes { lexicon = lexicon.merged(with: theme) }
        let content = tokens.enumerated().filter { _, word in
            word.count >= 3 && !PromptStopWords.words.contains(word) && !word.hasSuffix("ly")
                && !word.hasSuffix("ing") && !word.contains("'") && dictionary.contains(word)
        }
        let adjectiveEndings = ["ful", "ous", "ive", "less", "ish", "ic", "ical"]
        let looksAdjective: (String) -> Bool = { word in
            adjectiveEndings.contains { word.hasSuffix($0) && word.count >= $0.count + 4 }
        }
        for (offset, (index, word)) in content.enumerated() {
            let nextIsContent = offset + 1 < content.count && content[offset + 1].offset == index + 1
            if nextIsContent || looksAdjective(word) || lexicon.modifiers.contains(word) {
                if !lexicon.promptModifiers.contains(word) { lexicon.promptModifiers.append(word) }
            } else if word.hasSuffix("s") && !word.hasSuffix("ss") && dictionary.contains(String(word.dropLast())) {
                if !lexicon.pluralNouns.contains(word) { lexicon.pluralNouns.insert(word, at: 0) }
                if !lexicon.promptNouns.contains(word) { lexicon.promptNouns.append(word) }
            } else if !lexicon.promptNouns.contains(word) {
                lexicon.promptNouns.append(word)
            }
        }
        return lexicon
    }

    private func chosenThemes(tokens: [String], brief: Brief) -> [Theme] {
        let words = Set(tokens)
        var scored = Theme.all.enumerated().map { index, theme in
            (index, theme.triggers.intersection(words).count)
        }.filter { $0.1 > 0 }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        var names = scored.prefix(2).map { Theme.all[$0.0].name }
        for name in moodAndGenreThemes(brief) + Theme.fallbackNames where names.count < 2 && !names.contains(name) {
            names.append(name)
        }
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
        case .disco, .house, .techno, .funk, .afrobeat, .dubstep: names.append("party dance")
        case .synthwave: names.append("night city drive")
        case .country, .folk: names.append("road freedom")
        case .metal, .rock: names.append("fire fight")
        case .hipHop, .trap: names.append("money hustle")
        case .ambient, .chiptune: names.append("space stars")
        case .reggae, .latin: names.append("ocean summer")
        case .blues, .rnb, .gospel, .jazz: names.append("love heart")
        default: break
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
    private let endWords: [EndWord]

    init(
        dictionary: PronouncingDictionary, lexicon: ThemeLexicon, syllableRange: ClosedRange<Int>, seed: UInt64,
        prompt: String
    ) {
        self.dictionary = dictionary
        self.lexicon = lexicon
        self.syllableRange = syllableRange
        // The prompt is part of the stream so two prompts on one theme and seed still choose differently.
        random = SeededGenerator(seed: seed, stream: "lyrics " + prompt)
        var pool: [EndWord] = []
        var seen: Set<String> = []
        func add(_ text: String, _ ending: LineTemplate.Ending, _ priority: Int) {
            guard !seen.contains(text) else { return }
            let last = text.split(separator: " ").last.map(String.init) ?? text
            guard let pronunciation = dictionary.lookup(last), !pronunciation.rhyme.isEmpty else { return }
            seen.insert(text)
            pool.append(EndWord(text: text, ending: ending, rhymeKey: pronunciation.rhymeKey, priority: priority))
        }
        for noun in lexicon.promptNouns { add(noun, .noun, 2) }
        for noun in lexicon.nouns + lexicon.pluralNouns { add(noun, .noun, 1) }
        for verb in lexicon.verbs { add(verb.base, .verb, 1) }
        for adjective in lexicon.adjectives { add(adjective, .adjective, 1) }
        for noun in GeneralRhymeWords.nouns + GeneralRhymeWords.plurals { add(noun, .noun, 0) }
        for verb in GeneralRhymeWords.verbs { add(verb, .verb, 0) }
        for adjective in GeneralRhymeWords.adjectives { add(adjective, .adjective, 0) }
        endWords = pool
    }

    mutating func verseScheme() -> RhymeScheme { Bool.random(using: &random) ? .alternate : .couplets }

    // MARK: Title and hook

    mutating func title() -> String {
        let modifier = pick(lexicon.promptModifiers.isEmpty ? lexicon.modifiers : lexicon.promptModifiers)
        let noun = pick(lexicon.promptNouns.isEmpty ? lexicon.nouns : lexicon.promptNouns.filter { $0 != modifier })
        let words = [modifier, noun].compactMap { $0 }
        guard !words.isEmpty else { return "Tonight" }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    mutating func hookLine(title: String) -> String {
        let phrase = title.lowercased()
        var candidates = LineTemplate.hookPatterns.map { $0.replacingOccurrences(of: "{T}", with: phrase) }
        candidates.shuffle(using: &random)
        let line =
            candidates.first { syllableRange.contains(syllables(in: $0)) }
            ?? candidates.min { distance(syllables(in: $0)) < distance(syllables(in: $1)) } ?? phrase
        usedLines.insert(line)
        return line
    }

    // MARK: Rhymed sections

    mutating func rhymingLines(count: Int, scheme: RhymeScheme) -> [String] {
        switch scheme {
        case .couplets:
            return (0..<(count / 2)).flatMap { _ in rhymedPair() }
        case .alternate:
            let first = rhymedPair()
            let second = rhymedPair()
            return [first[0], second[0], first[1], second[1]]
        case .alternateUnrhymed:
            let rhymed = rhymedPair()
            return [unrhymedLine(), rhymed[0], unrhymedLine(), rhymed[1]]
        }
    }

    private mutating func rhymedPair() -> [String] {
        let (first, second) = rhymePair()
        usedEndWords.formUnion([first.text, second.text])
        return [line(ending: first), line(ending: second)]
    }

    private mutating func unrhymedLine() -> String {
        let free = endWords.filter { $0.ending == .noun && !usedEndWords.contains($0.text) && $0.priority > 0 }
        guard let word = pick(free) ?? pick(endWords) else { return "" }
        usedEndWords.insert(word.text)
        return line(ending: word)
    }

    /// Two different words with the same rhyme part, preferring the prompt's and the themes' words.
    private mutating func rhymePair() -> (EndWord, EndWord) {
        let available = endWords.filter { !usedEndWords.contains($0.text) }
        let groups = Dictionary(grouping: available, by: \.rhymeKey)
        var options: [(EndWord, EndWord, Int)] = []
        for key in groups.keys.sorted() {
            guard let group = groups[key] else { continue }
            for (index, first) in group.enumerated() {
                for second in group[(index + 1)...] where Self.areDistinctRhymes(first.lastWord, second.lastWord) {
                    options.append((first, second, first.priority + second.priority))
                }
            }
        }
        guard let best = options.map(\.2).max() else {
            // Every rhyme used up (never in a normal song): fall back to any pair of words.
            let word = endWords[Int.random(in: 0..<endWords.count, using: &random)]
            return (word, word)
        }
        // Prefer themed pairs but leave room for variety.
        let pool = options.filter { $0.2 >= best - 1 }
        let chosen = pool[Int.random(in: 0..<pool.count, using: &random)]
        return Bool.random(using: &random) ? (chosen.0, chosen.1) : (chosen.1, chosen.0)
    }

    /// "night" and "midnight" or "light" and "light" are the same sound, not a rhyme.
    static func areDistinctRhymes(_ first: String, _ second: String) -> Bool {
        first != second && !first.hasSuffix(second) && !second.hasSuffix(first)
    }

    // MARK: Lines

    private mutating func line(ending word: EndWord) -> String {
        let templates = LineTemplate.all.filter { $0.ending == word.ending }
        var best: (text: String, score: Double, pattern: String)?
        var closest: (text: String, distance: Int, pattern: String)?
        for _ in 0..<30 {
            guard let template = leastUsedTemplate(templates) else { break }
            let body = fill(template.pattern, end: word.text)
            for prefix in ["", "oh, ", "and ", "so ", "now ", "and now ", "oh, and "]
            where prefix.isEmpty || !body.hasPrefix("and ") {
                let text = prefix + body
                guard !usedLines.contains(text) else { continue }
                let count = syllables(in: text)
                if distance(count) < closest?.distance ?? .max { closest = (text, distance(count), template.pattern) }
                if syllableRange.contains(count) {
                    let score = stressAlternation(text) + Double(templateUses[template.pattern] == nil ? 1 : 0)
                    if best == nil || score > best?.score ?? 0 { best = (text, score, template.pattern) }
                    break
                }
            }
            if best != nil && Int.random(in: 0..<3, using: &random) == 0 { break }
        }
        let chosen = best?.text ?? closest?.text ?? word.text
        if let pattern = best?.pattern ?? closest?.pattern { templateUses[pattern, default: 0] += 1 }
        usedLines.insert(chosen)
        for word in chosen.split(separator: " ") { usedWords.insert(String(word)) }  // prompt words get their turn
        return chosen
    }

    private mutating func leastUsedTemplate(_ templates: [LineTemplate]) -> LineTemplate? {
        guard let fewest = templates.map({ templateUses[$0.pattern] ?? 0 }).min() else { return nil }
        return pick(templates.filter { (templateUses[$0.pattern] ?? 0) == fewest })
    }

    /// Fills the slots of a pattern with theme words; unused prompt words first.
    private mutating func fill(_ pattern: String, end: String) -> String {
        var text = pattern.replacingOccurrences(of: "{END}", with: end)
        let slots: [(String, [String])] = [
            ("{ns}", lexicon.pluralNouns),
            ("{n}", lexicon.promptNouns.filter { !$0.hasSuffix("s") } + lexicon.nouns),
            ("{m}", lexicon.promptModifiers + lexicon.modifiers),
            ("{g}", lexicon.verbs.map(\.gerund)),
        ]
        for (slot, words) in slots {
            while let range = text.range(of: slot) {
                let options = words.filter { $0 != end && !text.contains($0) }
                let fresh = options.filter { word in
                    (lexicon.promptNouns.contains(word) || lexicon.promptModifiers.contains(word))
                        && !usedWords.contains(word)
                }
                let word = pick(fresh) ?? pick(options) ?? "night"
                text.replaceSubrange(range, with: word)
            }
        }
        return Self.fixingArticles(text)
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
