import Composer
import Foundation

/// Writes the sung lines as an LRC file (the karaoke lyric format players read): `[ti:]` and `[length:]`
/// headers, then `[mm:ss.xx]text` per line at the time its first syllable is sung, with an empty timed line
/// where a line ends and the next does not follow at once, so players clear the display during breaks.
public enum LRCWriter {
    public static func text(title: String, lengthSeconds: Double, lines: [SungLine]) -> String {
        var output = "[ti:\(clean(title))]\n[length:\(minutesSeconds(lengthSeconds))]\n[re:tunesmith]\n"
        let sorted = lines.sorted { $0.start < $1.start }
        for (index, line) in sorted.enumerated() {
            output += "[\(timestamp(line.start))]\(clean(line.text))\n"
            let next = index + 1 < sorted.count ? sorted[index + 1].start : nil
            // A pause of more than two seconds before the next line (or the end): blank the display.
            if next.map({ $0 - line.end > 2 }) ?? true {
                output += "[\(timestamp(line.end))]\n"
            }
        }
        return output
    }

    public static func data(title: String, lengthSeconds: Double, lines: [SungLine]) -> Data {
        Data(text(title: title, lengthSeconds: lengthSeconds, lines: lines).utf8)
    }

    /// `[mm:ss.xx]`, hundredths rounded down so a line never shows after it is sung.
    static func timestamp(_ seconds: Double) -> String {
        let hundredths = max(Int((seconds * 100).rounded(.down)), 0)
        let minutes = hundredths / 6000, rest = hundredths % 6000
        return "\(twoDigits(minutes)):\(twoDigits(rest / 100)).\(twoDigits(rest % 100))"
    }

    static func minutesSeconds(_ seconds: Double) -> String {
        let whole = max(Int(seconds.rounded()), 0)
        return "\(twoDigits(whole / 60)):\(twoDigits(whole % 60))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// One line of text: no line breaks, no brackets that would read as a tag.
    private static func clean(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : ($0 == "[" ? "(" : ($0 == "]" ? ")" : $0)) })
    }
}
