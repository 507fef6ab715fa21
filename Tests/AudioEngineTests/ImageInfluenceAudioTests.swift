import AudioAnalysis
import AudioEngine
import Foundation
import ImageAnalysis
import LocalEngine
import SongBrief
import Testing
import TunesmithCore

/// Issue 5: the reference images must be audible. The same prompt and seed with a bright, warm, saturated
/// picture and with a dark, cool, grey one, rendered and judged from the mastered audio.
@Suite("Reference images change the rendered song")
struct ImageInfluenceAudioTests {
    static let prompt = "a song, 30 seconds"
    static let seed: UInt64 = 2026

    /// A sunset: yellow through orange to red.
    static let sunset = RGBAImage(width: 96, height: 96) { x, y in
        (255, UInt8(230 - (x + y) * 90 / 192), UInt8(60 - (x + y) * 40 / 192), 255)
    }
    /// Night: dark, bluish grey, almost flat.
    static let night = RGBAImage(width: 96, height: 96) { x, _ in
        (UInt8(22 + x % 4), UInt8(30 + x % 4), UInt8(52 + x % 4), 255)
    }

    struct Rendered {
        var song: ComposedSong
        var rendered: RenderedSong
        var key: KeyEstimate
        var tempo: TempoEstimate
    }

    /// Writes the picture as a real PNG upload would be stored, then runs the engine's writer and renders.
    static func render(_ picture: RGBAImage, name: String) throws -> Rendered {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("\(name).png")
        try Data(StbImage.encodePNG(picture)).write(to: file)
        let request = GenerationRequest(
            model: .lyria3ProPreview, prompt: prompt, instrumental: true, lyrics: nil, images: [file], seed: seed,
            maxSeconds: MusicModel.lyria3ProPreview.spec.maxSeconds)
        let song = try PromptSongWriter.onTestDictionary().write(request)
        let rendered = try SongRenderer(soundFont: SongRendering.soundFont, workers: 1).render(
            score: song.score, performance: song.performance, outputs: RenderOutputs(wav: false, midi: false, sheet: true))
        let audio = SongRendering.interleaved(rendered.mastered)
        let analyzer = AudioAnalyzer()
        return Rendered(
            song: song, rendered: rendered, key: try analyzer.key(audio), tempo: try analyzer.tempoEstimate(audio))
    }

