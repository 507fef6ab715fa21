import Composer
import Foundation
import MusicTheory
import SongBrief

/// A lead-sheet summary of the song as JSON: what was asked for, the form with times, the chords bar by bar.
/// Meant for people (and front ends) following along with the MP3.
public struct SongSheet: Sendable, Hashable, Codable {
    public struct SectionEntry: Sendable, Hashable, Codable {
        public var label: String
        public var kind: SectionKind
        /// First bar, 1-based as musicians count.
        public var startBar: Int
        public var bars: Int
        public var startSeconds: Double
        public var endSeconds: Double
    }

    public struct BarEntry: Sendable, Hashable, Codable {
        /// 1-based bar number.
        public var bar: Int
        public var startSeconds: Double
        /// Chord symbols sounding in the bar, in order ("Am7", "D9").
        public var chords: [String]
    }

    public struct PartEntry: Sendable, Hashable, Codable {
        public var name: String
        public var instrument: String
        public var role: PartRole
    }

    public var title: String
    public var brief: Brief
    public var genre: String
    public var bpm: Int
    public var key: String
    public var meter: String
    public var lengthSeconds: Double
    public var bars: Int
    public var sections: [SectionEntry]
    public var chords: [BarEntry]
    public var parts: [PartEntry]
    /// The sung lines with their times (from the score's exact time; the performance may differ by a few
    /// milliseconds of drift and swing); nil for instrumentals.
    public var lyrics: [SungLine]?

    /// `lengthSeconds` is the rendered length (with the final ring-out), which can exceed the score's last bar.
    public init(score: Score, lengthSeconds: Double) {
        title = score.title
        brief = score.brief
        genre = score.brief.genre.displayName
        bpm = score.bpm
        key = score.key.description
        meter = score.meter.description
        self.lengthSeconds = lengthSeconds
        bars = score.bars
        sections = score.sections.map { section in
            SectionEntry(
                label: section.label, kind: section.kind, startBar: section.startBar + 1, bars: section.bars,
                startSeconds: score.seconds(at: score.start(ofBar: section.startBar)),
                endSeconds: score.seconds(at: score.start(ofBar: section.startBar + section.bars)))
        }
        chords = (0..<score.bars).map { bar in
            let start = score.start(ofBar: bar), end = score.start(ofBar: bar + 1)
            let sounding = score.chords.filter { $0.start < end && start < $0.start + $0.duration }
            return BarEntry(bar: bar + 1, startSeconds: score.seconds(at: start), chords: sounding.map(\.chord.description))
        }
        parts = score.parts.map { PartEntry(name: $0.name, instrument: $0.instrument.displayName, role: $0.role) }
        lyrics = score.vocal.map { vocal in
            vocal.lines.map {
                SungLine(text: $0.text, sectionLabel: $0.sectionLabel, start: score.seconds(at: $0.start),
                         end: score.seconds(at: $0.end))
            }
        }
    }

    /// Pretty-printed JSON with stable key order (same song, same bytes).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
