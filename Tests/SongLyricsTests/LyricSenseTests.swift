import Foundation
import MusicTestSupport
import SongBrief
@testable import SongLyrics
import Testing

/// Written lyrics over many prompts (genres, themes, instrument-heavy prompts, codes, typos, names): no
/// instrument, production, tempo or unknown word is sung or makes the title; every line is one of the writer's
/// grammatical templates filled with words of the right kind; every line scans; rhymes rhyme; same seed, same
/// words.
@Suite struct LyricSenseTests {
    let writer: LyricWriter
    let dictionary: PronouncingDictionary

    init() throws {
        dictionary = try TestDictionary.load()
        writer = LyricWriter(dictionary: dictionary)
    }

    /// Hand-written prompts: plain themes, instrument lists, production talk, codes, typos and names.
    static let handWritten = [
        "a synthwave night drive through a neon city",
        "country song with banjo, fiddle and dusty boots",
        "gospel with hammond organ, claps and a choir, 80 bpm",
        "trap beat with 808s, hi hats and a dark synth lead, 140 bpm",
        "lofi hip hop with vinyl crackle, rhodes and a jazzy guitar",
        "synthwave with gated reverb drums, arpeggiated synths and a whistle melody",
        "uplifting house with piano chords, sidechained pads and claps",
        "epic orchestral trailer with timpani, brass and strings, 90bpm",
        "acoustic folk with fingerpicked guitar, harmonica and mandolin",
        "reggae with skank guitar, dub delay and a melodica",
        "a ballad about Margaret and her fail artist friend",
        "song for XJ-9 protocol 77b at station K2",
        "synthwav neno citty nite drivng",
        "a song about Zorblax the destroyer of qwxz",
        "make a track like Daft Punk meets Kraftwerk in Berlin",
        "jazz tune about a cat in paris",
        "sad piano song about rain on the window after goodbye",
        "upbeat disco party on a friday night dancefloor",
        "dreamy ambient journey through space and distant stars",
        "nostalgic folk song about my grandmother's kitchen and childhood",
        "epic metal anthem about fire and battle with double kick drums",
        "hopeful pop song about dreams and tomorrow",
        "calm acoustic song about the forest and the river",
        "cold winter ballad with snow and candles, sleigh bells",
        "trap banger about money and diamonds",
        "indie rock song about a lighthouse keeper",
        "chiptune adventure of a pixel robot",
        "techno track about a factory machine, 130 bpm, four on the floor kick",
        "latin love song about dancing in havana with congas and trumpets",
        "blues shuffle with slide guitar and harmonica about the highway",
        "funk groove with slap bass, clavinet and horn section",
        "drum and bass with reese bass and amen breaks, 174 bpm",
        "dubstep wobble bass drop with a halftime beat",
        "afrobeat with talking drums, shakers and a sax riff",
        "r&b slow jam with a female vocal, warm pads and finger snaps",
        "rock anthem with distorted guitars and a big drum fill",
        "ambient drone with granular textures and a felt piano",
        "bossa nova with nylon guitar and brushes at 120 bpm in F major",
        "a 3 minute pop song in 6/8 with a ukulele",
        "hip hop boom bap with a dusty sample and scratches",
        "a waltz for the ocean in 3/4",
        "heartbreak song, male vocal, 4 minutes, lots of reverb",
        "summer beach vibes with steel drums and marimba",
        "a lullaby with glockenspiel and music box",
        "cinematic strings about a hero rising",
        "gospel song about a mountain sunrise",
        "asdf qwerty zxcv",
        "!!! ??? 123 456",
        "a song",
        "the 909 and the 303 at 128bpm with a tb303 acid line",
        "kick snare hat clap ride crash tom",
        "bpm tempo reverb delay sidechain compressor eq",
        "a love song for Aurelio from Jyväskylä",
        "the road to San Francisco with harmonicas",
        "Barcelona summer nights with flamenco guitar",
        "a song about coffee on a rainy morning",
        "midnight train through the desert",
        "a rooftop party in the city lights",
        "an old photograph of my father's garden",
        "rebellion against the empire, heavy riffs",
    ]

    /// Generated prompts: every genre with a subject and an instrument phrase, so each genre's defaults meet
    /// each kind of prompt.
    static let generated: [String] = {
        let subjects = [
            "about the ocean", "about heartbreak", "about a road trip", "about the stars", "for a party",
            "about home", "about winter", "about money", "about a forest", "about hope", "with no subject",
        ]
        let extras = [
            "with a banjo", "with 808s and claps", "with a hammond and a choir", "with synths and reverb",
            "at 96 bpm", "with typos lik thiss", "featuring DJ Qwix", "with strings", "with a whistle", "in D minor",
        ]
        return Genre.allCases.enumerated().flatMap { index, genre in
            (0..<3).map { offset in
                let subject = subjects[(index + offset * 4) % subjects.count]
                let extra = extras[(index * 3 + offset) % extras.count]
                return "\(genre.displayName) song \(subject) \(extra)"
            }
        }
    }()

