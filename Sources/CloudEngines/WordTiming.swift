import MediaFormats

/// A sung word and when, as a provider reports it.
struct WordTiming: Sendable, Hashable {
    var word: String
    var start: Double
    var end: Double

    /// Groups words into the lyric lines they sing (the plan's lines, matched word by word), or, when the words
    /// do not match those lines, into lines broken at pauses.
    static func lines(words: [WordTiming], lyricLines: [String]) -> [LRC.Line] {
        guard !words.isEmpty else { return [] }
        if let matched = matching(words: words, lyricLines: lyricLines) { return matched }
        return byPauses(words)
    }

    /// A pause at least this long starts a new line, and no line runs longer than `maxWordsPerLine`.
    static let linePause = 0.7
    static let maxWordsPerLine = 12

    private static func matching(words: [WordTiming], lyricLines: [String]) -> [LRC.Line]? {
        let counts = lyricLines.map { $0.split(whereSeparator: \.isWhitespace).count }
        guard !lyricLines.isEmpty, counts.reduce(0, +) == words.count else { return nil }
        var lines: [LRC.Line] = []
        var index = 0
        for (text, count) in zip(lyricLines, counts) where count > 0 {
            let sung = words[index..<(index + count)]
            index += count
            guard let first = sung.first, let last = sung.last else { continue }
            lines.append(LRC.Line(start: first.start, end: last.end, text: text))
        }
        return lines
    }

    private static func byPauses(_ words: [WordTiming]) -> [LRC.Line] {
        var lines: [LRC.Line] = []
        var current: [WordTiming] = []
        func close() {
            guard let first = current.first, let last = current.last else { return }
            lines.append(LRC.Line(start: first.start, end: last.end, text: current.map(\.word).joined(separator: " ")))
            current = []
        }
        for word in words {
            if let last = current.last, word.start - last.end >= linePause || current.count >= maxWordsPerLine { close() }
            current.append(word)
        }
        close()
        return lines
    }
}
