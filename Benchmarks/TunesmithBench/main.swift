import AudioEngine
import Composer
import Foundation
import SongBrief

// The benchmark behind `make bench`: five different 3-minute songs, each timed end to end (prompt to MP3) and
// compared with the command-line floor on the same MIDI file, in the same run: `fluidsynth -F` to a WAV, then
// `lame -V2` (FluidSynth and LAME alone, no composing, mixing or mastering).

struct Row {
    var label: String
    var seconds: Double
    var songSeconds: Double
    var cliSynth: Double?
    var cliLame: Double?
    var mastering: MasteringReport
    var timings: RenderTimings
    var composing: Double
}

let prompts = [
    "an upbeat pop song with piano and acoustic guitar, 3 minutes",
    "a dark synthwave drive at night with arpeggios, 3 minutes",
    "a mellow jazz trio with brushes, upright bass and piano, 3 minutes",
    "an energetic rock anthem with distorted guitars, 3 minutes",
    "a chill lo-fi hip hop beat with rhodes and vinyl mood, 3 minutes",
]

let soundFont = SoundFontLocation.resolve()
do { try soundFont.validate() } catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-bench-\(getpid())")
try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: workDirectory) }

let clock = ContinuousClock()
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Runs a command line tool and returns its wall-clock time, or nil if it is missing or fails.
func timeTool(_ path: String, _ arguments: [String]) -> Double? {
    guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = clock.now
    do { try process.run() } catch { return nil }
    process.waitUntilExit()
    return process.terminationStatus == 0 ? seconds(clock.now - start) : nil
}

let renderer = SongRenderer(soundFont: soundFont)
print("Tunesmith benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, SoundFont \(soundFont.path)")
print("song                               length   end-to-end   x realtime   (compose/render+mix/master/encode)   CLI fluidsynth+lame   LUFS    dBTP")
var rows: [Row] = []
for (index, prompt) in prompts.enumerated() {
    let start = clock.now
    let brief = PromptParser().brief(for: prompt, seed: UInt64(index + 1), maxSeconds: 300)
    let score = SongComposer().compose(brief)
    let performance = Performer().perform(score)
    let composing = seconds(clock.now - start)
    let rendered = try renderer.render(score: score, performance: performance, outputs: RenderOutputs(wav: false, midi: true, sheet: false))
    let total = seconds(clock.now - start)

    let midiURL = workDirectory.appendingPathComponent("song\(index).mid")
    let wavURL = workDirectory.appendingPathComponent("song\(index).wav")
    try rendered.midi?.write(to: midiURL)
    let cliSynth = timeTool("/usr/bin/fluidsynth", ["-ni", "-F", wavURL.path, "-r", "44100", soundFont.path, midiURL.path])
    let cliLame = cliSynth == nil ? nil : timeTool("/usr/bin/lame", ["--quiet", "-V2", wavURL.path, workDirectory.appendingPathComponent("song\(index).mp3").path])
    let row = Row(
        label: "\(brief.genre.displayName), \(score.bpm) bpm", seconds: total, songSeconds: rendered.durationSeconds,
        cliSynth: cliSynth, cliLame: cliLame, mastering: rendered.mastering, timings: rendered.timings, composing: composing)
    rows.append(row)
    let t = row.timings
    let stages = String(format: "%.2f/%.2f/%.2f/%.2f", composing, t.synthesisAndMix, t.mastering, t.encoding)
    let cli = cliSynth.flatMap { s in cliLame.map { l in String(format: "%5.2f s (%.2f + %.2f)", s + l, s, l) } } ?? "n/a (install fluidsynth, lame)"
    print(
        row.label.padding(toLength: 34, withPad: " ", startingAt: 0),
        String(format: "%6.1f s   %7.2f s   %8.1fx", row.songSeconds, total, row.songSeconds / total),
        "  ", stages.padding(toLength: 34, withPad: " ", startingAt: 0),
        cli.padding(toLength: 22, withPad: " ", startingAt: 0),
        String(format: "%6.1f  %6.1f", row.mastering.outputLUFS, row.mastering.truePeakDBTP))
}

let totalSeconds = rows.reduce(0) { $0 + $1.seconds }
let totalAudio = rows.reduce(0) { $0 + $1.songSeconds }
let cliRows = rows.compactMap { row in row.cliSynth.flatMap { s in row.cliLame.map { s + $0 } } }
print(String(format: "total: %.1f s of music in %.2f s end to end = %.1fx realtime", totalAudio, totalSeconds, totalAudio / totalSeconds))
if cliRows.count == rows.count {
    let cliTotal = cliRows.reduce(0, +)
    print(String(format: "CLI floor (fluidsynth -F + lame -V2 on the same MIDI): %.2f s = %.1fx realtime; Tunesmith is %.2fx the floor's speed",
                 cliTotal, totalAudio / cliTotal, cliTotal / totalSeconds))
}
