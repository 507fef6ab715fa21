import SeededRandom
import SongBrief
/// Names the song from the prompt's strongest image words ("a synthwave track about driving through a neon
/// city at night" -> "Neon City Drive"). Only words of the title vocabulary below (`imagery`) make a title:
/// instrument, production and tempo words ("claps", "808", "bpm"), and words the maker does not know (codes,
/// typos, names), never do. One image word is paired with a mood word; without any, the title comes from the
/// mood and the seed.
struct TitleMaker {
    let brief: Brief

    func title() -> String {
        let words = brief.prompt.lowercased()
            .split { !$0.isLetter && $0 != "'" }
            .map { Self.normalised(String($0)) }
        var images: [String] = []
        for word in words where Self.imagery[word] != nil && !MusicTermWords.contains(word) && !images.contains(word) {
            images.append(word)
        }
        let chosen = images.prefix(3).sorted { (Self.imagery[$0] ?? 1) < (Self.imagery[$1] ?? 1) }
        var random = SeededGenerator(seed: brief.seed, stream: "title")
        switch chosen.count {
        case 0:
            return "\(moodAdjective(&random)) \(random.element(Self.fallbackNouns) ?? "Light")"
        case 1:
            let word = Self.capitalised(chosen[0])
            // A colour word needs a noun after it; a noun or an action takes a mood word before it.
            return Self.imagery[chosen[0]] == 0
                ? "\(word) \(random.element(Self.fallbackNouns) ?? "Light")" : "\(moodAdjective(&random)) \(word)"
        default:
            return chosen.map(Self.capitalised).joined(separator: " ")
        }
    }

    /// "driving" -> "drive", "dreams" -> "dream": titles read better with the plain word.
    private static func normalised(_ word: String) -> String {
        let stems = ["driving": "drive", "dreams": "dream", "dreaming": "dream", "stars": "star", "lights": "light",
                     "nights": "night", "waves": "wave", "rains": "rain", "raining": "rain", "streets": "street",
                     "cities": "city", "hearts": "heart", "memories": "memory", "flying": "flight", "skies": "sky",
                     "burning": "fire", "dancing": "dance", "running": "run", "falling": "fall", "shining": "shine"]
        return stems[word] ?? word
    }

    private static func capitalised(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    private func moodAdjective(_ random: inout SeededGenerator) -> String {
        let adjectives: [String] = switch brief.moods.first {
        case .sad, .melancholic, .nostalgic: ["Faded", "Distant", "Quiet", "Grey"]
        case .dark, .tense, .mysterious, .angry, .aggressive: ["Hollow", "Midnight", "Iron", "Shadow"]
        case .calm, .chill, .peaceful, .relaxed, .dreamy: ["Slow", "Soft", "Drifting", "Velvet"]
        case .epic, .uplifting, .hopeful: ["Rising", "Golden", "Endless", "Bright"]
        default: ["Electric", "Golden", "Summer", "Wild"]
        }
        return random.element(adjectives) ?? "Golden"
    }

    private static let fallbackNouns = [
        "Light", "Road", "Tide", "Hours", "Sky", "Echo", "Garden", "Signal", "River", "Horizon",
    ]

    /// Image words and where they sit in a title: colour words first, then places and times, then actions
    /// ("Neon" "Night" "Drive").
    private static let imagery: [String: Int] = {
        var ranks: [String: Int] = [:]
        for word in ["neon", "golden", "gold", "silver", "midnight", "summer", "winter", "autumn", "spring", "electric",
                     "velvet", "crystal", "diamond", "lonely", "broken", "wild", "endless", "silent"] { ranks[word] = 0 }
        for word in ["night", "city", "rain", "ocean", "sea", "sun", "sunset", "sunrise", "heart", "love", "star",
                     "moon", "sky", "fire", "light", "shadow", "road", "highway", "street", "memory", "river", "storm",
                     "snow", "forest", "mountain", "desert", "wave", "beach", "morning", "dawn", "dusk", "space",
                     "galaxy", "home", "ghost", "thunder", "cloud", "garden", "island", "coffee", "window", "train",
                     "freedom", "battle", "hero", "kingdom", "dragon", "rebel", "paradise", "tears", "smile", "kiss",
                     "lake", "wind", "planet", "horizon", "club"] { ranks[word] = 1 }
        for word in ["drive", "dream", "flight", "escape", "journey", "dance", "party", "fall", "shine", "run"] {
            ranks[word] = 2
        }
        return ranks
    }()
}
