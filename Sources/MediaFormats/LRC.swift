/// The LRC lyric format players read for karaoke display: `[ti:]` and `[length:]` headers, then `[mm:ss.xx]text`
/// per line at the time its first word is sung, with an empty timed line where a line ends and the next does not
/// follow at once, so players clear the display during breaks. Written by the local engine (from its sung
/// melody) and by the cloud engines (from a provider's word timestamps), so every track's LRC reads the same.
public enum LRC {
    /// One sung line and when it is sung, in seconds from the start of the song.
    public struct Line: Sendable, Hashable {
        public var start: Double
        public var end: Double
        public var text: String

        public init(start: Double, end: Double, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }
    }

    /// A pause longer than this before the next line (or the end) blanks the display.
    static let blankAfterSeconds = 2.0

    public static func text(title: String, lengthSeconds: Double, lines: [Line]) -> String {
        var output = "[ti:\(clean(title))]\n[length:\(minutesSeconds(lengthSeconds))]\n[re:tunesmith]\n"
        let sorted = lines.sorted { $0.start < $1.start }
        for (index, line) in sorted.enumerated() {
            output += "[\(timestamp(line.start))]\(clean(line.text))\n"
            let next = index + 1 < sorted.count ? sorted[index + 1].start : nil
            if next.map({ $0 - line.end > blankAfterSeconds }) ?? true {
                output += "[\(timestamp(line.end))]\n"
            }
        }
        return output
    }

    /// `[mm:ss.xx]`, hundredths rounded down so a line never shows after it is sung.
    public static func timestamp(_ seconds: Double) -> String {
        let hundredths = max(Int((seconds * 100).rounded(.down)), 0)
        let minutes = hundredths / 6000, rest = hundredths % 6000
        return "\(twoDigits(minutes)):\(twoDigits(rest / 100)).\(twoDigits(rest % 100))"
    }

    public static func minutesSeconds(_ seconds: Double) -> String {
        let whole = max(Int(seconds.rounded()), 0)
        return "\(twoDigits(whole / 60)):\(twoDigits(whole % 60))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// One line of text: no line breaks, no brackets that would read as a tag.
    private static func clean(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : ($0 == "[" ? "(" : ($0 == "]" ? ")" : $0)) })
    }
}
