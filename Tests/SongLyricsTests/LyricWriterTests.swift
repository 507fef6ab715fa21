import MusicTestSupport
import SongBrief
@testable import SongLyrics
import Testing

@Suite struct LyricWriterTests {
    let writer: LyricWriter
    let dictionary: PronouncingDictionary

    init() throws {
        dictionary = try TestDictionary.load()
        writer = LyricWriter(dictionary: dictionary)
    }

    static let prompts = [
        "a synthwave night drive through a neon city",
        "a romantic soul ballad about my first love",
        "happy summer reggae at the beach with the ocean waves",
        "sad piano song about rain on the window after goodbye",
        "upbeat disco party on a friday night dancefloor",
        "dreamy ambient journey through space and distant stars",
        "country song about the open road and freedom",
        "nostalgic folk song about my grandmother's kitchen and childhood",
        "epic metal anthem about fire and battle",
        "hopeful pop song about dreams and tomorrow",
        "calm acoustic song about the forest and the river",
        "cold winter ballad with snow and candles",
        "trap banger about money and diamonds",
        "lo-fi beat about a rainy library and coffee",
        "indie rock song about a lighthouse keeper",
        "jazz tune about a cat in paris",
        "chiptune adventure of a pixel robot",
        "gospel song about a mountain sunrise",
        "techno track about a factory machine",
        "latin love song about dancing in havana",
    ]

    func brief(_ prompt: String, seed: UInt64 = 11) -> Brief { PromptParser().brief(for: prompt, seed: seed) }

    /// Pairs of lines that must rhyme: by section scheme, the last words of lines with the same letter.
    func rhymePairs(_ written: WrittenLyrics) -> [(String, String)] {
        var pairs: [(String, String)] = []
        func last(_ line: LyricLine) -> String { line.words.last?.text ?? "" }
        for section in written.lyrics.sections {
            let lines = section.lines
            switch section.kind {
            case .chorus: pairs.append((last(lines[1]), last(lines[2])))
            case .preChorus: pairs.append((last(lines[0]), last(lines[1])))
            case .bridge: pairs.append((last(lines[1]), last(lines[3])))
            default:
                let aabb = dictionary.rhymes(last(lines[0]), last(lines[1]))
                pairs += aabb
                    ? [(last(lines[0]), last(lines[1])), (last(lines[2]), last(lines[3]))]
                    : [(last(lines[0]), last(lines[2])), (last(lines[1]), last(lines[3]))]
            }
        }
        return pairs
    }

    @Test(arguments: prompts.prefix(8))
    func rhymePairsRhymeByTheDictionary(prompt: String) {
        let written = writer.write(for: brief(prompt))
        for (first, second) in rhymePairs(written) {
            #expect(dictionary.rhymes(first, second), "\(first) / \(second) in \(prompt)")
            #expect(dictionary.lookup(first) != nil && dictionary.lookup(second) != nil)
        }
    }

    @Test func hasTheFormAndTheHookInEveryChorus() {
        let written = writer.write(for: brief(Self.prompts[0]))
        #expect(
            written.lyrics.sections.map(\.kind) == [.verse, .preChorus, .chorus, .verse, .chorus, .bridge, .chorus])
        let choruses = written.lyrics.sections.filter { $0.kind == .chorus }
        #expect(choruses.count == 3)
        for chorus in choruses {
            #expect(chorus.lines.contains { $0.text.lowercased().contains(written.title.lowercased()) })
        }
        #expect(!written.title.isEmpty)
    }

    @Test(arguments: prompts)
    func linesScanWithinTheSyllableRange(prompt: String) {
        let written = writer.write(for: brief(prompt))
        let counts = written.lyrics.lines.map(\.syllableCount)
        let inRange = counts.filter { writer.syllableRange.contains($0) }.count
        // Hooks follow the title's length; every other line must fit.
        #expect(Double(inRange) >= 0.9 * Double(counts.count), "\(counts)")
        #expect(counts.allSatisfy { (5...11).contains($0) }, "\(counts)")
    }

    @Test(arguments: prompts)
    func noLineRepeatsAcrossVerses(prompt: String) {
        let written = writer.write(for: brief(prompt))
        let nonChorus = written.lyrics.sections.filter { $0.kind != .chorus }.flatMap(\.lines).map(\.text)
        #expect(Set(nonChorus).count == nonChorus.count)
    }

    @Test func promptWordsAndThemeWordsAppear() {
        let written = writer.write(for: brief("a synthwave night drive through a neon city"))
        let text = written.text.lowercased()
        for word in ["neon", "city", "night", "drive"] {
            #expect(text.contains(word), "\(word) in\n\(text)")
        }
        let themed = ["highway", "midnight", "engine", "streets", "city lights", "skyline", "headlights", "chrome"]
        #expect(themed.filter(text.contains).count >= 2, "\(text)")
    }

    @Test func sameSeedSameLyricsOtherSeedOtherLyrics() {
        let prompt = Self.prompts[4]
        #expect(writer.write(for: brief(prompt, seed: 5)) == writer.write(for: brief(prompt, seed: 5)))
        #expect(writer.write(for: brief(prompt, seed: 5)).text != writer.write(for: brief(prompt, seed: 6)).text)
    }

    @Test func twentyPromptsGiveClearlyDifferentLyrics() {
        let sets = Self.prompts.map { Set(writer.write(for: brief($0)).lyrics.lines.map(\.text)) }
        #expect(Set(Self.prompts.map { writer.write(for: brief($0)).title }).count >= 18)
        for first in sets.indices {
            for second in sets.indices where second > first {
                let shared = sets[first].intersection(sets[second]).count
                #expect(Double(shared) <= 0.15 * Double(min(sets[first].count, sets[second].count)),
                    "\(Self.prompts[first]) / \(Self.prompts[second]) share \(shared) lines")
            }
        }
    }

    @Test func writtenTextParsesBackToTheSameLyrics() throws {
        let written = writer.write(for: brief(Self.prompts[2]))
        let parsed = LyricsParser(dictionary: dictionary).parse(written.text)
        #expect(parsed.lines.map(\.text) == written.lyrics.lines.map(\.text))
        #expect(parsed.sections.map(\.kind) == written.lyrics.sections.map(\.kind))
        #expect(parsed.words.map(\.syllables) == written.lyrics.words.map(\.syllables))
    }

    @Test func linesAreMostlyAlternatingStress() {
        let written = writer.write(for: brief(Self.prompts[1]))
        let generator = SongWriterProbe(dictionary: dictionary)
        let mean = written.lyrics.lines.map { generator.alternation($0.text) }.reduce(0, +)
            / Double(written.lyrics.lines.count)
        #expect(mean >= 0.5, "mean alternation \(mean)")
    }
}

/// Measures stress alternation the way the writer does.
struct SongWriterProbe {
    let dictionary: PronouncingDictionary
    func alternation(_ text: String) -> Double {
        let stresses = LyricStress.pattern(of: text, dictionary: dictionary)
        guard stresses.count > 1 else { return 0 }
        return Double(zip(stresses, stresses.dropFirst()).filter { $0 != $1 }.count) / Double(stresses.count - 1)
    }
}
