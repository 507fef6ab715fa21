import SeededRandom
import SongBrief
/// Names the song from the prompt's strongest theme words ("a synthwave track about driving through a neon
/// city at night" -> "Neon Night Drive"). Image words (night, neon, ocean, heart ...) outrank other words;
/// genre, instrument and filler words never make it into a title. Without theme words the title comes from
/// the mood and the seed.
struct TitleMaker {
    let brief: Brief

    func title() -> String {
        let words = brief.prompt.lowercased()
            .split { !$0.isLetter && $0 != "'" }
            .map { Self.normalised(String($0)) }
        var themes: [String] = []
        var others: [String] = []
        for word in words where word.count > 2 && !Self.ignored.contains(word) {
            if Self.imagery[word] != nil {
                if !themes.contains(word) { themes.append(word) }
            } else if !others.contains(word) {
                others.append(word)
            }
        }
        var chosen = themes.prefix(3).sorted { (Self.imagery[$0] ?? 1) < (Self.imagery[$1] ?? 1) }
        if chosen.count < 2 { chosen += others.prefix(2 - chosen.count) }
        if chosen.isEmpty { return fallback() }
        return chosen.map(Self.capitalised).joined(separator: " ")
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

    private func fallback() -> String {
        var random = SeededGenerator(seed: brief.seed, stream: "title")
        let mood = brief.moods.first
        let adjectives: [String] = switch mood {
        case .sad, .melancholic, .nostalgic: ["Faded", "Distant", "Quiet", "Grey"]
        case .dark, .tense, .mysterious, .angry, .aggressive: ["Hollow", "Midnight", "Iron", "Shadow"]
        case .calm, .chill, .peaceful, .relaxed, .dreamy: ["Slow", "Soft", "Drifting", "Velvet"]
        case .epic, .uplifting, .hopeful: ["Rising", "Golden", "Endless", "Bright"]
        default: ["Electric", "Golden", "Summer", "Wild"]
        }
        let nouns = ["Light", "Road", "Tide", "Hours", "Sky", "Echo", "Garden", "Signal", "River", "Horizon"]
        let adjective = random.element(adjectives) ?? "Golden"
        let noun = random.element(nouns) ?? "Light"
        return "\(adjective) \(noun)"
    }

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

    private static let ignored: Set<String> = {
        var words: Set<String> = [
            "the", "and", "with", "for", "about", "track", "song", "tune", "beat", "beats", "music", "instrumental",
            "vocal", "vocals", "female", "male", "voice", "singer", "bpm", "tempo", "key", "minor", "major", "sharp",
            "flat", "time", "signature", "minute", "minutes", "second", "seconds", "long", "short", "make", "create",
            "write", "give", "want", "like", "some", "that", "this", "very", "really", "feel", "feeling", "vibe",
            "vibes", "style", "through", "into", "from", "over", "under", "lots", "heavy",
            "fast", "slow", "mid", "groove", "featuring", "feat", "plus", "also", "just", "one", "two",
            "three", "four", "lyrics", "verse", "chorus", "bridge", "intro", "outro", "hook", "drop", "solo",
            "while", "when", "where", "your", "our", "their", "his", "her", "its", "are", "was", "were", "being",
            "lofi", "hop", "hip", "drum", "bass", "drums", "synth", "synths", "piano", "guitar", "guitars", "strings",
            "song's", "around", "without", "not", "but", "all", "any", "more", "less", "most", "sound", "sounds",
            "sounding", "inspired", "kind", "sort", "type", "genre", "mood",
        ]
        for genre in Genre.allCases {
            words.insert(genre.rawValue.lowercased())
            for part in genre.displayName.lowercased().split(whereSeparator: { !$0.isLetter }) { words.insert(String(part)) }
        }
        for instrument in Instrument.allCases {
            for part in instrument.displayName.lowercased().split(separator: " ") { words.insert(String(part)) }
        }
        for mood in Mood.allCases { words.insert(mood.rawValue) }
        return words
    }()
}
