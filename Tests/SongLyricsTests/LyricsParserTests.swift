import MusicTestSupport
import MusicTheory
@testable import SongLyrics
import Testing

@Suite struct LyricsParserTests {
    let parser: LyricsParser

    init() throws { parser = LyricsParser(dictionary: try TestDictionary.load()) }

    @Test(arguments: [
        ("[Intro]", SectionKind.intro), ("[Verse]", .verse), ("[verse 2]", .verse), ("[VERSE 1:]", .verse),
        ("[Pre-Chorus]", .preChorus), ("[Pre Chorus]", .preChorus), ("[prechorus]", .preChorus),
        ("[Chorus]", .chorus), ("[Chorus x2]", .chorus), ("[Post-Chorus]", .postChorus), ("[Bridge]", .bridge),
        ("[Hook]", .chorus), ("[Interlude]", .breakdown), ("[Break]", .breakdown), ("[Instrumental]", .solo),
        ("[Solo]", .solo), ("[Outro]", .outro), ("[ Verse 1: Ana ]", .verse), ("[Refrain]", .chorus),
    ])
    func eachTagFormStartsItsSection(tag: String, kind: SectionKind) {
        let lyrics = parser.parse("\(tag)\nwe sing this line")
        #expect(lyrics.sections.first?.kind == kind)
        #expect(lyrics.sections.first?.lines.flatMap(\.words).map(\.text) == ["we", "sing", "this", "line"])
    }

    @Test func repeatedKindsAreNumberedInOrder() {
        let lyrics = parser.parse("[Verse 1]\none\n[Chorus]\ntwo\n[Verse 2]\nthree\n[chorus]\ntwo")
        #expect(lyrics.sections.map(\.label) == ["Verse 1", "Chorus 1", "Verse 2", "Chorus 2"])
    }

    @Test func repeatMarksRepeatTheSection() {
        let lyrics = parser.parse("[Chorus x2]\nsing it again")
        #expect(lyrics.sections.map(\.label) == ["Chorus 1", "Chorus 2"])
        #expect(lyrics.sections.allSatisfy { $0.lines.map(\.text) == ["sing it again"] })
    }

    @Test func sectionsWithoutWordsStayInTheForm() {
        let lyrics = parser.parse("[Intro]\n[Verse]\nhello there\n[Solo]\n[Outro]")
        #expect(lyrics.sections.map(\.kind) == [.intro, .verse, .solo, .outro])
        #expect(lyrics.sections[2].lines.isEmpty)
    }

    @Test func squareBracketTextIsNeverSung() {
        let lyrics = parser.parse("[Verse]\n[guitar solo]\nI walk [spoken] alone\n[Breakthrough]\n[whispered: hey]")
        #expect(lyrics.sections.count == 1)
        #expect(lyrics.words.map(\.text) == ["I", "walk", "alone"])
        #expect(lyrics.lines.map(\.text) == ["I walk alone"])
        #expect(!lyrics.words.contains { ["guitar", "solo", "spoken", "whispered", "hey"].contains($0.text) })
    }

    @Test func parenthesesAreBackingVocals() throws {
        let lyrics = parser.parse("[Chorus]\nHold on (hold on) to me (yeah, yeah)")
        let line = try #require(lyrics.lines.first)
        #expect(line.leadWords.map(\.text) == ["Hold", "on", "to", "me"])
        #expect(line.backingWords.map(\.text) == ["hold", "on", "yeah", "yeah"])
        #expect(line.text == "Hold on (hold on) to me (yeah, yeah)")
        #expect(line.syllableCount == 4)  // lead syllables only
    }

    @Test func blankLinesEndPhrases() throws {
        let lyrics = parser.parse("[Verse]\nline one\nline two\n\nline three\nline four")
        let verse = try #require(lyrics.sections.first)
        #expect(verse.lines.map(\.endsPhrase) == [false, true, false, true])
        #expect(verse.phrases.map { $0.map(\.text) } == [["line one", "line two"], ["line three", "line four"]])
    }

    @Test func untaggedStanzasGetAFormFromRepetition() {
        let text = """
            walking down the empty road
            carry all the heavy load

            this is our song
            we sing it all night long

            morning comes and then we go
            nothing left for us to show

            this is our song
            we sing it all night long
            """
        let lyrics = parser.parse(text)
        #expect(lyrics.sections.map(\.kind) == [.verse, .chorus, .verse, .chorus])
        #expect(lyrics.sections.map(\.label) == ["Verse 1", "Chorus 1", "Verse 2", "Chorus 2"])
    }

    @Test func untaggedLyricsWithoutRepeatsAreVerses() {
        let lyrics = parser.parse("one line here\n\nanother line there")
        #expect(lyrics.sections.map(\.kind) == [.verse, .verse])
    }

    @Test func everyWordIsKeptWithSyllablesAndStress() throws {
        let text = "[Verse]\nTonight the city's music, 24/7 -- gl\u{00FC}ck zorblax!\n\n(ooh) it's heart-break"
        let lyrics = parser.parse(text)
        #expect(
            lyrics.words.map(\.text) == [
                "Tonight", "the", "city's", "music", "24", "7", "gl\u{00FC}ck", "zorblax", "ooh", "it's",
                "heart-break",
            ])
        for word in lyrics.words {
            #expect(!word.syllables.isEmpty, "\(word.text) has syllables")
        }
        let tonight = try #require(lyrics.words.first)
        #expect(tonight.syllables.map(\.stress) == [.none, .primary])
        #expect(tonight.syllables.map(\.text).joined() == "tonight")
        #expect(lyrics.words[4].syllables.count == 3)  // twen-ty-four
        #expect(lyrics.words.last?.syllables.count == 2)
    }

    @Test func taggedTextRoundTrips() {
        let lyrics = parser.parse("[Verse]\nline one\nline two\n\nline three\n[Chorus]\nsing (sing)")
        let again = parser.parse(lyrics.taggedText)
        #expect(again == lyrics)
    }
}
