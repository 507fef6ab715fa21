import AudioAnalysis
import AudioEngine
import Composer
import Foundation
import MusicTestSupport
import SongBrief
import SongLyrics
import Testing

/// Hand-built sung lines from real words (dictionary syllables and phonemes), independent of the vocal composer.
enum SungFixture {
    static let lines = ["Headlights on the empty road tonight", "Every sign is pointing back to you"]
    /// Semitones above the voice's tonic, one per note, stepwise with a few small leaps.
    static let tune = [0, 2, 4, 5, 7, 5, 4, 2, 4, 2, 0, 2, 4, 7, 9, 7, 5, 4, 2, 4, 2, 0]

    static func tonic(_ voice: VoiceType) -> Int { voice == .female ? 62 : 50 }  // D4 / D3

    /// The lines one syllable per beat from `startBeat`; each line's last syllable is held two beats and then
    /// continued by a one-beat melisma a step lower; two beats of rest between lines.
    static func vocal(voice: VoiceType, bpm: Double = 96, startBeat: Double = 4) throws -> VocalPerformance {
        let syllabifier = WordSyllabifier(dictionary: try TestDictionary.load())
        let beat = 60 / bpm
        var notes: [SungNote] = []
        var sungLines: [SungLine] = []
        var beatPosition = startBeat
        var tuneIndex = 0
        for line in lines {
            let lineStart = beatPosition * beat
            let words = line.split(separator: " ").map { syllabifier.sungWord(String($0), isBacking: false) }
            for (wordIndex, word) in words.enumerated() {
                for (index, syllable) in word.syllables.enumerated() {
                    let isLast = wordIndex == words.count - 1 && index == word.syllables.count - 1
                    let key = tonic(voice) + tune[tuneIndex % tune.count]
                    tuneIndex += 1
                    let length = isLast ? 2.0 : 1.0
                    notes.append(SungNote(
                        start: beatPosition * beat, duration: length * beat * 0.97, key: key, velocity: 96,
                        syllable: syllable, word: word.text, syllableIndex: index, syllableCount: word.syllables.count))
                    beatPosition += length
                    if isLast {
                        notes.append(SungNote(
                            start: beatPosition * beat, duration: beat * 0.97, key: key - 2, velocity: 90,
                            syllable: syllable, word: word.text, syllableIndex: index,
                            syllableCount: word.syllables.count, isContinuation: true))
                        beatPosition += 1
                    }
                }
            }
            sungLines.append(SungLine(text: line, sectionLabel: "Verse 1", start: lineStart, end: beatPosition * beat))
            beatPosition += 2
        }
        return VocalPerformance(voice: voice, lead: notes, backing: [], lines: sungLines)
    }

    static func frames(for vocal: VocalPerformance) -> Int {
        Int(((vocal.lead.last?.end ?? 0) + 1) * Double(SingingVoice.sampleRate))
    }
}

/// What the voice's audio shows: pitch per frame against the written notes, voicing, spectral centroid.
enum VoiceMeasure {
    struct PitchFigures {
        var voicedInNotes: Int
        var withinFiftyCents: Int
        var share: Double { voicedInNotes > 0 ? Double(withinFiftyCents) / Double(voicedInNotes) : 0 }
    }

    /// aubio yinfast, 2048-sample window, 512 hop; frames placed at the centre of the samples they analysed.
    static func track(_ samples: [Float]) throws -> [(time: Double, hertz: Double)] {
        let audio = AudioAnalysis.AudioBuffer(samples: samples, channels: 1, sampleRate: Double(SingingVoice.sampleRate))
        let frames = try AudioAnalyzer().pitchTrack(audio, method: .yinfast, windowSize: 2048, hopSize: 512, silenceDB: -45)
        let delay = Double(512 - 1024) / Double(SingingVoice.sampleRate)
        return frames.map { frame in
            (frame.time + delay, frame.frequency > 0 && frame.confidence >= 0.7 ? frame.frequency : 0)
        }
    }

