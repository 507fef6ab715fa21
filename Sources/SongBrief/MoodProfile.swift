import MusicTheory

/// Which tonality a word pulls towards.
public enum TonalLean: Int, Sendable, Hashable, Codable {
    case minor = -1, neutral = 0, major = 1
}

/// How a word changes the song relative to the genre's defaults. Tempo lean moves the tempo inside the
/// genre's range (-1 = its slowest, +1 = its fastest); the other deltas add to the genre's 0...1 values.
public struct MusicalNudge: Sendable, Hashable {
    public var tempoLean: Double
    public var density: Double
    public var brightness: Double
    public var energy: Double
    public var registerShift: Int

    public init(tempoLean: Double = 0, density: Double = 0, brightness: Double = 0, energy: Double = 0,
                registerShift: Int = 0) {
        self.tempoLean = tempoLean
        self.density = density
        self.brightness = brightness
        self.energy = energy
        self.registerShift = registerShift
    }
}

/// A mood, the words that express it and what it does to the music.
public struct MoodProfile: Sendable, Hashable {
    public var mood: Mood
    /// The mood's own name comes first.
    public var words: [String]
    public var lean: TonalLean
    public var nudge: MusicalNudge
    /// The genre this mood suggests when the prompt names none (calm -> ambient, romantic -> R&B ...).
    public var suggestedGenre: Genre?

    /// The mood's profile: one of the catalogue's values below.
    public static func profile(for mood: Mood) -> MoodProfile {
        switch mood {
        case .upbeat: .upbeat
        case .happy: .happy
        case .sad: .sad
        case .melancholic: .melancholic
        case .dark: .dark
        case .calm: .calm
        case .chill: .chill
        case .epic: .epic
        case .romantic: .romantic
        case .aggressive: .aggressive
        case .dreamy: .dreamy
        case .energetic: .energetic
        case .peaceful: .peaceful
        case .mysterious: .mysterious
        case .nostalgic: .nostalgic
        case .uplifting: .uplifting
        case .tense: .tense
        case .playful: .playful
        case .groovy: .groovy
        case .hopeful: .hopeful
        case .angry: .angry
        case .relaxed: .relaxed
        }
    }

    private init(_ mood: Mood, lean: TonalLean, words: [String], nudge: MusicalNudge, suggests: Genre? = nil) {
        self.mood = mood
        self.words = words
        self.lean = lean
        self.nudge = nudge
        self.suggestedGenre = suggests
    }
}

/// The catalogue: the words of each mood and what it does to the music.
extension MoodProfile {
    public static let upbeat = MoodProfile(
        .upbeat, lean: .major,
        words: ["upbeat", "up beat", "peppy", "bouncy", "feel good", "feelgood", "sunny"],
        nudge: MusicalNudge(tempoLean: 0.6, density: 0.1, brightness: 0.15, energy: 0.2, registerShift: 2))

    public static let happy = MoodProfile(
        .happy, lean: .major,
        words: ["happy", "joyful", "joyous", "cheerful", "cheery", "glad", "jolly", "fun", "joy", "carefree",
            "delighted", "summery"],
        nudge: MusicalNudge(tempoLean: 0.35, density: 0.05, brightness: 0.2, energy: 0.15, registerShift: 2))

    public static let sad = MoodProfile(
        .sad, lean: .minor,
        words: ["sad", "sadness", "sorrow", "sorrowful", "heartbroken", "heartbreak", "tearful", "mournful",
            "grief", "grieving", "lonely", "loneliness", "somber", "sombre", "depressing", "depressed", "crying",
            "tears", "gloomy", "tragic", "breakup"],
        nudge: MusicalNudge(tempoLean: -0.5, density: -0.15, brightness: -0.2, energy: -0.25, registerShift: -2))

    public static let melancholic = MoodProfile(
        .melancholic, lean: .minor,
        words: ["melancholic", "melancholy", "melancholia", "wistful", "bittersweet", "longing", "pensive",
            "reflective", "yearning", "rainy"],
        nudge: MusicalNudge(tempoLean: -0.35, density: -0.1, brightness: -0.15, energy: -0.2, registerShift: -1))

    public static let dark = MoodProfile(
        .dark, lean: .minor,
        words: ["dark", "darker", "sinister", "ominous", "brooding", "evil", "menacing", "spooky", "creepy",
            "eerie", "haunting", "haunted", "horror", "gothic", "shadowy", "grim"],
        nudge: MusicalNudge(tempoLean: -0.1, density: 0, brightness: -0.3, energy: 0.05, registerShift: -5))

