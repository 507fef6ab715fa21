import AudioAnalysis
import AudioEngine
import Composer
import Foundation
import Testing
import TunesmithCore

@testable import LocalEngine

/// Extended songs measured from their audio: the extension's first part sounds like the original, tempo and key
/// are the original's, and the song is longer by a sensible amount within the model's longest length.
/// Serialized, with one render thread, so these renders do not crowd out the suites that run beside them.
@Suite("Extended songs, measured", .serialized)
struct ExtensionAudioTests {
    static let analyzer = AudioAnalyzer()

    static let words = """
        [Verse]
        Headlights on the empty road tonight
        Every sign is pointing back to you

        [Chorus]
        Hold on (hold on), we're running out of time
        Hold on until the morning light
        """
    static let vocal = GenerationRequest(
        model: .default, prompt: "an upbeat pop song with a female vocal at 100 bpm, 60 seconds", instrumental: false,
        lyrics: words, images: [], seed: 3, maxSeconds: 120)
    static let instrumental = GenerationRequest(
        model: .default, prompt: "a dreamy synthwave instrumental in A minor, 30 seconds", instrumental: true,
        lyrics: nil, images: [], seed: 5, maxSeconds: 120)

    /// The standard writer and the small SoundFont, as the engine runs them.
    static func render(_ request: GenerationRequest) throws -> (song: ComposedSong, rendered: RenderedSong) {
        let song = try PromptSongWriter.onTestDictionary().write(request)
        let rendered = try TestSong.renderer(workers: 1).render(
            score: song.score, performance: song.performance, outputs: RenderOutputs(midi: false, sheet: false))
        return (song, rendered)
    }

    static func mono(_ buffer: StereoBuffer) -> [Float] {
        zip(buffer.left, buffer.right).map { ($0 + $1) / 2 }
    }

    /// Pearson correlation of two signals over their first `seconds`.
    static func correlation(_ a: [Float], _ b: [Float], seconds: Double, sampleRate: Int) -> Double {
        let count = min(Int(seconds * Double(sampleRate)), a.count, b.count)
        var sumA = 0.0, sumB = 0.0, sumAB = 0.0, sumAA = 0.0, sumBB = 0.0
        for index in 0..<count {
            let x = Double(a[index]), y = Double(b[index])
            sumA += x; sumB += y; sumAB += x * y; sumAA += x * x; sumBB += y * y
        }
        let n = Double(count)
        let covariance = sumAB - sumA * sumB / n
        return covariance / ((sumAA - sumA * sumA / n) * (sumBB - sumB * sumB / n)).squareRoot()
    }