    /// Voiced frames well inside a note (past its glide, before its release) and how many are within 50 cents.
    static func pitchFigures(_ track: [(time: Double, hertz: Double)], notes: [SungNote]) -> PitchFigures {
        var figures = PitchFigures(voicedInNotes: 0, withinFiftyCents: 0)
        for frame in track where frame.hertz > 0 {
            guard let note = notes.first(where: { frame.time >= $0.start + 0.05 && frame.time <= $0.end - 0.03 }) else {
                continue
            }
            figures.voicedInNotes += 1
            let cents = 1200 * log2(frame.hertz / (440 * exp2((Double(note.key) - 69) / 12)))
            if abs(cents) <= 50 { figures.withinFiftyCents += 1 }
        }
        return figures
    }

    static func voicedFrames(_ track: [(time: Double, hertz: Double)], from start: Double, to end: Double) -> (voiced: Int, all: Int) {
        let inside = track.filter { $0.time >= start && $0.time <= end }
        return (inside.filter { $0.hertz > 0 }.count, inside.count)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// Mean spectral centroid (Hz, below 8 kHz) of 1024-sample Hann frames over the loud part of `samples`.
    static func spectralCentroid(_ samples: [Float], sampleRate: Int) -> Double {
        let size = 1024, bins = 186  // 186 bins of 43 Hz: up to 8 kHz
        var frames: [Int] = []
        var start = 0
        while start + size <= samples.count {
            var energy: Float = 0
            for index in start..<(start + size) { energy += samples[index] * samples[index] }
            if energy / Float(size) > 1e-4 { frames.append(start) }
            start += size * 4
        }
        let window = (0..<size).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size)) }
        // Twiddle factors once: bin * index wraps modulo the frame size.
        let cosines = (0..<size).map { cos(2 * Double.pi * Double($0) / Double(size)) }
        let sines = (0..<size).map { sin(2 * Double.pi * Double($0) / Double(size)) }
        var centroids: [Double] = []
        var windowed = [Double](repeating: 0, count: size)
        let chosen = stride(from: 0, to: frames.count, by: max(1, frames.count / 60)).map { frames[$0] }
        for frame in chosen {
            for index in 0..<size { windowed[index] = Double(samples[frame + index]) * window[index] }
            var weighted = 0.0, total = 0.0
            for bin in 1..<bins {
                var re = 0.0, im = 0.0
                var phase = 0
                for index in 0..<size {
                    re += windowed[index] * cosines[phase]
                    im -= windowed[index] * sines[phase]
                    phase = (phase + bin) & (size - 1)
                }
                let magnitude = (re * re + im * im).squareRoot()
                weighted += magnitude * Double(bin) * Double(sampleRate) / Double(size)
                total += magnitude
            }
            if total > 0 { centroids.append(weighted / total) }
        }
        return centroids.isEmpty ? 0 : centroids.reduce(0, +) / Double(centroids.count)
    }
}

@Suite("Singing voice", .serialized)
struct SingingVoiceTests {
    @Test("The female voice sings the written pitches: >= 85 % of voiced frames within 50 cents, every note and line voiced", arguments: VoiceType.allCases)
    func pitchAndVoicing(voice: VoiceType) throws {
        let vocal = try SungFixture.vocal(voice: voice)
        let samples = try SingingVoice(voice: voice).render(vocal.lead, frames: SungFixture.frames(for: vocal))
        let track = try VoiceMeasure.track(samples)
        let figures = VoiceMeasure.pitchFigures(track, notes: vocal.lead)
        print("\(voice) voice: \(figures.withinFiftyCents) of \(figures.voicedInNotes) voiced frames inside notes within 50 cents (\(String(format: "%.1f", figures.share * 100)) %)")
        #expect(figures.voicedInNotes > 100)
        #expect(figures.share >= 0.85)
        for note in vocal.lead {
            let voiced = VoiceMeasure.voicedFrames(track, from: note.start, to: note.end)
            #expect(voiced.voiced > 0, "\(note.word) at \(note.start) s has no voiced frame")
        }
        for line in vocal.lines {
            let voiced = VoiceMeasure.voicedFrames(track, from: line.start, to: line.end)
            let share = Double(voiced.voiced) / Double(max(1, voiced.all))
            print("\(voice) line \"\(line.text)\": \(Int(share * 100)) % of frames voiced")
            #expect(share >= 0.6, "\(line.text)")
        }
        // Before the first onset and after the last release there is nothing.
        let firstOnset = Int((vocal.lead[0].start - 0.3) * Double(SingingVoice.sampleRate))
        #expect(samples[0..<firstOnset].allSatisfy { $0 == 0 })
    }

