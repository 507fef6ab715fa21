import Composer
import Foundation
import MediaFormats

/// Writes the sung lines as an LRC file (the karaoke lyric format players read); the format itself is
/// `MediaFormats.LRC`, shared with the cloud engines.
public enum LRCWriter {
    public static func text(title: String, lengthSeconds: Double, lines: [SungLine]) -> String {
        LRC.text(
            title: title, lengthSeconds: lengthSeconds,
            lines: lines.map { LRC.Line(start: $0.start, end: $0.end, text: $0.text) })
    }

    public static func data(title: String, lengthSeconds: Double, lines: [SungLine]) -> Data {
        Data(text(title: title, lengthSeconds: lengthSeconds, lines: lines).utf8)
    }
}