    @Test("the extension plays the original up to its ending, then goes on in the same tempo and key",
          arguments: ["vocal", "instrumental"])
    func extensionContinuesTheOriginal(kind: String) throws {
        let request = kind == "vocal" ? Self.vocal : Self.instrumental
        var extending = request
        extending.continuations = [SongContinuation(prompt: nil, lyrics: nil, seed: 9)]
        let original = try Self.render(request)
        let longer = try Self.render(extending)
        let start = try #require(longer.song.continuationStarts.first)
        let rate = original.rendered.mastered.sampleRate

        let shared = Self.correlation(
            Self.mono(original.rendered.mastered), Self.mono(longer.rendered.mastered), seconds: start, sampleRate: rate)
        let originalAudio = SongRendering.interleaved(original.rendered.mastered)
        let longerAudio = SongRendering.interleaved(longer.rendered.mastered)
        let tempos = (try Self.analyzer.tempo(originalAudio), try Self.analyzer.tempo(longerAudio))
        let keys = (try Self.analyzer.key(originalAudio), try Self.analyzer.key(longerAudio))
        let lengths = (original.rendered.durationSeconds, longer.rendered.durationSeconds)
        let figures = """
            \(kind): original \(String(format: "%.1f", lengths.0)) s, extension \(String(format: "%.1f", lengths.1)) s \
            continuing at \(String(format: "%.1f", start)) s; correlation of the first \(String(format: "%.1f", start)) s \
            \(String(format: "%.4f", shared)); tempo \(String(format: "%.1f", tempos.0)) / \(String(format: "%.1f", tempos.1)) bpm \
            (score \(longer.song.score.bpm)); key \(keys.0.best) / \(keys.1.best) (score \(longer.song.score.key))
            """
        print("ExtensionAudio \(figures)")
        let comment = Comment(rawValue: figures)

        #expect(shared > 0.95, comment)
        let bpm = Double(longer.song.score.bpm)
        #expect(AnalysisTests.tempoMatches(tempos.0, bpm, tolerance: 0.04), comment)
        #expect(AnalysisTests.tempoMatches(tempos.1, bpm, tolerance: 0.04), comment)
        #expect(keys.1.tonic == keys.0.tonic && keys.1.isMinor == keys.0.isMinor, comment)
        #expect(keys.1.tonic == longer.song.score.key.tonic.value, comment)
        #expect(lengths.1 >= lengths.0 + 15, comment)
        #expect(lengths.1 <= Double(request.maxSeconds), comment)
        #expect(longer.song.score.title == original.song.score.title)
        if kind == "vocal" {
            let words = try #require(longer.song.lyrics), before = try #require(original.song.lyrics)
            #expect(words.hasPrefix(before) && words.count > before.count)
            let lrc = String(decoding: try #require(longer.song.lrc(lengthSeconds: lengths.1)), as: UTF8.self)
            #expect(lrc.split(separator: "\n").count > String(decoding: try #require(original.song.lrc(lengthSeconds: lengths.0)), as: UTF8.self).split(separator: "\n").count)
        }
    }

    @Test func theSongSheetRecordsWhatMadeTheSongAndReadsBack() async throws {
        var request = Self.instrumental
        request.prompt = "a dreamy synthwave instrumental in A minor, 15 seconds"
        request.continuations = [SongContinuation(prompt: "calmer", lyrics: nil, seed: 4)]
        let song = try await LocalEngine(renderer: TestSong.renderer(workers: 1)).generate(request, progress: { _ in })
        let data = try #require(song.media[.sheet])
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(Set(keys).isSuperset(of: ["source", "sections", "chords", "brief", "title"]))
        let sourced = try JSONDecoder().decode(SourcedSongSheet.self, from: data)
        let source = try #require(sourced.source)
        #expect(source.request == request)
        #expect(source.voice == nil)
        #expect(try sourced.jsonData() == data)
        #expect(sourced.sheet == (try JSONDecoder().decode(SongSheet.self, from: data)))
    }

    @Test func theEngineRefusesToContinueASongItWouldComposeDifferently() async throws {
        var request = Self.instrumental
        request.maxSeconds = 90
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("extend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let midi = folder.appendingPathComponent("track.mid")
        try MIDIWriter.data(for: try PromptSongWriter.onTestDictionary().write(request).score).write(to: midi)

        var extending = request
        extending.continuations = [SongContinuation(prompt: "calmer", lyrics: nil, seed: 1)]
        extending.continuedMIDI = midi
        #expect(throws: Never.self) {
            try LocalEngine.checkComposesAgain(extending, midi: midi, writer: try PromptSongWriter.onTestDictionary())
        }
        var other = extending
        other.seed += 1
        #expect(throws: SongNotContinuable.self) {
            try LocalEngine.checkComposesAgain(other, midi: midi, writer: try PromptSongWriter.onTestDictionary())
        }
        #expect(throws: SongNotContinuable.self) {
            try LocalEngine.checkComposesAgain(
                extending, midi: folder.appendingPathComponent("missing.mid"), writer: try PromptSongWriter.onTestDictionary())
        }
    }
}

/// Stems over the API: the zip the engine stores for `stems: true`. Serialized, like the suite above.
@Suite("Stems zip", .serialized)
struct StemsZipTests {
    static func generate(_ request: GenerationRequest, stems: Bool) async throws -> GeneratedSong {
        var request = request
        request.stems = stems
        return try await LocalEngine(renderer: TestSong.renderer(workers: 1)).generate(request, progress: { _ in })
    }