    @Test("a bright warm saturated picture sounds major and faster; a dark cool grey one minor and slower")
    func brightVersusDark() throws {
        let bright = try Self.render(Self.sunset, name: "sunset")
        let dark = try Self.render(Self.night, name: "night")
        for (name, song) in [("sunset", bright), ("night", dark)] {
            let brief = song.song.score.brief
            print("""
                ImageInfluence \(name): features \(brief.imageInfluence.map { "\($0.features)" } ?? "-") | \
                brief \(brief.genre) \(brief.bpm) bpm \(brief.key) | measured \(String(format: "%.1f", song.tempo.bpm)) bpm, \
                \(song.key.best) r=\(String(format: "%.2f", song.key.correlation)) (then \(song.key.runnerUp))
                """)
        }
        let brightBrief = bright.song.score.brief, darkBrief = dark.song.score.brief
        if let influence = brightBrief.imageInfluence, let json = JSONValue(encoding: influence) {
            print("ImageInfluence sunset JSON \(String(decoding: try JSONEncoder().encode(json), as: UTF8.self))")
        }
        #expect(brightBrief.imageInfluence?.mode == .major)
        #expect(darkBrief.imageInfluence?.mode == .minor)
        #expect(brightBrief.genre == darkBrief.genre, "no genre word and no hue rule: the genre stays the prompt's")
        #expect(brightBrief.bpm >= darkBrief.bpm + 8, "brief tempos \(brightBrief.bpm) vs \(darkBrief.bpm)")

        // From the audio: the key's mode, and the tempo (each measured tempo is its brief's, and they differ).
        #expect(!bright.key.isMinor, "sunset heard as \(bright.key.best)")
        #expect(dark.key.isMinor, "night heard as \(dark.key.best)")
        #expect(AnalysisTests.tempoMatches(bright.tempo.bpm, Double(brightBrief.bpm)), "sunset \(bright.tempo.bpm)")
        #expect(AnalysisTests.tempoMatches(dark.tempo.bpm, Double(darkBrief.bpm)), "night \(dark.tempo.bpm)")
        #expect(bright.tempo.bpm > dark.tempo.bpm * 1.05, "measured \(bright.tempo.bpm) vs \(dark.tempo.bpm)")

        // The song sheet says what the images did.
        let sheet = try JSONSerialization.jsonObject(with: try #require(bright.rendered.sheet)) as? [String: Any]
        let influence = (sheet?["brief"] as? [String: Any])?["imageInfluence"] as? [String: Any]
        #expect(influence?["mode"] as? String == "major")
        #expect(influence?["colour"] as? String == "warm")
        #expect((influence?["tempo_shift"] as? Int).map { $0 == brightBrief.bpm - PromptParser().brief(for: Self.prompt, seed: Self.seed).bpm } == true)
    }

    @Test("without images the writer gives exactly the prompt-only brief")
    func noImagesNoChange() throws {
        let request = GenerationRequest(
            model: .lyria3ProPreview, prompt: Self.prompt, instrumental: true, lyrics: nil, images: [], seed: Self.seed,
            maxSeconds: 180)
        let brief = try PromptSongWriter.onTestDictionary().write(request).score.brief
        #expect(brief.imageInfluence == nil)
        #expect(brief.bpm == PromptParser().brief(for: Self.prompt, seed: Self.seed, maxSeconds: 180).bpm)
    }

    @Test("a stored upload that no longer decodes fails the job with a reason naming it")
    func brokenUploadFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken.png")
        try Data(StbImage.encodePNG(Self.sunset).prefix(60)).write(to: file)
        let request = GenerationRequest(
            model: .lyria3ProPreview, prompt: Self.prompt, instrumental: true, lyrics: nil, images: [file], seed: 1,
            maxSeconds: 180)
        #expect {
            try PromptSongWriter.onTestDictionary().write(request)
        } throws: { error in
            (error as? ReferenceImageUnusable)?.description.contains("broken.png") == true
        }
    }

    @Test("lyria-3-pro-preview songs last at most 3 minutes, even when the prompt asks for more")
    func lyriaLength() throws {
        let request = GenerationRequest(
            model: .lyria3ProPreview, prompt: "a 5 minute epic song", instrumental: true, lyrics: nil, images: [],
            seed: 3, maxSeconds: MusicModel.lyria3ProPreview.spec.maxSeconds)
        let score = try PromptSongWriter.onTestDictionary().write(request).score
        #expect(MusicModel.lyria3ProPreview.spec.maxSeconds == 180)
        #expect(score.brief.targetSeconds <= 180)
        #expect(score.durationSeconds <= 180 * 1.1, "\(score.durationSeconds) s")
    }

    @Test("the local engine reports image_influence with the generated song")
    func engineReportsInfluence() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("night.webp")
        try Data(WebPCodec.encodeLossless(Self.night)).write(to: file)
        let engine = LocalEngine(renderer: SongRenderer(soundFont: SongRendering.soundFont, workers: 1))
        let request = GenerationRequest(
            model: .lyria3ProPreview, prompt: "a song, 15 seconds", instrumental: true, lyrics: nil, images: [file],
            seed: 11, maxSeconds: 180)
        let song = try await engine.generate(request, progress: { _ in })
        let influence = try #require(song.imageInfluence)
        #expect(influence["mode"] == .string("minor"))
        #expect(influence["colour"] == .string("cool"))
        #expect(influence["images"] == .number(1))
        #expect(song.key.hasSuffix("minor"), "\(song.key)")
    }
}
