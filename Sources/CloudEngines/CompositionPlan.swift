import Foundation

/// An ElevenLabs composition plan (`composition_plan`) carrying the user's lyrics: one plan section per lyric
/// section, its lines sung as written, within the plan's documented limits (section 3-120 s, at most 30 lines
/// of at most 200 characters, name 1-100 characters), and the whole no longer than the model allows.
struct CompositionPlan: Encodable, Sendable, Hashable {
    struct Section: Encodable, Sendable, Hashable {
        var section_name: String
        var positive_local_styles: [String] = []
        var negative_local_styles: [String] = []
        var duration_ms: Int
        var lines: [String]
    }

    var positive_global_styles: [String]
    var negative_global_styles: [String] = []
    var sections: [Section]

    static let minSectionMilliseconds = 3_000
    static let maxSectionMilliseconds = 120_000
    static let maxLines = 30
    static let maxLineCharacters = 200
    static let maxNameCharacters = 100
    static let maxStyles = 10
    static let maxStyleCharacters = 100
    /// How long a sung line takes, and the room around a section's lines (an entry, a breath, a fill).
    static let millisecondsPerLine = 4_000
    static let sectionPaddingMilliseconds = 2_000
    /// A section with nothing to sing (`[Intro]`, `[Solo]`).
    static let instrumentalSectionMilliseconds = 8_000

    init(lyrics: LyricSections, prompt: String, maxSeconds: Int) {
        positive_global_styles = Self.styles(from: prompt)
        var sections: [Section] = []
        for section in lyrics.sections {
            let lines = section.sungLines.flatMap(Self.split(line:))
            let name = String(section.label.prefix(Self.maxNameCharacters))
            guard !lines.isEmpty else {
                sections.append(Section(section_name: name, duration_ms: Self.instrumentalSectionMilliseconds, lines: []))
                continue
            }
            let chunks = stride(from: 0, to: lines.count, by: Self.maxLines).map {
                Array(lines[$0..<min($0 + Self.maxLines, lines.count)])
            }
            for (index, chunk) in chunks.enumerated() {
                let duration = chunk.count * Self.millisecondsPerLine + Self.sectionPaddingMilliseconds
                let partName = index == 0 ? name : String("\(name) (part \(index + 1))".prefix(Self.maxNameCharacters))
                sections.append(
                    Section(
                        section_name: partName,
                        duration_ms: min(max(duration, Self.minSectionMilliseconds), Self.maxSectionMilliseconds),
                        lines: chunk))
            }
        }
        self.sections = Self.fitted(sections, totalMilliseconds: maxSeconds * 1000)
    }

    /// Shrinks every section by the same factor when the plan is longer than the model allows (never below the
    /// shortest section a plan may have).
    static func fitted(_ sections: [Section], totalMilliseconds: Int) -> [Section] {
        let total = sections.reduce(0) { $0 + $1.duration_ms }
        guard total > totalMilliseconds, total > 0 else { return sections }
        let factor = Double(totalMilliseconds) / Double(total)
        return sections.map { section in
            var scaled = section
            scaled.duration_ms = max(minSectionMilliseconds, Int((Double(section.duration_ms) * factor).rounded(.down)))
            return scaled
        }
    }

    /// Lines longer than a plan line may be are cut at the last space before the limit.
    static func split(line: String) -> [String] {
        var rest = Substring(line)
        var pieces: [String] = []
        while rest.count > maxLineCharacters {
            let window = rest.prefix(maxLineCharacters)
            let cut = window.lastIndex(of: " ") ?? window.endIndex
            pieces.append(String(rest[rest.startIndex..<cut]).trimmingCharacters(in: .whitespaces))
            rest = rest[cut...].drop { $0 == " " }
        }
        if !rest.isEmpty { pieces.append(String(rest)) }
        return pieces.filter { !$0.isEmpty }
    }

    /// The prompt as global styles: its phrases (split at commas, semicolons and sentence ends), each short.
    static func styles(from prompt: String) -> [String] {
        let phrases = prompt.split(whereSeparator: { ",;.!?\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .map { String($0.prefix(maxStyleCharacters)) }
        return Array(phrases.prefix(maxStyles))
    }
}