    static let prompts = handWritten + generated

    func brief(_ prompt: String, seed: UInt64 = 7) -> Brief { PromptParser().brief(for: prompt, seed: seed) }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "'" }.map(String.init)
    }

    @Test func thereAreManyVariedPrompts() {
        #expect(Self.prompts.count >= 100)
        #expect(Set(Self.prompts).count == Self.prompts.count)
    }

    @Test func theVocabularyHasNoMusicWords() {
        let music = LyricVocabulary.singable.filter(MusicTermWords.contains)
        #expect(music.isEmpty, "\(music.sorted())")
    }

    @Test func noMusicOrUnknownWordIsSungOrTitled() {
        for prompt in Self.prompts {
            let written = writer.write(for: brief(prompt))
            let sung = written.lyrics.lines.flatMap { Self.words($0.text) }
            let music = sung.filter(MusicTermWords.contains)
            #expect(music.isEmpty, "music words \(music) in lyrics of '\(prompt)'")
            let unknown = sung.filter { !LyricVocabulary.singable.contains($0) }
            #expect(unknown.isEmpty, "unknown words \(unknown) in lyrics of '\(prompt)'")
            // The prompt's own words the writer does not know are never sung (its grammar words may be).
            let promptUnknown = Set(Self.words(prompt).filter { !LyricVocabulary.singable.contains($0) })
            #expect(promptUnknown.isDisjoint(with: sung), "'\(prompt)': \(promptUnknown.intersection(sung))")
            let titleWords = Self.words(written.title)
            #expect(titleWords.count == 2, "title '\(written.title)'")
            #expect(titleWords.count == 2 && SongWriter.areDistinctRhymes(titleWords[0], titleWords[1]),
                    "title '\(written.title)' says one word twice")
            #expect(!titleWords.contains(where: MusicTermWords.contains), "title '\(written.title)' of '\(prompt)'")
            // The title is a modifier and a place or thing of the vocabulary.
            let kinds = titleWords.map { LyricVocabulary.kinds[$0] ?? [] }
            #expect(kinds.first?.contains(.modifier) == true, "title '\(written.title)'")
            #expect(kinds.last.map { !$0.isDisjoint(with: [.place, .thing]) } == true, "title '\(written.title)'")
        }
    }

    @Test func everyLineIsATemplateFilledWithWordsOfTheRightKind() throws {
        let grammar = try TemplateGrammar()
        for prompt in Self.prompts {
            let written = writer.write(for: brief(prompt))
            for section in written.lyrics.sections {
                let role = TemplateGrammar.role(of: section)
                var ownRole = 0
                for line in section.lines {
                    let roles = grammar.roles(matching: line.text, title: written.title)
                    #expect(!roles.isEmpty, "not a template line: '\(line.text)' (\(section.label), '\(prompt)')")
                    if let role, roles.contains(role) { ownRole += 1 }
                }
                // Each section tells its part of the story in its own kind of line.
                if let role {
                    #expect(ownRole * 2 >= section.lines.count,
                            "\(section.label) of '\(prompt)': \(role) \(section.lines.map(\.text))")
                }
            }
        }
    }

    @Test func everyLineKeepsTheMeterAndRhymesWhereTheFormSays() {
        for prompt in Self.prompts {
            let written = writer.write(for: brief(prompt))
            for line in written.lyrics.lines {
                #expect(writer.syllableRange.contains(line.syllableCount),
                        "\(line.syllableCount) syllables: '\(line.text)' ('\(prompt)')")
            }
            for (first, second) in LyricWriterTests.rhymePairs(written, dictionary: dictionary) {
                #expect(dictionary.rhymes(first, second), "\(first) / \(second) in '\(prompt)'")
            }
            let choruses = written.lyrics.sections.filter { $0.kind == .chorus }
            for chorus in choruses {
                let hook = chorus.lines.first?.text.lowercased() ?? ""
                #expect(hook.hasSuffix(written.title.lowercased()), "hook '\(hook)' / '\(written.title)'")
                #expect(chorus.lines.last?.text.lowercased() == hook)
            }
        }
    }

    @Test func theSongUsesThePromptsKnownImages() {
        let cases = [
            ("a song about coffee on a rainy morning", ["coffee", "morning"]),
            ("indie rock song about a lighthouse keeper", ["lighthouse"]),
            ("calm acoustic song about the forest and the river", ["forest", "river"]),
            ("country song with banjo, fiddle and dusty boots", ["dusty"]),
        ]
        for (prompt, images) in cases {
            let text = writer.write(for: brief(prompt)).text.lowercased()
            for image in images { #expect(Self.words(text).contains(image), "\(image) in\n\(text)") }
        }
    }

    @Test func sameSeedSameWordsAcrossWriters() throws {
        let other = LyricWriter(dictionary: try TestDictionary.load())
        for prompt in Self.prompts.enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) {
            #expect(writer.write(for: brief(prompt)) == other.write(for: brief(prompt)), "'\(prompt)'")
        }
        let differing = Self.handWritten.prefix(20).filter {
            writer.write(for: brief($0, seed: 1)).text != writer.write(for: brief($0, seed: 2)).text
        }
        #expect(differing.count == 20)
    }
}