    @Test("Female sings in the female range, male in the male range, and the female voice is brighter")
    func femaleAndMaleDiffer() throws {
        var medians: [VoiceType: Double] = [:], centroids: [VoiceType: Double] = [:]
        for voice in VoiceType.allCases {
            let vocal = try SungFixture.vocal(voice: voice)
            let samples = try SingingVoice(voice: voice).render(vocal.lead, frames: SungFixture.frames(for: vocal))
            medians[voice] = VoiceMeasure.median(try VoiceMeasure.track(samples).map(\.hertz).filter { $0 > 0 })
            centroids[voice] = VoiceMeasure.spectralCentroid(samples, sampleRate: SingingVoice.sampleRate)
        }
        let female = try #require(medians[.female]), male = try #require(medians[.male])
        print("median f0: female \(Int(female)) Hz, male \(Int(male)) Hz; spectral centroid: female \(Int(centroids[.female] ?? 0)) Hz, male \(Int(centroids[.male] ?? 0)) Hz")
        #expect((220...660).contains(female))
        #expect((110...330).contains(male))
        #expect((centroids[.female] ?? 0) > (centroids[.male] ?? 0) * 1.03)
    }

    @Test("The same notes give the same samples, whatever was sung before")
    func deterministic() throws {
        let vocal = try SungFixture.vocal(voice: .female)
        let frames = SungFixture.frames(for: vocal)
        let first = try SingingVoice(voice: .female).render(vocal.lead, frames: frames)
        _ = try SingingVoice(voice: .male).render(try SungFixture.vocal(voice: .male).lead, frames: frames)
        let second = try SingingVoice(voice: .female).render(vocal.lead, frames: frames)
        let same = first == second
        #expect(same)
        #expect(first.contains { $0 != 0 })
        let silent = try SingingVoice(voice: .female).render([], frames: 1000).allSatisfy { $0 == 0 }
        #expect(silent)
    }

    @Test("No clicks: the voice never jumps by more than a smooth waveform can")
    func noClicks() throws {
        let vocal = try SungFixture.vocal(voice: .male)
        let samples = try SingingVoice(voice: .male).render(vocal.lead, frames: SungFixture.frames(for: vocal))
        let peak = samples.map(abs).max() ?? 0
        var largestStep: Float = 0
        for index in 1..<samples.count { largestStep = max(largestStep, abs(samples[index] - samples[index - 1])) }
        print("voice peak \(peak), largest sample step \(largestStep)")
        #expect(peak > 0.05 && peak < 1)
        #expect(largestStep < peak * 0.8)
    }
}

@Suite("Vocal mix", .serialized)
struct VocalMixTests {
    static func song(vocal: VocalPerformance?) -> (Score, Performance) {
        let score = TestSong.score(bars: 10, bpm: 96)
        var performance = TestSong.performance(of: score)
        performance.vocal = vocal
        return (score, performance)
    }