    @Test func aVocalSongsZipHoldsEveryPartTheVoiceAloneAndTheMelody() async throws {
        var request = ExtensionAudioTests.vocal
        request.maxSeconds = 60
        let song = try await Self.generate(request, stems: true)
        let plain = try await Self.generate(request, stems: false)
        // The mix does not change when stems are asked for.
        #expect(song.media[.mp3] == plain.media[.mp3])
        #expect(plain.media[.stems] == nil)

        let entries = try ZipReading.entries(try #require(song.media[.stems]))
        let names = entries.map(\.name)
        let written = try PromptSongWriter.onTestDictionary().write(request)
        let parts = written.performance.parts.map { "\($0.name).wav" }
        #expect(Set(names) == Set(parts + ["vocals.wav", "vocals.mid"]))
        #expect(names == names.sorted())
        for entry in entries where entry.name.hasSuffix(".wav") {
            let audio = try AudioAnalysis.AudioBuffer.decodeWAV(entry.data)
            #expect(abs(audio.duration - song.durationSeconds) < 0.01, "\(entry.name): \(audio.duration) s")
        }
        let melody = try #require(entries.first { $0.name == "vocals.mid" }).data
        #expect(melody == StemFiles.vocalMIDI(written.score))
        #expect(melody.starts(with: Array("MThd".utf8)))

        // The vocal stem sounds where the lyrics are sung and is silent where nobody sings.
        let voice = try AudioAnalysis.AudioBuffer.decodeWAV(try #require(entries.first { $0.name == "vocals.wav" }).data)
        let lines = try #require(written.performance.vocal?.lines)
        func rms(from start: Double, to end: Double) -> Double {
            let rate = voice.sampleRate, channels = voice.channels
            let first = Int(start * rate) * channels, last = min(Int(end * rate) * channels, voice.samples.count)
            guard last > first else { return 0 }
            let energy = voice.samples[first..<last].reduce(0.0) { $0 + Double($1) * Double($1) }
            return (energy / Double(last - first)).squareRoot()
        }
        let sung = lines.map { rms(from: $0.start, to: $0.end) }
        let firstLine = try #require(lines.first)
        let before = rms(from: 0, to: max(0.1, firstLine.start - 0.3))
        print("vocal stem rms: sung lines \(sung.map { String(format: "%.4f", $0) }), before the first line \(String(format: "%.5f", before))")
        #expect(sung.allSatisfy { $0 > 0.01 })
        #expect(sung.allSatisfy { $0 > before * 20 })
    }

    @Test func anInstrumentalsZipHasNoVocalFiles() async throws {
        var request = ExtensionAudioTests.instrumental
        request.prompt = "a dreamy synthwave instrumental in A minor, 20 seconds"
        let song = try await Self.generate(request, stems: true)
        let names = try ZipReading.entries(try #require(song.media[.stems])).map(\.name)
        #expect(!names.isEmpty)
        #expect(names.allSatisfy { $0.hasSuffix(".wav") && !$0.hasPrefix("vocals") })
        #expect(names.contains("drums.wav"))
    }

    @Test func zipArchivesAreDeterministicAndStoreTheBytesAsTheyAre() throws {
        let files = [
            ZipWriter.Entry(name: "a.txt", data: Data("hello".utf8)),
            ZipWriter.Entry(name: "ünïcode/b.bin", data: Data((0..<1000).map { UInt8($0 % 251) })),
            ZipWriter.Entry(name: "empty", data: Data()),
        ]
        let zip = try ZipWriter.archive(files)
        #expect(zip == (try ZipWriter.archive(files)))
        let read = try ZipReading.entries(zip)
        #expect(read.map(\.name) == files.map(\.name))
        #expect(read.map(\.data) == files.map(\.data))
        // The check value of the standard test string, and a table-free CRC on other bytes.
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        for file in files { #expect(CRC32.checksum(file.data) == ZipReading.bitwiseCRC(file.data)) }
    }
}

/// Reads a zip archive the way an unzip tool does: from the end-of-central-directory record, through the
/// central directory, to each local header; checks every entry's CRC-32 (with `CRC32`, itself checked against
/// the standard check value and a bitwise CRC in `zipArchivesAreDeterministicAndStoreTheBytesAsTheyAre`).
enum ZipReading {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func entries(_ zip: Data) throws -> [(name: String, data: Data)] {
        let bytes = [UInt8](zip)
        func u16(_ at: Int) throws -> Int {
            guard at + 2 <= bytes.count else { throw Failure(description: "truncated at \(at)") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int {
            let low = try u16(at), high = try u16(at + 2)
            return low | high << 16
        }
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: {
            (try? u32($0)) == 0x0605_4b50
        }) else { throw Failure(description: "no end of central directory") }
        let count = try u16(end + 10)
        var at = try u32(end + 16)
        var entries: [(String, Data)] = []
        for _ in 0..<count {
            guard try u32(at) == 0x0201_4b50 else { throw Failure(description: "bad central header at \(at)") }
            guard try u16(at + 10) == 0 else { throw Failure(description: "compressed entry") }
            let crc = try u32(at + 16), size = try u32(at + 20), nameLength = try u16(at + 28)
            let extra = try u16(at + 30), comment = try u16(at + 32), local = try u32(at + 42)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard try u32(local) == 0x0403_4b50, try u16(local + 26) == nameLength else {
                throw Failure(description: "bad local header for \(name)")
            }
            let start = local + 30 + nameLength + (try u16(local + 28))
            guard start + size <= bytes.count else { throw Failure(description: "\(name) runs past the end") }
            let data = Data(bytes[start..<(start + size)])
            guard CRC32.checksum(data) == UInt32(crc) else { throw Failure(description: "\(name): CRC mismatch") }
            entries.append((name, data))
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    static func bitwiseCRC(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
