import AudioEngine
import Composer
import Foundation
import MusicTheory
import Testing

/// The form's dynamics heard on the mastered audio, measured the way reviewers measure (`audio-report --sheet`):
/// the RMS loudness of each section between the song sheet's section times. Mastering normalises the song as
/// a whole and limits its peaks; the sections must still differ after it.
@Suite("Section dynamics on the mastered audio")
struct DynamicsAudioTests {
    /// RMS level (dB) of the mono mix over each section, in order.
    static func sectionLevels(of song: SongRendering.Song) -> [(section: Section, decibels: Double)] {
        let buffer = song.rendered.mastered
        let rate = Double(buffer.sampleRate)
        return song.score.sections.compactMap { section in
            let start = Int(song.score.seconds(at: song.score.start(ofBar: section.startBar)) * rate)
            let end = min(Int(song.score.seconds(at: song.score.start(ofBar: section.startBar + section.bars)) * rate),
                          buffer.frames)
            guard end - start >= Int(rate) else { return nil }
            var sum = 0.0
            for frame in start..<end {
                let mono = Double(buffer.left[frame] + buffer.right[frame]) / 2
                sum += mono * mono
            }
            return (section, 10 * log10(sum / Double(end - start) + 1e-20))
        }
    }

    /// A short song whose form still has every contrast: a fast tempo fits verse, pre-chorus, chorus, bridge
    /// and a doubled last chorus into a minute and a half.
    @Test("choruses sit at least 2.5 dB above verses and the bridge 3 dB below the chorus")
    func choruslouderThanVerseAndBridgeDrops() throws {
        let song = try SongRendering.render("upbeat drum and bass at 174 bpm, 100 seconds", seed: 11)
        let levels = Self.sectionLevels(of: song)
        func mean(_ kinds: Set<SectionKind>) -> Double? {
            let chosen = levels.filter { kinds.contains($0.section.kind) }.map(\.decibels)
            return chosen.isEmpty ? nil : chosen.reduce(0, +) / Double(chosen.count)
        }
        let figures = levels.map { "\($0.section.label) \(String(format: "%.1f", $0.decibels))" }.joined(separator: ", ")
        print("DynamicsAudio \(figures)")
        let chorus = try #require(mean([.chorus]), "\(figures)")
        let verse = try #require(mean([.verse]), "\(figures)")
        let drop = try #require(levels.filter { [.bridge, .breakdown].contains($0.section.kind) }.map(\.decibels).min(),
                                "\(figures)")
        #expect(chorus - verse >= 2.5, "\(figures)")
        #expect(chorus - drop >= 3, "\(figures)")
        let intro = try #require(levels.first { $0.section.kind == .intro }?.decibels)
        #expect(intro < chorus - 3, "\(figures)")
    }
}