    static func decode(_ data: Data?) throws -> AudioAnalysis.AudioBuffer {
        try AudioAnalysis.AudioBuffer.decodeWAV(try #require(data))
    }

    @Test("Instrumentals: stems on or off, the same MP3; one stem per part and no vocal stem")
    func instrumentalUnchanged() throws {
        let (score, performance) = Self.song(vocal: nil)
        let renderer = TestSong.renderer()
        let plain = try renderer.render(score: score, performance: performance, outputs: RenderOutputs(midi: false, sheet: false))
        let withStems = try renderer.render(
            score: score, performance: performance, outputs: RenderOutputs(midi: false, sheet: false, stems: true))
        let sameMP3 = plain.mp3 == withStems.mp3
        #expect(sameMP3)
        #expect(plain.stems.isEmpty)
        #expect(Set(withStems.stems.keys) == Set(performance.parts.map(\.name)))
        #expect(withStems.stems["vocals"] == nil)
    }

    @Test("With a vocal: the lead is louder than the band, the band ducks 1.5-3.5 dB under it, stems do not change the mix")
    func vocalAboveBand() throws {
        let vocal = try SungFixture.vocal(voice: .female)
        let (score, performance) = Self.song(vocal: vocal)
        let renderer = TestSong.renderer()
        let outputs = RenderOutputs(midi: false, sheet: false, stems: true)
        let sung = try renderer.render(score: score, performance: performance, outputs: outputs)
        let plain = try renderer.render(score: score, performance: performance, outputs: RenderOutputs(midi: false, sheet: false))
        let sameMP3 = sung.mp3 == plain.mp3
        #expect(sameMP3)
        let (_, instrumental) = Self.song(vocal: nil)
        let band = try renderer.render(score: score, performance: instrumental, outputs: outputs)
        let differs = sung.mp3 != band.mp3
        #expect(differs)

        let vocalStem = try Self.decode(sung.stems["vocals"])
        let bandNames = performance.parts.map(\.name)
        let bandStems = try bandNames.map { try Self.decode(sung.stems[$0]) }
        var bandSum = bandStems[0]
        for stem in bandStems.dropFirst() {
            for index in bandSum.samples.indices { bandSum.samples[index] += stem.samples[index] }
        }
        let analyzer = AudioAnalyzer()
        let vocalLUFS = try analyzer.loudness(vocalStem).integratedLUFS
        // The band measured only where the lead sings.
        let sungStart = Int(vocal.lead[0].start * 44_100) * 2, sungEnd = Int(vocal.lead.last!.end * 44_100) * 2
        let bandWhileSinging = AudioAnalysis.AudioBuffer(
            samples: Array(bandSum.samples[sungStart..<sungEnd]), channels: 2, sampleRate: 44_100)
        let bandLUFS = try analyzer.loudness(bandWhileSinging).integratedLUFS
        print("vocal stem \(String(format: "%.1f", vocalLUFS)) LUFS, band stems while singing \(String(format: "%.1f", bandLUFS)) LUFS")
        #expect(vocalLUFS > bandLUFS + 1)

        // Ducking: the band's stems in the sung song against the same band without a vocal, inside a held note
        // and in the intro (the two renders were mastered with different gains; the ratio of ratios cancels it).
        let instrumentalStems = try bandNames.map { try Self.decode(band.stems[$0]) }
        func level(_ stems: [AudioAnalysis.AudioBuffer], from start: Double, to end: Double) -> Double {
            var energy = 0.0
            for stem in stems {
                for index in (Int(start * 44_100) * 2)..<(Int(end * 44_100) * 2) {
                    energy += Double(stem.samples[index] * stem.samples[index])
                }
            }
            return 10 * log10(energy)
        }
        let held = vocal.lead.first { $0.duration > 1 }!
        let duckedWhileSinging = level(bandStems, from: held.start + 0.3, to: held.end - 0.1)
            - level(instrumentalStems, from: held.start + 0.3, to: held.end - 0.1)
        let duckedInIntro = level(bandStems, from: 0.2, to: 1.5) - level(instrumentalStems, from: 0.2, to: 1.5)
        let ducking = duckedInIntro - duckedWhileSinging
        print("band ducks \(String(format: "%.2f", ducking)) dB under the held note")
        #expect(ducking >= 1.5 && ducking <= 3.5)
        #expect(sung.mastering.outputLUFS > -14.6 && sung.mastering.outputLUFS < -13.4)
    }
}

/// What the voice keeps when it sings: its own spectral envelope at any pitch, a timbre of its own, a swell.
@Suite("Singing voice timbre", .serialized)
struct SungTimbreTests {
    /// One word held on one note from 0.5 s.
    static func held(_ word: String, key: Int, seconds: Double) throws -> [SungNote] {
        let sung = WordSyllabifier(dictionary: try TestDictionary.load()).sungWord(word, isBacking: false)
        let syllable = try #require(sung.syllables.first)
        return [SungNote(
            start: 0.5, duration: seconds, key: key, velocity: 100, syllable: syllable, word: sung.text,
            syllableIndex: 0, syllableCount: 1)]
    }