/// The writer's templates as regular expressions whose slots accept exactly the vocabulary's words of the
/// slot's kind: a line matches only if it is a template (with an optional lead-in) filled correctly.
struct TemplateGrammar {
    private let templates: [(LineRole, NSRegularExpression)]

    /// Verse 1 sets the scene, verse 2 remembers, the pre-chorus builds, the chorus states, the bridge turns.
    static func role(of section: LyricSection) -> LineRole? {
        switch section.kind {
        case .verse: section.label == "Verse 1" ? .scene : .memory
        case .preChorus: .build
        case .chorus: .chorus
        case .bridge: .turn
        default: nil
        }
    }

    init() throws {
        func alternation(_ words: [String]) -> String {
            "(?:" + Set(words).sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern).joined(
                separator: "|") + ")"
        }
        let kinds = LyricVocabulary.kinds
        func words(_ kind: WordKind) -> [String] { kinds.filter { $0.value.contains(kind) }.map(\.key) }
        let themes = Theme.all
        let doings = themes.flatMap(\.doings) + LyricVocabulary.generalDoings
        let actorVerbs = themes.flatMap(\.actorVerbs)
        let slots: [String: String] = [
            "{p}": alternation(words(.place)), "{t}": alternation(words(.thing)),
            "{a}": alternation(themes.flatMap(\.actors)), "{m}": alternation(words(.modifier)),
            "{d}": alternation(doings.map(\.base)), "{dg}": alternation(doings.map(\.gerund)),
            "{ag}": alternation(actorVerbs.map(\.gerund)), "{a3}": alternation(actorVerbs.map(\.third)),
        ]
        let ends: [LineEnding: String] = [
            .place: slots["{p}"] ?? "", .thing: slots["{t}"] ?? "", .actorVerb: alternation(actorVerbs.map(\.base)),
            .doing: slots["{d}"] ?? "", .feeling: alternation(words(.feeling)),
        ]
        let leadIn = "(?:" + LineTemplate.leadIns.map { NSRegularExpression.escapedPattern(for: $0) + " " }
            .joined(separator: "|") + ")?"
        func regex(_ pattern: String, end: String) throws -> NSRegularExpression {
            // "a" before a vowel was written "an".
            let marked = pattern.split(separator: " ").map { $0 == "a" ? "{art}" : String($0) }.joined(separator: " ")
            var body = NSRegularExpression.escapedPattern(for: marked)
            body = body.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: "{art}"), with: "an?")
            for (slot, words) in slots {
                body = body.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: slot), with: words)
            }
            body = body.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: "{END}"), with: end)
            return try NSRegularExpression(pattern: "^" + leadIn + body + "$")
        }
        var templates: [(LineRole, NSRegularExpression)] = try LineTemplate.all.map { template in
            (template.role, try regex(template.pattern, end: ends[template.ending] ?? ""))
        }
        let title = "\\{TITLE\\}"
        for pattern in LineTemplate.hookPatterns.values.flatMap({ $0 }) {
            templates.append((.chorus, try regex(pattern.replacingOccurrences(of: "{T}", with: "{END}"), end: title)))
        }
        self.templates = templates
    }

    /// The roles of the templates the line is an instance of (empty: not a template line).
    func roles(matching line: String, title: String) -> Set<LineRole> {
        let hook = line.hasSuffix(title.lowercased())
            ? String(line.dropLast(title.count)) + "{TITLE}" : line
        return Set([line, hook].flatMap { text in
            let range = NSRange(text.startIndex..., in: text)
            return templates.filter { $0.1.firstMatch(in: text, range: range) != nil }.map(\.0)
        })
    }
}
