import AudioEngine
import Composer
import Foundation
import LocalEngine
import MusicTestSupport
import SongBrief
import SongLyrics
import Testing
import TunesmithCore

/// A small YIN pitch tracker for the tests (cumulative mean normalised difference, absolute threshold,
/// parabolic interpolation), run on the signal decimated to 11.025 kHz so a song's worth of frames is cheap.
enum TestPitchTracker {
    struct Frame {
        var time: Double
        /// nil when the frame is unvoiced (aperiodic or silent).
        var hertz: Double?
        var rms: Double
    }

    static func track(_ samples: [Float], sampleRate: Int, hopSeconds: Double = 0.02) -> [Frame] {
        let factor = 4
        let rate = Double(sampleRate / factor)
        // Decimate by 4 after a 4-tap box filter and a second pass (a crude low-pass; enough below 1 kHz).
        var low = [Double](repeating: 0, count: samples.count / factor)
        for index in low.indices {
            var sum = 0.0
            for tap in 0..<factor { sum += Double(samples[index * factor + tap]) }
            low[index] = sum / Double(factor)
        }
        let window = 512, minimumLag = Int(rate / 1100), maximumLag = Int(rate / 70)
        let hop = Int(hopSeconds * rate)
        var frames: [Frame] = []
        var difference = [Double](repeating: 0, count: maximumLag + 2)
        low.withUnsafeBufferPointer { signal in
            var start = 0
            while start + window + maximumLag + 2 < signal.count {
                var energy = 0.0
                for index in start..<(start + window) { energy += signal[index] * signal[index] }
                let rms = (energy / Double(window)).squareRoot()
                for lag in 1...(maximumLag + 1) {
                    var sum = 0.0
                    for index in start..<(start + window) {
                        let delta = signal[index] - signal[index + lag]
                        sum += delta * delta
                    }
                    difference[lag] = sum
                }
                var running = 0.0
                var normalised = [Double](repeating: 1, count: maximumLag + 2)
                for lag in 1...(maximumLag + 1) {
                    running += difference[lag]
                    normalised[lag] = running > 0 ? difference[lag] * Double(lag) / running : 1
                }
                var hertz: Double?
                var lag = minimumLag
                while lag <= maximumLag {
                    if normalised[lag] < 0.15 {
                        while lag + 1 <= maximumLag, normalised[lag + 1] < normalised[lag] { lag += 1 }
                        let (a, b, c) = (normalised[lag - 1], normalised[lag], normalised[lag + 1])
                        let shift = (a - 2 * b + c) != 0 ? 0.5 * (a - c) / (a - 2 * b + c) : 0
                        hertz = rate / (Double(lag) + shift)
                        break
                    }
                    lag += 1
                }
                frames.append(Frame(time: (Double(start) + Double(window) / 2) / rate, hertz: rms > 1e-3 ? hertz : nil, rms: rms))
                start += hop
            }
        }
        return frames
    }
}

@Suite("Vocal songs", .serialized)
struct VocalSongTests {
    static let lyrics = """
        [Verse]
        Headlights on the empty road tonight
        Every sign is pointing back to you
        [spoken] the radio is low

        [Chorus]
        Hold on (hold on), we're running out of time
        Hold on until the morning light
        """

    static func request(instrumental: Bool = false, lyrics: String? = VocalSongTests.lyrics) -> GenerationRequest {
        GenerationRequest(
            model: .default, prompt: "an upbeat pop song with a female vocal at 100 bpm", instrumental: instrumental,
            lyrics: instrumental ? nil : lyrics, images: [], seed: 3, maxSeconds: 60)
    }

    @Test func theSungPitchFollowsTheVocalMelody() throws {
        let song = try PromptSongWriter.onTestDictionary().write(Self.request())
        let vocal = try #require(song.performance.vocal)
        #expect(vocal.voice == .female)
        let frames = Int((song.performance.durationSeconds) * Double(SingingVoice.sampleRate))
        let stem = try SingingVoice(voice: vocal.voice).render(vocal.lead, frames: frames)
        let tracked = TestPitchTracker.track(stem, sampleRate: SingingVoice.sampleRate)

        // Every voiced frame inside a note (past its first 60 ms, where the glide and consonants are) is
        // compared with the written note.
        var voiced = 0, within = 0
        for frame in tracked {
            guard let hertz = frame.hertz,
                  let note = vocal.lead.first(where: { frame.time >= $0.start + 0.06 && frame.time < $0.end - 0.02 })
            else { continue }
            voiced += 1
            let written = 440 * pow(2, (Double(note.key) - 69) / 12)
            if abs(1200 * log2(hertz / written)) <= 50 { within += 1 }
        }
        let share = Double(within) / Double(max(voiced, 1))
        print("vocal pitch: \(within) of \(voiced) voiced frames within 50 cents (\(Int((share * 100).rounded())) %)")
        #expect(voiced > 200)
        #expect(share >= 0.85)

        // Every lyric line's time span holds sung, voiced audio.
        for line in vocal.lines {
            let inside = tracked.filter { $0.time >= line.start && $0.time < line.end }
            let voicedShare = Double(inside.filter { $0.hertz != nil }.count) / Double(max(inside.count, 1))
            #expect(voicedShare >= 0.3, "\(line.text): \(voicedShare)")
        }
        // Nothing is sung between the lines' spans... except the backing echo, which is not in this stem.
        #expect(vocal.lines.count == 5)  // the verse's third line sings "the radio is low" without "[spoken]"
        #expect(!vocal.lines.contains { $0.text.contains("spoken") })
    }