    public static let calm = MoodProfile(
        .calm, lean: .neutral,
        words: ["calm", "calming", "serene", "tranquil", "soothing", "quiet", "gentle", "low energy"],
        nudge: MusicalNudge(tempoLean: -0.45, density: -0.2, brightness: -0.05, energy: -0.3), suggests: .ambient)

    public static let chill = MoodProfile(
        .chill, lean: .neutral,
        words: ["chill", "chilled", "chilling", "laid back", "laidback", "easygoing", "easy going", "lazy", "cozy",
            "cosy", "mellow", "vibey"],
        nudge: MusicalNudge(tempoLean: -0.3, density: -0.1, brightness: -0.1, energy: -0.2), suggests: .lofi)

    public static let epic = MoodProfile(
        .epic, lean: .neutral,
        words: ["epic", "grand", "heroic", "majestic", "triumphant", "massive", "huge", "anthemic", "monumental",
            "legendary", "battle", "victorious"],
        nudge: MusicalNudge(tempoLean: 0.1, density: 0.25, brightness: 0.05, energy: 0.3), suggests: .orchestral)

    public static let romantic = MoodProfile(
        .romantic, lean: .neutral,
        words: ["romantic", "romance", "love", "loving", "tender", "sensual", "sexy", "intimate", "passionate",
            "sweet", "love song"],
        nudge: MusicalNudge(tempoLean: -0.3, density: -0.05, brightness: 0, energy: -0.15), suggests: .rnb)

    public static let aggressive = MoodProfile(
        .aggressive, lean: .minor,
        words: ["aggressive", "fierce", "brutal", "violent", "savage", "hard hitting", "relentless", "ferocious"],
        nudge: MusicalNudge(tempoLean: 0.6, density: 0.2, brightness: 0.1, energy: 0.4), suggests: .metal)

    public static let dreamy = MoodProfile(
        .dreamy, lean: .neutral,
        words: ["dreamy", "dreamlike", "dream like", "ethereal", "floaty", "floating", "hazy", "airy", "spacey",
            "spacy", "otherworldly", "celestial", "atmospheric"],
        nudge: MusicalNudge(tempoLean: -0.3, density: -0.15, brightness: 0.05, energy: -0.2, registerShift: 5),
        suggests: .ambient)

    public static let energetic = MoodProfile(
        .energetic, lean: .neutral,
        words: ["energetic", "high energy", "energy", "lively", "driving", "pumping", "hype", "hyped", "dynamic",
            "vibrant", "exciting", "adrenaline", "explosive"],
        nudge: MusicalNudge(tempoLean: 0.6, density: 0.15, brightness: 0.1, energy: 0.35, registerShift: 1))

    public static let peaceful = MoodProfile(
        .peaceful, lean: .neutral,
        words: ["peaceful", "peace", "meditative", "restful", "sleep", "sleepy", "lullaby", "zen", "healing",
            "harmonious"],
        nudge: MusicalNudge(tempoLean: -0.6, density: -0.25, brightness: -0.05, energy: -0.4), suggests: .ambient)

    public static let mysterious = MoodProfile(
        .mysterious, lean: .minor,
        words: ["mysterious", "mystery", "mystical", "enigmatic", "magical", "arcane", "cryptic", "curious"],
        nudge: MusicalNudge(tempoLean: -0.15, density: -0.1, brightness: -0.1, energy: -0.1, registerShift: -1),
        suggests: .orchestral)

    public static let nostalgic = MoodProfile(
        .nostalgic, lean: .neutral,
        words: ["nostalgic", "nostalgia", "reminiscent", "memories", "memory", "throwback", "vintage", "old times",
            "childhood"],
        nudge: MusicalNudge(tempoLean: -0.15, density: -0.05, brightness: -0.1, energy: -0.05), suggests: .synthwave)

    public static let uplifting = MoodProfile(
        .uplifting, lean: .major,
        words: ["uplifting", "inspiring", "inspirational", "motivational", "motivating", "euphoric", "soaring",
            "optimistic", "positive", "empowering", "triumph"],
        nudge: MusicalNudge(tempoLean: 0.3, density: 0.1, brightness: 0.2, energy: 0.2, registerShift: 2))

    public static let tense = MoodProfile(
        .tense, lean: .minor,
        words: ["tense", "tension", "suspense", "suspenseful", "anxious", "nervous", "urgent", "thriller",
            "unsettling", "edgy", "chase", "dramatic"],
        nudge: MusicalNudge(tempoLean: 0.2, density: 0.1, brightness: -0.1, energy: 0.15, registerShift: -2),
        suggests: .orchestral)

