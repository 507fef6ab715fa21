import AudioAnalysis
import AudioEngine
import Composer
import Foundation
import SongBrief
import Testing

/// The whole pipeline as a user runs it (prompt -> brief -> score -> performance -> mastered audio + MP3), with
/// the small SoundFont so the end-to-end tests stay fast.
enum SongRendering {
    static let soundFontVariable = "TUNESMITH_TEST_SOUNDFONT"
    static let defaultSoundFont = "/usr/share/sounds/sf2/TimGM6mb.sf2"

    /// When set, every rendered song is also written there as WAV, to listen to or to run `audio-report` on.
    static let wavDirectoryVariable = "TUNESMITH_SONG_WAV_DIR"

    static var soundFont: SoundFontLocation {
        let path = ProcessInfo.processInfo.environment[soundFontVariable].flatMap { $0.isEmpty ? nil : $0 }
        return SoundFontLocation(path: path ?? defaultSoundFont)
    }

    struct Song {
        var brief: Brief
        var score: Score
        var performance: Performance
        var rendered: RenderedSong
        /// The mastered audio, interleaved for the analyser.
        var audio: AudioAnalysis.AudioBuffer
    }

    /// Renders one prompt. Test cases run in parallel, so each render uses one worker thread.
    static func render(_ prompt: String, seed: UInt64) throws -> Song {
        let brief = PromptParser().brief(for: prompt, seed: seed)
        let score = SongComposer().compose(brief)
        let performance = Performer().perform(score)
        let renderer = SongRenderer(soundFont: soundFont, workers: 1)
        let rendered = try renderer.render(
            score: score, performance: performance, outputs: RenderOutputs(wav: false, midi: false, sheet: false))
        if let directory = ProcessInfo.processInfo.environment[wavDirectoryVariable], !directory.isEmpty {
            try saveForListening(rendered, prompt: prompt, seed: seed, directory: directory)
        }
        return Song(
            brief: brief, score: score, performance: performance, rendered: rendered,
            audio: interleaved(rendered.mastered))
    }

    private static func saveForListening(_ song: RenderedSong, prompt: String, seed: UInt64, directory: String) throws {
        let slug = prompt.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(60)
        let url = URL(fileURLWithPath: directory).appendingPathComponent("\(String(slug))-\(seed).wav")
        try WAVWriter.data(for: song.mastered).write(to: url)
    }

    static func interleaved(_ stereo: StereoBuffer) -> AudioAnalysis.AudioBuffer {
        var samples = [Float](repeating: 0, count: stereo.frames * 2)
        for frame in 0..<stereo.frames {
            samples[2 * frame] = stereo.left[frame]
            samples[2 * frame + 1] = stereo.right[frame]
        }
        return AudioAnalysis.AudioBuffer(samples: samples, channels: 2, sampleRate: Double(stereo.sampleRate))
    }
}

/// One prompt and what the user stated in it (nil: not stated), for the end-to-end checks.
struct SongPrompt: Sendable, CustomTestStringConvertible {
    var prompt: String
    var statedBPM: Int?
    /// Tonic pitch class (0 = C) and tonality of a stated key.
    var statedKey: (tonic: Int, isMinor: Bool)?
    var statedSeconds: Double?

    init(_ prompt: String, bpm: Int? = nil, key: (Int, Bool)? = nil, seconds: Double? = nil) {
        self.prompt = prompt
        statedBPM = bpm
        statedKey = key.map { (tonic: $0.0, isMinor: $0.1) }
        statedSeconds = seconds
    }

    var testDescription: String { prompt }
}
