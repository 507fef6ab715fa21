import Foundation
import Testing
import TunesmithCore

@testable import CloudEngines

/// The pieces that turn our requests into provider fields and provider answers into ours.
@Suite("Provider field mapping")
struct ParsingTests {
    @Test func lyricTagsBecomeSectionsAndAnnotationsAreNotSung() {
        let lyrics = """
            Untagged opening line
            [Verse 1]
            First line [softly]
            (backing oh)

            Second phrase
            [Guitar solo]
            [key change!]
            [PRE_CHORUS]
            Rising
            [Refrain 2]
            Hook line
            """
        let sections = LyricSections(lyrics).sections
        #expect(sections.map(\.kind) == [.verse, .verse, .solo, .preChorus, .chorus])
        #expect(sections.map(\.label) == ["Verse", "Verse 1", "Guitar solo", "PRE_CHORUS", "Refrain 2"])
        #expect(sections[1].lines == ["First line", "(backing oh)", "", "Second phrase"])
        #expect(sections[1].sungLines == ["First line", "(backing oh)", "Second phrase"])
        #expect(sections[2].lines.isEmpty)
        #expect(
            LyricSections(lyrics).miniMaxLyrics
                == "[Verse]\nUntagged opening line\n\n[Verse]\nFirst line\n(backing oh)\n\nSecond phrase\n\n[Solo]\n\n[Pre Chorus]\nRising\n\n[Chorus]\nHook line")
    }

    @Test func aCompositionPlanKeepsToElevenLabsLimits() throws {
        let longLine = Array(repeating: "word", count: 60).joined(separator: " ")  // 299 characters
        let manyLines = (1...35).map { "line \($0)" }.joined(separator: "\n")
        let lyrics = "[Verse]\n\(longLine)\n[Chorus]\n\(manyLines)\n[Outro]"
        let plan = CompositionPlan(lyrics: LyricSections(lyrics), prompt: "Rock, loud", maxSeconds: 300)
        #expect(plan.sections.map(\.section_name) == ["Verse", "Chorus", "Chorus (part 2)", "Outro"])
        #expect(plan.sections[0].lines.count == 2)
        #expect(plan.sections[0].lines.allSatisfy { $0.count <= 200 })
        #expect(plan.sections[0].lines.joined(separator: " ") == longLine)
        #expect(plan.sections[1].lines.count == 30 && plan.sections[2].lines.count == 5)
        #expect(plan.sections.allSatisfy { (3_000...120_000).contains($0.duration_ms) })
        #expect(plan.sections[3].lines.isEmpty)
        #expect(plan.positive_global_styles == ["Rock", "loud"])

        // Longer than the model allows: every section shrinks alike, none below 3 s.
        let short = CompositionPlan(lyrics: LyricSections(lyrics), prompt: "x", maxSeconds: 60)
        #expect(short.sections.reduce(0) { $0 + $1.duration_ms } <= 60_000)
        #expect(short.sections.allSatisfy { $0.duration_ms >= 3_000 })
        let name = CompositionPlan(lyrics: LyricSections("[Verse \(String(repeating: "9", count: 150))]\nla"), prompt: "", maxSeconds: 300)
        #expect(name.sections[0].section_name.count == 100)
    }

    @Test func multipartAnswersAreSplitByteForByte() throws {
        let audio = Data([0xFF, 0xFB, 0x0D, 0x0A, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0x01])  // CRLFCRLF and "--" inside
        var body = Data("preamble\r\n--b1\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n".utf8)
        body += Data("--b1\r\nContent-Type: audio/mpeg\r\n\r\n".utf8) + audio + Data("\r\n--b1--\r\n".utf8)
        let parsed = try #require(MultipartMixed(body, boundary: "b1"))
        #expect(parsed.parts.count == 2)
        #expect(parsed.parts[0].contentType == "application/json")
        #expect(parsed.parts[0].body == Data("{\"a\":1}".utf8))
        #expect(parsed.parts[1].body == audio)
        #expect(MultipartMixed.boundary(contentType: #"multipart/mixed; charset=utf-8; boundary="q b""#) == "q b")
        #expect(MultipartMixed.boundary(contentType: "multipart/mixed;boundary=abc") == "abc")
        #expect(MultipartMixed.boundary(contentType: "audio/mpeg") == nil)
        #expect(MultipartMixed(Data("no parts".utf8), boundary: "b1") == nil)
        let headerless = try #require(MultipartMixed(Data("--x\r\n\r\nbody\r\n--x--".utf8), boundary: "x"))
        #expect(headerless.parts.first?.body == Data("body".utf8))
    }

    @Test func wordTimesBecomeLinesByTheLyricsOrByPauses() {
        let words = ["one", "two", "three", "four"].enumerated().map {
            WordTiming(word: $1, start: Double($0), end: Double($0) + 0.5)
        }
        let matched = WordTiming.lines(words: words, lyricLines: ["One two,", "three four!"])
        #expect(matched.map(\.text) == ["One two,", "three four!"])
        #expect(matched.map(\.start) == [0, 2] && matched.map(\.end) == [1.5, 3.5])
        // The words do not match the lines: a pause of 0.7 s or more starts a line.
        let paused = [WordTiming(word: "a", start: 0, end: 0.2), .init(word: "b", start: 0.3, end: 0.5),
                      .init(word: "c", start: 2, end: 2.2)]
        #expect(WordTiming.lines(words: paused, lyricLines: ["x"]).map(\.text) == ["a b", "c"])
        #expect(WordTiming.lines(words: [], lyricLines: ["x"]).isEmpty)
    }

    @Test func retryWaitsFollowRetryAfterAndBackOffWithinBounds() {
        let policy = RetryPolicy(maxAttempts: 3, maxRateLimitedAttempts: 4, initialBackoff: .seconds(2), maxBackoff: .seconds(60))
        let limited = ProviderFailure(.google, .rateLimited(retryAfter: .seconds(500)), "")
        let down = ProviderFailure(.google, .unavailable, "")
        #expect(policy.delay(after: limited, attempts: 1) == .seconds(60))
        #expect(policy.delay(after: down, attempts: 1) == .seconds(2))
        #expect(policy.delay(after: down, attempts: 3) == .seconds(8))
        #expect(policy.delay(after: down, attempts: 30) == .seconds(60))
        #expect(policy.allowsAnotherAttempt(after: down, attempts: 2) && !policy.allowsAnotherAttempt(after: down, attempts: 3))
        #expect(policy.allowsAnotherAttempt(after: limited, attempts: 3) && !policy.allowsAnotherAttempt(after: limited, attempts: 4))
        for kind in [ProviderFailure.Kind.credentialsRejected, .contentRefused, .accountLimit, .invalid] {
            #expect(!policy.allowsAnotherAttempt(after: ProviderFailure(.minimax, kind, ""), attempts: 1))
        }
        #expect(RetryAfter.parse("12") == .seconds(12))
        #expect(RetryAfter.parse("1.5") == .milliseconds(1_500))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.parse("Tue, 14 Nov 2023 22:13:40 GMT", now: now) == .seconds(20))
        #expect(RetryAfter.parse("soon") == nil && RetryAfter.parse(nil) == nil)
        #expect(RetryAfter.parseProtobufDuration("30s") == .seconds(30))
        #expect(RetryAfter.parseProtobufDuration("30") == nil)
    }

    @Test func providerTextIsCleanedOfKeysAndControlCharacters() {
        let key = APIKey("sk-live-abc/123+xyz")!
        let redactor = Redactor([key])
        let echoed = "bad key sk-live-abc/123+xyz or sk-live-abc%2F123%2Bxyz\n\u{1B}[31mred\u{0}" + String(repeating: "x", count: 400)
        let cleaned = redactor.clean(echoed)
        #expect(!cleaned.contains("sk-live"))
        #expect(cleaned.hasPrefix("bad key [redacted] or [redacted] [31mred"))
        #expect(cleaned.count <= Redactor.limit + 1)
        #expect(!cleaned.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func miniMaxStatusCodesMapToTheirClasses() {
        let redactor = Redactor([])
        let kinds: [(Int, String?, ProviderFailure.Kind)] = [
            (1004, nil, .credentialsRejected), (1008, nil, .accountLimit), (2061, nil, .accountLimit),
            (1026, nil, .contentRefused), (1039, nil, .contentRefused), (1002, "rate limit", .rateLimited(retryAfter: nil)),
            (1002, "input sensitive", .contentRefused), (1001, nil, .unavailable), (1000, nil, .unavailable),
            (1024, nil, .unavailable), (2013, "invalid params", .invalid),
        ]
        for (code, message, kind) in kinds {
            #expect(MiniMaxAPI.failure(code: code, message: message, redactor: redactor).kind == kind, "\(code)")
        }
        #expect(MiniMaxAPI.hexDecoded("00fFa1") == Data([0, 0xFF, 0xA1]))
        #expect(MiniMaxAPI.hexDecoded("abc") == nil && MiniMaxAPI.hexDecoded("zz") == nil)
    }

    @Test func lyriaTextGivesTitleAndLyrics() {
        let (title, lyrics) = GoogleLyriaAPI.titleAndLyrics("**Title:** \"Paper Moon\"\n\n[Verse]\nLa la")
        #expect(title == "Paper Moon" && lyrics == "[Verse]\nLa la")
        let (heading, rest) = GoogleLyriaAPI.titleAndLyrics("# Night Bus\n[Chorus]\nGo")
        #expect(heading == "Night Bus" && rest == "[Chorus]\nGo")
        let (none, all) = GoogleLyriaAPI.titleAndLyrics("[Verse]\nNo title here")
        #expect(none == nil && all == "[Verse]\nNo title here")
        #expect(CloudEngine.title(fromPrompt: "  a melancholic lo-fi beat, with rain.\nsecond line") == "A melancholic lo-fi beat, with rain")
        #expect(CloudEngine.title(fromPrompt: String(repeating: "long ", count: 30)).count <= 60)
    }
}