    public static let playful = MoodProfile(
        .playful, lean: .major,
        words: ["playful", "quirky", "whimsical", "silly", "cute", "goofy", "cartoon", "childlike", "cheeky",
            "mischievous", "kids"],
        nudge: MusicalNudge(tempoLean: 0.3, density: 0, brightness: 0.2, energy: 0.1, registerShift: 4))

    public static let groovy = MoodProfile(
        .groovy, lean: .neutral,
        words: ["groovy", "grooving", "groove", "funky", "danceable", "swaggy", "bouncing"],
        nudge: MusicalNudge(tempoLean: 0.1, density: 0.1, brightness: 0.05, energy: 0.1), suggests: .funk)

    public static let hopeful = MoodProfile(
        .hopeful, lean: .major,
        words: ["hopeful", "hope", "hoping", "brighter days", "new beginning", "new beginnings", "promising"],
        nudge: MusicalNudge(tempoLean: 0.1, density: 0, brightness: 0.15, energy: 0.05, registerShift: 1))

    public static let angry = MoodProfile(
        .angry, lean: .minor,
        words: ["angry", "anger", "rage", "raging", "furious", "fury", "mad", "hateful", "rebellious", "wrath"],
        nudge: MusicalNudge(tempoLean: 0.5, density: 0.2, brightness: 0.05, energy: 0.45), suggests: .metal)

    public static let relaxed = MoodProfile(
        .relaxed, lean: .neutral,
        words: ["relaxed", "relaxing", "relax", "relaxation", "easy listening", "unwind", "unwinding",
            "soft and easy", "comfortable", "sunday morning"],
        nudge: MusicalNudge(tempoLean: -0.35, density: -0.15, brightness: -0.05, energy: -0.3), suggests: .lofi)
}

/// Words that are not moods but still shape the sound: pace, loudness, sparseness, timbre.
struct PromptDescriptor: Sendable {
    var words: [String]
    var nudge: MusicalNudge

    static let all: [PromptDescriptor] = [
        PromptDescriptor(words: ["fast", "faster", "quick", "uptempo", "up tempo", "rapid", "speedy", "frantic",
                                 "high tempo", "racing"],
                         nudge: MusicalNudge(tempoLean: 0.7, energy: 0.1)),
        PromptDescriptor(words: ["slow", "slower", "downtempo", "down tempo", "leisurely", "unhurried",
                                 "low tempo", "slow burning", "slowly"],
                         nudge: MusicalNudge(tempoLean: -0.7, energy: -0.1)),
        PromptDescriptor(words: ["ballad", "ballads", "power ballad", "slow dance", "lament"],
                         nudge: MusicalNudge(tempoLean: -0.6, density: -0.1, energy: -0.1)),
        PromptDescriptor(words: ["soft", "softly", "delicate", "subtle", "whisper", "hushed", "light"],
                         nudge: MusicalNudge(density: -0.05, brightness: -0.05, energy: -0.2)),
        PromptDescriptor(words: ["loud", "heavy", "hard", "punchy", "powerful", "intense", "banging", "big"],
                         nudge: MusicalNudge(density: 0.1, energy: 0.2)),
        PromptDescriptor(words: ["minimal", "minimalist", "minimalistic", "sparse", "simple", "stripped",
                                 "stripped back", "stripped down", "bare"],
                         nudge: MusicalNudge(density: -0.25)),
        PromptDescriptor(words: ["lush", "rich", "full", "busy", "layered", "dense", "wall of sound", "complex"],
                         nudge: MusicalNudge(density: 0.2)),
        PromptDescriptor(words: ["bright", "sparkling", "sparkly", "shiny", "shimmering", "crisp", "glittering"],
                         nudge: MusicalNudge(brightness: 0.2, registerShift: 2)),
        PromptDescriptor(words: ["warm", "muffled", "dusty", "murky", "muddy", "lo fi sound"],
                         nudge: MusicalNudge(brightness: -0.15)),
        PromptDescriptor(words: ["deep", "low register", "rumbling", "boomy"],
                         nudge: MusicalNudge(brightness: -0.05, registerShift: -3)),
        PromptDescriptor(words: ["high register", "high pitched", "sparkling high"],
                         nudge: MusicalNudge(brightness: 0.05, registerShift: 3)),
    ]
}
