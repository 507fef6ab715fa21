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

    public static func profile(for mood: Mood) -> MoodProfile {
        switch mood {
        case .upbeat:
            MoodProfile(mood, ["upbeat", "up beat", "peppy", "bouncy", "feel good", "feelgood", "sunny"], .major,
                        MusicalNudge(tempoLean: 0.6, density: 0.1, brightness: 0.15, energy: 0.2, registerShift: 2))
        case .happy:
            MoodProfile(mood, ["happy", "joyful", "joyous", "cheerful", "cheery", "glad", "jolly", "fun", "joy",
                               "carefree", "delighted", "summery"], .major,
                        MusicalNudge(tempoLean: 0.35, density: 0.05, brightness: 0.2, energy: 0.15, registerShift: 2))
        case .sad:
            MoodProfile(mood, ["sad", "sadness", "sorrow", "sorrowful", "heartbroken", "heartbreak", "tearful",
                               "mournful", "grief", "grieving", "lonely", "loneliness", "somber", "sombre",
                               "depressing", "depressed", "crying", "tears", "gloomy", "tragic", "breakup"], .minor,
                        MusicalNudge(tempoLean: -0.5, density: -0.15, brightness: -0.2, energy: -0.25,
                                     registerShift: -2))
        case .melancholic:
            MoodProfile(mood, ["melancholic", "melancholy", "melancholia", "wistful", "bittersweet", "longing",
                               "pensive", "reflective", "yearning", "rainy"], .minor,
                        MusicalNudge(tempoLean: -0.35, density: -0.1, brightness: -0.15, energy: -0.2,
                                     registerShift: -1))
        case .dark:
            MoodProfile(mood, ["dark", "darker", "sinister", "ominous", "brooding", "evil", "menacing", "spooky",
                               "creepy", "eerie", "haunting", "haunted", "horror", "gothic", "shadowy", "grim"],
                        .minor,
                        MusicalNudge(tempoLean: -0.1, density: 0, brightness: -0.3, energy: 0.05, registerShift: -5))
        case .calm:
            MoodProfile(mood, ["calm", "calming", "serene", "tranquil", "soothing", "quiet", "gentle", "low energy"],
                        .neutral,
                        MusicalNudge(tempoLean: -0.45, density: -0.2, brightness: -0.05, energy: -0.3),
                        suggests: .ambient)
        case .chill:
            MoodProfile(mood, ["chill", "chilled", "chilling", "laid back", "laidback", "easygoing",
                               "easy going", "lazy", "cozy", "cosy", "mellow", "vibey"], .neutral,
                        MusicalNudge(tempoLean: -0.3, density: -0.1, brightness: -0.1, energy: -0.2),
                        suggests: .lofi)
        case .epic:
            MoodProfile(mood, ["epic", "grand", "heroic", "majestic", "triumphant", "massive", "huge", "anthemic",
                               "monumental", "legendary", "battle", "victorious"], .neutral,
                        MusicalNudge(tempoLean: 0.1, density: 0.25, brightness: 0.05, energy: 0.3),
                        suggests: .orchestral)
        case .romantic:
            MoodProfile(mood, ["romantic", "romance", "love", "loving", "tender", "sensual", "sexy", "intimate",
                               "passionate", "sweet", "love song"], .neutral,
                        MusicalNudge(tempoLean: -0.3, density: -0.05, brightness: 0, energy: -0.15),
                        suggests: .rnb)
        case .aggressive:
            MoodProfile(mood, ["aggressive", "fierce", "brutal", "violent", "savage", "hard hitting", "relentless",
                               "ferocious"], .minor,
                        MusicalNudge(tempoLean: 0.6, density: 0.2, brightness: 0.1, energy: 0.4),
                        suggests: .metal)
        case .dreamy:
            MoodProfile(mood, ["dreamy", "dreamlike", "dream like", "ethereal", "floaty", "floating", "hazy",
                               "airy", "spacey", "spacy", "otherworldly", "celestial", "atmospheric"], .neutral,
                        MusicalNudge(tempoLean: -0.3, density: -0.15, brightness: 0.05, energy: -0.2,
                                     registerShift: 5),
                        suggests: .ambient)
        case .energetic:
            MoodProfile(mood, ["energetic", "high energy", "energy", "lively", "driving", "pumping", "hype",
                               "hyped", "dynamic", "vibrant", "exciting", "adrenaline", "explosive"], .neutral,
                        MusicalNudge(tempoLean: 0.6, density: 0.15, brightness: 0.1, energy: 0.35, registerShift: 1))
        case .peaceful:
            MoodProfile(mood, ["peaceful", "peace", "meditative", "restful", "sleep", "sleepy", "lullaby", "zen",
                               "healing", "harmonious"], .neutral,
                        MusicalNudge(tempoLean: -0.6, density: -0.25, brightness: -0.05, energy: -0.4),
                        suggests: .ambient)
        case .mysterious:
            MoodProfile(mood, ["mysterious", "mystery", "mystical", "enigmatic", "magical", "arcane",
                               "cryptic", "curious"], .minor,
                        MusicalNudge(tempoLean: -0.15, density: -0.1, brightness: -0.1, energy: -0.1,
                                     registerShift: -1),
                        suggests: .orchestral)
        case .nostalgic:
            MoodProfile(mood, ["nostalgic", "nostalgia", "reminiscent", "memories", "memory", "throwback",
                               "vintage", "old times", "childhood"], .neutral,
                        MusicalNudge(tempoLean: -0.15, density: -0.05, brightness: -0.1, energy: -0.05),
                        suggests: .synthwave)
        case .uplifting:
            MoodProfile(mood, ["uplifting", "inspiring", "inspirational", "motivational", "motivating",
                               "euphoric", "soaring", "optimistic", "positive", "empowering", "triumph"], .major,
                        MusicalNudge(tempoLean: 0.3, density: 0.1, brightness: 0.2, energy: 0.2, registerShift: 2))
        case .tense:
            MoodProfile(mood, ["tense", "tension", "suspense", "suspenseful", "anxious", "nervous", "urgent",
                               "thriller", "unsettling", "edgy", "chase", "dramatic"], .minor,
                        MusicalNudge(tempoLean: 0.2, density: 0.1, brightness: -0.1, energy: 0.15, registerShift: -2),
                        suggests: .orchestral)
        case .playful:
            MoodProfile(mood, ["playful", "quirky", "whimsical", "silly", "cute", "goofy", "cartoon", "childlike",
                               "cheeky", "mischievous", "kids"], .major,
                        MusicalNudge(tempoLean: 0.3, density: 0, brightness: 0.2, energy: 0.1, registerShift: 4))
        case .groovy:
            MoodProfile(mood, ["groovy", "grooving", "groove", "funky", "danceable", "swaggy", "bouncing"],
                        .neutral,
                        MusicalNudge(tempoLean: 0.1, density: 0.1, brightness: 0.05, energy: 0.1),
                        suggests: .funk)
        case .hopeful:
            MoodProfile(mood, ["hopeful", "hope", "hoping", "brighter days", "new beginning", "new beginnings",
                               "promising"], .major,
                        MusicalNudge(tempoLean: 0.1, density: 0, brightness: 0.15, energy: 0.05, registerShift: 1))
        case .angry:
            MoodProfile(mood, ["angry", "anger", "rage", "raging", "furious", "fury", "mad", "hateful", "rebellious",
                               "wrath"], .minor,
                        MusicalNudge(tempoLean: 0.5, density: 0.2, brightness: 0.05, energy: 0.45),
                        suggests: .metal)
        case .relaxed:
            MoodProfile(mood, ["relaxed", "relaxing", "relax", "relaxation", "easy listening", "unwind",
                               "unwinding", "soft and easy", "comfortable", "sunday morning"], .neutral,
                        MusicalNudge(tempoLean: -0.35, density: -0.15, brightness: -0.05, energy: -0.3),
                        suggests: .lofi)
        }
    }

    private init(_ mood: Mood, _ words: [String], _ lean: TonalLean, _ nudge: MusicalNudge, suggests: Genre? = nil) {
        self.mood = mood
        self.words = words
        self.lean = lean
        self.nudge = nudge
        self.suggestedGenre = suggests
    }
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