    @Test func aVocalSongReturnsLyricsAndAnLRCFile() async throws {
        let engine = LocalEngine(renderer: TestSong.renderer())
        let song = try await engine.generate(Self.request(), progress: { _ in })
        let lyrics = try #require(song.lyrics)
        #expect(lyrics.contains("[Verse]") && lyrics.contains("Hold on (hold on), we're running out of time"))
        #expect(!lyrics.contains("spoken"))
        let lrc = String(decoding: try #require(song.media[.lrc]), as: UTF8.self)
        #expect(lrc.hasPrefix("[ti:\(song.title)]\n[length:"))
        let times = lrc.split(separator: "\n").compactMap { line -> Double? in
            guard line.count > 10, line.first == "[", let minutes = Double(line.dropFirst().prefix(2)),
                  let seconds = Double(line.dropFirst(4).prefix(5)) else { return nil }
            return minutes * 60 + seconds
        }
        #expect(times.count >= 4)
        #expect(times == times.sorted())
        #expect((times.last ?? 0) < song.durationSeconds)
    }

    @Test func anInstrumentalRequestHasNoVoiceAndNoLyrics() async throws {
        let written = try PromptSongWriter.onTestDictionary().write(Self.request(instrumental: true))
        #expect(written.performance.vocal == nil)
        #expect(written.lyrics == nil)
        #expect(!written.score.parts.contains { $0.role == .vocal })
        let engine = LocalEngine(renderer: TestSong.renderer())
        let song = try await engine.generate(Self.request(instrumental: true), progress: { _ in })
        #expect(song.lyrics == nil)
        #expect(song.media[.lrc] == nil)
    }

    @Test func withoutLyricsTheEngineWritesThemAndTitlesTheSong() throws {
        let request = GenerationRequest(
            model: .default, prompt: "a night drive through a neon city, synthwave, male vocal", instrumental: false,
            lyrics: nil, images: [], seed: 4, maxSeconds: 120)
        let song = try PromptSongWriter.onTestDictionary().write(request)
        let vocal = try #require(song.performance.vocal)
        #expect(vocal.voice == .male)
        let brief = PromptParser().brief(for: request.prompt, seed: request.seed, maxSeconds: request.maxSeconds)
        let written = LyricWriter(dictionary: try TestDictionary.load()).write(for: brief)
        #expect(song.score.title == written.title)
        #expect(song.lyrics?.hasPrefix("[Verse 1]") == true)
        #expect(song.performance.durationSeconds <= 120)
    }

    @Test func lrcHasHeadersTimedLinesAndBlanksTheBreaks() {
        let lines = [
            SungLine(text: "first line", sectionLabel: "Verse", start: 4.567, end: 7.2),
            SungLine(text: "second [x] line", sectionLabel: "Verse", start: 7.8, end: 10),
            SungLine(text: "after the solo", sectionLabel: "Chorus", start: 75.001, end: 79.5),
        ]
        let text = LRCWriter.text(title: "Neon Drive", lengthSeconds: 92.4, lines: lines)
        #expect(text == """
            [ti:Neon Drive]
            [length:01:32]
            [re:tunesmith]
            [00:04.56]first line
            [00:07.80]second (x) line
            [00:10.00]
            [01:15.00]after the solo
            [01:19.50]

            """)
    }

    @Test func theSameRequestSingsTheSameSong() throws {
        let first = try PromptSongWriter.onTestDictionary().write(Self.request())
        let second = try PromptSongWriter.onTestDictionary().write(Self.request())
        #expect(first.performance == second.performance)
        #expect(first.lyrics == second.lyrics)
        var other = Self.request()
        other.seed = 4
        #expect(try PromptSongWriter.onTestDictionary().write(other).performance.vocal != first.performance.vocal)
    }
}