    static func render(_ notes: [SungNote], voice: VoiceType) throws -> [Float] {
        try SingingVoice(voice: voice).render(notes, frames: Int(((notes.last?.end ?? 0) + 0.5) * Double(SingingVoice.sampleRate)))
    }

    static func slice(_ samples: [Float], from start: Double, to end: Double) -> [Float] {
        let rate = Double(SingingVoice.sampleRate)
        return Array(samples[Int(start * rate)..<min(samples.count, Int(end * rate))])
    }

    static func rms(_ samples: [Float]) -> Double {
        (samples.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))).squareRoot()
    }

    @Test("A fifth up, the vowel keeps its formants: the pitch rises 1.5x, the spectral centroid far less (no chipmunk)")
    func envelopeStaysWhenPitchMoves() throws {
        var pitches: [Double] = [], centroids: [Double] = []
        for key in [50, 57] {
            let samples = try Self.render(try Self.held("far", key: key, seconds: 1.2), voice: .male)
            let vowel = Self.slice(samples, from: 0.7, to: 1.4)
            pitches.append(VoiceMeasure.median(try VoiceMeasure.track(vowel).map(\.hertz).filter { $0 > 0 }))
            centroids.append(VoiceMeasure.spectralCentroid(vowel, sampleRate: SingingVoice.sampleRate))
        }
        let pitchRatio = pitches[1] / max(1, pitches[0]), centroidRatio = centroids[1] / max(1, centroids[0])
        print("\"far\" at D3 and A3: f0 \(Int(pitches[0])) -> \(Int(pitches[1])) Hz, centroid \(Int(centroids[0])) -> \(Int(centroids[1])) Hz")
        #expect(abs(pitchRatio - 1.5) < 0.05)
        #expect(centroidRatio < 1.2)
    }

    @Test("On the same notes the female and male voices differ in timbre (spectral centroids > 10 % apart), not only in pitch")
    func femaleTimbreDiffersAtTheSamePitch() throws {
        let notes = try SungFixture.vocal(voice: .male).lead.map { note in
            var note = note
            note.key += 7  // A3 upwards: inside both voices' reach
            return note
        }
        let female = try Self.render(notes, voice: .female), male = try Self.render(notes, voice: .male)
        let femaleCentroid = VoiceMeasure.spectralCentroid(female, sampleRate: SingingVoice.sampleRate)
        let maleCentroid = VoiceMeasure.spectralCentroid(male, sampleRate: SingingVoice.sampleRate)
        print("same notes: spectral centroid female \(Int(femaleCentroid)) Hz, male \(Int(maleCentroid)) Hz")
        // Two recorded speakers, two spectral envelopes: sung on identical pitches they still sound apart.
        #expect(abs(log(femaleCentroid / max(1, maleCentroid))) > log(1.1))
    }

    @Test("A long held note swells: its last half second is louder than the half second after its attack")
    func longNotesSwell() throws {
        let samples = try Self.render(try Self.held("far", key: 52, seconds: 2.5), voice: .male)
        let early = Self.rms(Self.slice(samples, from: 0.7, to: 1.2)), late = Self.rms(Self.slice(samples, from: 2.2, to: 2.7))
        let gain = 20 * log10(late / max(1e-9, early))
        print("held 2.5 s: level rises \(String(format: "%.1f", gain)) dB")
        #expect(gain > 1 && gain < 4)
    }
}
