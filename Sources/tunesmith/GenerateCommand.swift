import ArgumentParser
import AudioEngine
import Composer
import Foundation
import LocalEngine
import NIOConcurrencyHelpers
import SongBrief
import TunesmithCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tunesmith generate "<prompt>"`: makes one song on this machine and writes it next to you.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Compose and render one song from a text prompt, offline.",
        discussion: """
            Example: tunesmith generate "a melancholic lo-fi hip hop beat with soft piano, 3 minutes" --seed 7
            The same prompt and seed always give the same song. Without --lyrics or --instrumental the engine writes
            the lyrics (and the title) from the prompt and sings them; the voice follows the prompt ("female vocal",
            "male singer") or the genre, and --voice overrides both.
            """)

    @Argument(help: "What the song should be: genre, mood, tempo, key, instruments, length.")
    var prompt: String

    @Option(help: "Seed for every musical decision (default: random, printed).")
    var seed: UInt64?

    @Option(name: .shortAndLong, help: "MP3 file to write (default: <title>.mp3 in the current directory).")
    var out: String?

    @Option(help: "Also write the mastered audio as a 16-bit WAV file.")
    var wav: String?

    @Option(help: "Also write the score as a Standard MIDI File.")
    var midi: String?

    @Option(help: "Also write the song sheet (form, chords, brief) as JSON.")
    var sheet: String?

    @Option(help: "SoundFont (.sf2) to render with (default: $TUNESMITH_SOUNDFONT or FluidR3_GM).")
    var soundfont: String?

    @Option(help: "Longest song to make, in seconds.")
    var maxSeconds: Int = 300

    @Flag(help: "No voice: an instrumental song.")
    var instrumental = false

    @Option(help: "Text file of lyrics to sing ([Verse], [Chorus] ... tags; [brackets] are not sung; (parentheses) are backing vocals).")
    var lyrics: String?

    @Option(help: "Who sings: female or male (default: the prompt's words, else the genre's usual singer).")
    var voice: String?

    private var chosenVoice: VoiceType? { voice.flatMap { VoiceType(rawValue: $0.lowercased()) } }

    @Option(help: "Also write the sung lines with their times as an LRC file.")
    var lrc: String?

    @Option(help: "Also write one WAV per part into this directory (vocals.wav, drums.wav, bass.wav ...) and the sung melody as vocals.mid.")
    var stems: String?

    func validate() throws {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("The prompt is empty: describe the song you want.")
        }
        guard (10...600).contains(maxSeconds) else { throw ValidationError("--max-seconds must be 10...600.") }
        if instrumental, lyrics != nil { throw ValidationError("--lyrics cannot be combined with --instrumental.") }
        if instrumental, voice != nil { throw ValidationError("--voice cannot be combined with --instrumental.") }
        if voice != nil, chosenVoice == nil { throw ValidationError("--voice must be female or male.") }
    }

    func run() async throws {
        let seed = self.seed ?? UInt64.random(in: 0...999_999)
        let soundFont = SoundFontLocation.resolve(explicitPath: soundfont)
        try soundFont.validate()
        let lyricsText = try lyrics.map { path -> String in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("Cannot read the lyrics file \(path) (it must be UTF-8 text).")
            }
            guard text.contains(where: { $0.isLetter || $0.isNumber }) else {
                throw ValidationError("The lyrics file \(path) has no words to sing.")
            }
            return text
        }
        let request = GenerationRequest(
            model: .default, prompt: prompt, instrumental: instrumental, lyrics: lyricsText, images: [], seed: seed,
            maxSeconds: maxSeconds)
        let writer = PromptSongWriter(
            dictionary: PronouncingDictionaryLoader(environment: ProcessInfo.processInfo.environment), voice: chosenVoice)
        let outputs = RenderOutputs(wav: wav != nil, midi: midi != nil, sheet: sheet != nil, stems: stems != nil)
        let renderer = SongRenderer(soundFont: soundFont)
        let bar = ProgressBar(interactive: isatty(STDERR_FILENO) == 1)
        let clock = ContinuousClock()
        let started = clock.now

        let (song, rendered) = try await RenderThread.run { isCancelled in
            bar.update(0, stage: "composing")
            let song = try writer.write(request)
            let rendered = try renderer.render(
                score: song.score, performance: song.performance, outputs: outputs,
                progress: { bar.update($0, stage: "rendering") }, isCancelled: isCancelled)
            return (song, rendered)
        }
        bar.finish()
        let elapsed = (clock.now - started).seconds

        let mp3Path = out ?? "\(Self.slug(song.score.title)).mp3"
        var written: [(String, Int)] = []
        func save(_ data: Data?, to path: String?) throws {
            guard let data, let path else { return }
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append((path, data.count))
        }
        try save(rendered.mp3, to: mp3Path)
        try save(rendered.wav, to: wav)
        try save(rendered.midi, to: midi)
        try save(rendered.sheet, to: sheet)
        try save(song.lrc(lengthSeconds: rendered.durationSeconds), to: lrc)
        if let stems {
            try FileManager.default.createDirectory(atPath: stems, withIntermediateDirectories: true)
            let directory = URL(fileURLWithPath: stems)
            for (name, data) in rendered.stems.sorted(by: { $0.key < $1.key }) {
                try save(data, to: directory.appendingPathComponent("\(name).wav").path)
            }
            try save(Self.vocalMIDI(song.score), to: directory.appendingPathComponent("vocals.mid").path)
        }
        print(Self.summary(song: song, rendered: rendered, seed: seed, elapsed: elapsed, files: written))
    }

    static func summary(song: ComposedSong, rendered: RenderedSong, seed: UInt64, elapsed: Double, files: [(String, Int)]) -> String {
        let score = song.score
        let length = rendered.durationSeconds
        let form = score.sections.map { "\($0.label) (\($0.bars))" }.joined(separator: ", ")
        // The vocal parts carry a choir program only for the MIDI file; the singing voice renders them.
        let singer = song.performance.vocal.map { "\($0.voice.rawValue) singing voice" }
        let instruments = score.parts.map { part in
            "\(part.name): \(part.role == .vocal ? singer ?? part.instrument.displayName : part.instrument.displayName)"
        }.joined(separator: ", ")
        let fileList = files.map { "\($0.0) (\(String(format: "%.1f", Double($0.1) / 1_048_576)) MB)" }.joined(separator: ", ")
        let report = rendered.mastering
        let voice = song.performance.vocal.map { "\($0.voice.rawValue) (\($0.lead.count) notes, \($0.lines.count) lines)" }
            ?? "none (instrumental)"
        let words = song.lyrics.map { "\n\n" + $0 } ?? ""
        return """
            Title        \(score.title)
            Voice        \(voice)
            Genre        \(score.brief.genre.displayName)    seed \(seed)
            Tempo        \(score.bpm) bpm    key \(score.key)    meter \(score.meter)
            Form         \(form)
            Length       \(Int(length) / 60):\(String(format: "%02d", Int(length) % 60)) (\(score.bars) bars)
            Instruments  \(instruments)
            Loudness     \(String(format: "%.1f", report.outputLUFS)) LUFS, true peak \(String(format: "%.1f", report.truePeakDBTP)) dBTP
            Files        \(fileList)
            Time         \(String(format: "%.1f", elapsed)) s (\(String(format: "%.0f", length / max(elapsed, 0.001)))x realtime)
            """ + words
    }

    /// The sung melody alone (lead and backing vocal parts) as a MIDI file; nil for an instrumental.
    static func vocalMIDI(_ score: Score) -> Data? {
        guard let vocal = score.vocal else { return nil }
        var melody = score
        melody.parts = vocal.parts
        return MIDIWriter.data(for: melody)
    }

    /// "Midnight Drive!" -> "midnight-drive".
    static func slug(_ title: String) -> String {
        let words = title.lowercased().split { !($0.isLetter || $0.isNumber) || !$0.isASCII }
        let slug = words.joined(separator: "-")
        return slug.isEmpty ? "song" : String(slug.prefix(60))
    }
}

/// Progress on stderr: a redrawn bar on a terminal, a line per 10 % otherwise (logs, pipes).
final class ProgressBar: Sendable {
    private let interactive: Bool
    /// The last percentage shown; its lock also keeps lines from two threads apart.
    private let lastShown = NIOLockedValueBox(-1)

    init(interactive: Bool) { self.interactive = interactive }

    func update(_ fraction: Double, stage: String) {
        let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        lastShown.withLockedValue { lastShown in
            if interactive {
                guard percent != lastShown else { return }
                let width = 30, filled = percent * width / 100
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                FileHandle.standardError.write(Data("\r[\(bar)] \(String(format: "%3d", percent))% \(stage)   ".utf8))
            } else {
                guard percent / 10 != lastShown / 10 || lastShown < 0 else { return }
                FileHandle.standardError.write(Data("\(stage) \(percent)%\n".utf8))
            }
            lastShown = percent
        }
    }

    func finish() {
        if interactive { lastShown.withLockedValue { _ in FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

