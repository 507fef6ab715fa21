import Foundation

/// User lyrics as the providers need them: sections from our `[Verse]` / `[Chorus 2]` / `[Pre-Chorus]` tags,
/// with the sung lines of each. As everywhere in Tunesmith (README "Vocals"), other `[bracketed]` text is never
/// sung, so it is dropped here: MiniMax would sing text inside unknown brackets, and an ElevenLabs plan line is
/// sung as written.
struct LyricSections: Sendable, Hashable {
    struct Section: Sendable, Hashable {
        var kind: Kind
        /// The tag as the user wrote it (`Verse 2`); `Verse` for lines before any tag.
        var label: String
        /// Sung lines, in order; an empty string marks a blank line (a phrase break) inside the section.
        var lines: [String]

        var sungLines: [String] { lines.filter { !$0.isEmpty } }
    }

    /// The section kinds both MiniMax's tag vocabulary and our lyrics know.
    enum Kind: String, Sendable, Hashable, CaseIterable {
        case intro = "Intro", verse = "Verse", preChorus = "Pre Chorus", chorus = "Chorus"
        case postChorus = "Post Chorus", bridge = "Bridge", outro = "Outro", hook = "Hook"
        case interlude = "Interlude", breakdown = "Break", instrumental = "Inst", solo = "Solo"
        case buildUp = "Build Up", transition = "Transition"

        /// Reads a tag's text: case, numbers and `-`/`_` separators do not matter (`pre-chorus 2` is Pre Chorus).
        init?(tag: String) {
            let words = tag.lowercased().split(whereSeparator: { !$0.isLetter }).joined(separator: " ")
            switch words {
            case "intro": self = .intro
            case "verse": self = .verse
            case "pre chorus", "prechorus": self = .preChorus
            case "chorus", "refrain": self = .chorus
            case "post chorus", "postchorus": self = .postChorus
            case "bridge": self = .bridge
            case "outro", "ending", "coda": self = .outro
            case "hook": self = .hook
            case "interlude": self = .interlude
            case "break", "breakdown": self = .breakdown
            case "inst", "instrumental": self = .instrumental
            case "solo", "guitar solo", "instrumental solo": self = .solo
            case "build up", "buildup": self = .buildUp
            case "transition": self = .transition
            default: return nil
            }
        }
    }

    var sections: [Section]

    init(_ lyrics: String) {
        var sections: [Section] = []
        var current: Section?
        for rawLine in lyrics.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("["), line.hasSuffix("]"), line.count >= 2 {
                let tag = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if let kind = Kind(tag: tag) {
                    if let finished = current { sections.append(finished) }
                    current = Section(kind: kind, label: tag, lines: [])
                }
                continue  // a tag, or an annotation that is never sung
            }
            let sung = Self.withoutBracketedText(line)
            if sung.isEmpty && !line.isEmpty { continue }  // the whole line was an annotation
            if current == nil { current = Section(kind: .verse, label: "Verse", lines: []) }
            current?.lines.append(sung)
        }
        if let finished = current { sections.append(finished) }
        self.sections = sections.map { section in
            var trimmed = section
            while trimmed.lines.first == "" { trimmed.lines.removeFirst() }
            while trimmed.lines.last == "" { trimmed.lines.removeLast() }
            return trimmed
        }
    }

    /// The lyrics with MiniMax's clean tags (`[Pre Chorus]`, no numbers) and only sung text.
    var miniMaxLyrics: String {
        sections.map { section in
            (["[\(section.kind.rawValue)]"] + section.lines).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// Removes `[...]` spans inside a line and tidies the spaces they leave.
    static func withoutBracketedText(_ line: String) -> String {
        var result = ""
        var depth = 0
        for character in line {
            if character == "[" {
                depth += 1
            } else if character == "]", depth > 0 {
                depth -= 1
            } else if depth == 0 {
                result.append(character)
            }
        }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
