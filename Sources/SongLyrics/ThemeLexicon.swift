import Foundation

/// The vocabulary a song's lyrics draw from: words of a few themes chosen from the prompt, plus the prompt's
/// own nouns and modifiers.
struct ThemeLexicon: Sendable {
    /// Singular nouns that take "the" ("highway").
    var nouns: [String]
    /// Plural nouns ("city lights"); the last word carries the rhyme.
    var pluralNouns: [String]
    /// Adjectives that work after "is" ("bright").
    var adjectives: [String]
    /// Words that work before a noun ("neon", "midnight").
    var modifiers: [String]
    /// Intransitive verbs, base form and -ing form.
    var verbs: [Verb]
    /// The prompt's own words: used first, so the song sounds like the prompt.
    var promptNouns: [String]
    var promptModifiers: [String]
    var themeNames: [String]

    struct Verb: Sendable, Hashable {
        var base: String
        var gerund: String
    }

    func merged(with other: Theme) -> ThemeLexicon {
        var copy = self
        copy.nouns += other.nouns.filter { !copy.nouns.contains($0) }
        copy.pluralNouns += other.pluralNouns.filter { !copy.pluralNouns.contains($0) }
        copy.adjectives += other.adjectives.filter { !copy.adjectives.contains($0) }
        copy.modifiers += other.modifiers.filter { !copy.modifiers.contains($0) }
        copy.verbs += other.verbs.filter { !copy.verbs.contains($0) }
        copy.themeNames.append(other.name)
        return copy
    }
}

/// A common song theme: the words that call it up in a prompt and the words it lends the lyrics.
struct Theme: Sendable {
    var name: String
    var triggers: Set<String>
    var nouns: [String]
    var pluralNouns: [String]
    var adjectives: [String]
    var modifiers: [String]
    var verbs: [ThemeLexicon.Verb]

    init(
        _ name: String, triggers: String, nouns: String, plurals: String, adjectives: String, modifiers: String,
        verbs: String
    ) {
        func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        self.name = name
        self.triggers = Set(list(triggers))
        self.nouns = list(nouns)
        self.pluralNouns = list(plurals)
        self.adjectives = list(adjectives)
        self.modifiers = list(modifiers)
        self.verbs = list(verbs).map { pair in
            let parts = pair.split(separator: "/").map(String.init)
            return ThemeLexicon.Verb(base: parts[0], gerund: parts.count > 1 ? parts[1] : parts[0] + "ing")
        }
    }

    static let all: [Theme] = [
        Theme(
            "night city drive",
            triggers: "night, city, drive, driving, neon, highway, midnight, street, streets, car, cruise, urban, "
                + "downtown, lights, nightlife, metropolis, freeway, traffic",
            nouns: "highway, city, midnight, engine, skyline, boulevard, freeway, dashboard, radio, night, "
                + "avenue, overpass, rearview, signal",
            plurals: "city lights, streets, headlights, taillights, neon signs, wheels",
            adjectives: "electric, bright, restless, wide awake, alive, fast",
            modifiers: "neon, midnight, chrome, electric, endless, empty, glowing",
            verbs: "drive/driving, ride/riding, race/racing, glow/glowing, shine/shining, run/running, "
                + "cruise/cruising"),
        Theme(
            "love heart",
            triggers: "love, heart, romance, romantic, kiss, lover, darling, valentine, wedding, crush, together, "
                + "baby, sweetheart, boyfriend, girlfriend, tender",
            nouns: "heart, heartbeat, kiss, embrace, promise, moment, touch, lover, darling, whisper",
            plurals: "hearts, arms, lips, eyes, hands",
            adjectives: "tender, sweet, true, close, warm, yours",
            modifiers: "tender, golden, gentle, secret, only, sweet",
            verbs: "hold/holding, fall/falling, stay/staying, burn/burning, dance/dancing, breathe/breathing"),
        Theme(
            "ocean summer",
            triggers: "ocean, sea, summer, beach, sun, sunny, waves, surf, island, tropical, sand, coast, shore, "
                + "sunshine, holiday, vacation, seaside, bay",
            nouns: "ocean, summer, shoreline, sunset, tide, horizon, harbor, island, breeze, sunshine, water",
            plurals: "waves, seashells, palm trees, sands, golden hours",
            adjectives: "golden, warm, free, salty, endless, bright",
            modifiers: "golden, salty, endless, summer, sunlit, tropical",
            verbs: "swim/swimming, drift/drifting, sail/sailing, shine/shining, wander/wandering, glow/glowing"),
        Theme(
            "rain sadness",
            triggers: "rain, sad, sadness, tears, cry, crying, grey, gray, lonely, alone, broken, heartbreak, "
                + "goodbye, melancholy, melancholic, storm, sorrow, loss, grief, blue, rainy",
            nouns: "rain, window, silence, shadow, thunder, storm, memory, letter, goodbye, winter",
            plurals: "tears, raindrops, clouds, empty rooms, shadows",
            adjectives: "cold, grey, lonely, quiet, empty, broken, blue",
            modifiers: "broken, silent, heavy, faded, lonely, pale",
            verbs: "fall/falling, fade/fading, cry/crying, wait/waiting, break/breaking, drown/drowning"),
        Theme(
            "party dance",
            triggers: "party, dance, dancing, club, disco, weekend, celebrate, celebration, groove, dancefloor, "
                + "friday, saturday, fun, rave, festival",
            nouns: "dancefloor, weekend, rhythm, party, spotlight, bassline, music, beat, glitter, crowd",
            plurals: "disco lights, hands, bodies, speakers, stars",
            adjectives: "loud, wild, free, alive, electric, high",
            modifiers: "electric, wild, glitter, flashing, shiny, crazy",
            verbs: "dance/dancing, move/moving, jump/jumping, spin/spinning, shout/shouting, shake/shaking"),
        Theme(
            "space stars",
            triggers: "space, stars, star, galaxy, cosmic, moon, planet, planets, universe, astronaut, orbit, "
                + "rocket, nebula, cosmos, satellite, comet, alien, sky",
            nouns: "galaxy, moonlight, orbit, rocket, comet, universe, heaven, gravity, darkness, satellite",
            plurals: "stars, planets, constellations, comets, satellites",
            adjectives: "weightless, infinite, bright, distant, silver, high",
            modifiers: "silver, cosmic, distant, starlit, falling, infinite",
            verbs: "fly/flying, float/floating, shine/shining, orbit/orbiting, rise/rising, glide/gliding"),
        Theme(
            "road freedom",
            triggers: "road, freedom, free, journey, travel, wander, highway, horizon, west, wild, trip, adventure, "
                + "escape, runaway, nomad, open",
            nouns: "road, horizon, journey, desert, mountain, valley, sky, wind, distance, frontier",
            plurals: "miles, mountains, open roads, wings, dusty boots",
            adjectives: "free, wild, young, restless, strong, brave",
            modifiers: "open, dusty, wild, western, endless, winding",
            verbs: "roam/roaming, ride/riding, fly/flying, run/running, wander/wandering, travel/traveling"),
        Theme(
            "home nostalgia",
            triggers: "home, nostalgia, nostalgic, childhood, memories, memory, remember, hometown, old, family, "
                + "mother, father, grandmother, grandfather, past, yesterday, school, porch, kitchen",
            nouns: "hometown, porch, kitchen, photograph, garden, doorway, yesterday, childhood, river, sunday",
            plurals: "memories, old songs, footsteps, photographs, summers",
            adjectives: "young, warm, gentle, familiar, faded, sweet",
            modifiers: "faded, old, familiar, dusty, little, sunday",
            verbs: "remember/remembering, return/returning, linger/lingering, stay/staying, grow/growing, "
                + "rest/resting"),
        Theme(
            "fire fight",
            triggers: "fire, fight, battle, war, warrior, rage, anger, angry, aggressive, rebel, revolution, "
                + "strength, power, victory, champion, epic, hero, rise, storm",
            nouns: "fire, battle, thunder, power, anthem, victory, courage, armor, lightning, kingdom",
            plurals: "flames, fists, warriors, drums, sparks",
            adjectives: "strong, fierce, bold, unbroken, fearless, ready",
            modifiers: "burning, iron, fearless, golden, savage, rising",
            verbs: "fight/fighting, rise/rising, burn/burning, roar/roaring, stand/standing, win/winning"),
        Theme(
            "dreams hope",
            triggers: "dream, dreams, dreamy, hope, hopeful, wish, sleep, clouds, heaven, angel, magic, fantasy, "
                + "wonder, uplifting, believe, tomorrow, future",
            nouns: "tomorrow, daydream, heaven, wonder, morning, promise, rainbow, sunrise, heartbeat, light",
            plurals: "dreams, wishes, clouds, wings, colors",
            adjectives: "bright, hopeful, new, golden, clear, alive",
            modifiers: "shining, golden, gentle, hidden, silver, brand new",
            verbs: "dream/dreaming, rise/rising, shine/shining, believe/believing, float/floating, fly/flying"),
        Theme(
            "forest nature",
            triggers: "forest, nature, tree, trees, woods, mountain, river, garden, flowers, spring, autumn, "
                + "leaves, earth, green, wild, birds, meadow, lake",
            nouns: "forest, river, meadow, willow, morning, mountain, valley, garden, wilderness, canopy",
            plurals: "leaves, flowers, branches, rivers, birds",
            adjectives: "green, wild, quiet, gentle, ancient, free",
            modifiers: "ancient, evergreen, quiet, mossy, wild, morning",
            verbs: "grow/growing, bloom/blooming, wander/wandering, breathe/breathing, flow/flowing, sing/singing"),
        Theme(
            "winter cold",
            triggers: "winter, snow, cold, ice, frozen, christmas, december, frost, chill, snowfall",
            nouns: "winter, snowfall, fireplace, december, frost, silence, blanket, window, candle, morning",
            plurals: "snowflakes, frozen lakes, candles, mittens, icicles",
            adjectives: "cold, white, frozen, quiet, warm, still",
            modifiers: "frozen, silver, snowy, quiet, winter, crystal",
            verbs: "fall/falling, freeze/freezing, glow/glowing, wait/waiting, drift/drifting, shiver/shivering"),
        Theme(
            "money hustle",
            triggers: "money, hustle, rich, gold, diamonds, cash, boss, street, grind, hood, fame, success, chains",
            nouns: "hustle, money, empire, skyline, gold, penthouse, spotlight, pressure, corner, glory",
            plurals: "diamonds, dollars, chains, stacks, haters",
            adjectives: "rich, cold, high, ready, untouchable, real",
            modifiers: "golden, diamond, heavy, flashy, cold, grinding",
            verbs: "grind/grinding, shine/shining, climb/climbing, win/winning, flex/flexing, rise/rising"),
    ]

    /// When nothing in the prompt calls up a theme: dreams and the open road suit any song.
    static let fallbackNames = ["dreams hope", "road freedom"]
}

/// Words of a prompt that carry no imagery: grammar, music jargon, the engine's own vocabulary.
enum PromptStopWords {
    static let words: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "without", "about",
        "from", "by", "into", "through", "over", "under", "like", "as", "is", "are", "was", "be", "it", "its",
        "this", "that", "these", "those", "my", "your", "our", "their", "his", "her", "me", "we", "you", "i",
        "some", "very", "really", "lots", "lot", "more", "less", "much", "many", "some", "any", "make", "made",
        "song", "songs", "track", "tune", "beat", "beats", "music", "musical", "instrumental", "vocal", "vocals",
        "voice", "female", "male", "singer", "sung", "lyrics", "bpm", "tempo", "key", "major", "minor", "flat",
        "sharp", "minute", "minutes", "second", "seconds", "long", "short", "intro", "outro", "verse", "chorus",
        "bridge", "piano", "guitar", "guitars", "bass", "drums", "drum", "synth", "synths", "strings", "violin",
        "cello", "brass", "trumpet", "sax", "saxophone", "flute", "organ", "pad", "pads", "lead", "808", "808s",
        "kick", "snare", "hats", "hihat", "electric", "acoustic", "soft", "heavy", "slow", "fast", "style",
        "vibe", "vibes", "feel", "feeling", "sound", "sounds", "type", "kind", "sort", "something", "played",
        "playing", "featuring", "background", "loop", "genre", "mix", "produced", "production", "waltz", "time",
        "pop", "rock", "synthwave", "retrowave", "house", "edm", "techno", "dnb", "jungle", "hip", "hop", "trap",
        "lofi", "lo", "fi", "jazz", "jazzy", "blues", "bluesy", "funk", "funky", "rnb", "soul", "country",
        "reggae", "latin", "bossa", "nova", "orchestral", "cinematic", "ambient", "metal", "disco", "indie",
        "folk", "gospel", "afrobeat", "dubstep", "chiptune", "upbeat", "happy", "chill", "calm", "groovy",
        "energetic", "mellow", "uplifting", "playful", "relaxed", "peaceful", "tense", "mysterious", "hopeful",
        "dreamy", "sad", "dark", "epic", "romantic", "aggressive", "melancholic", "nostalgic", "angry",
        "bouncy", "catchy", "modern", "classic", "retro", "vintage", "80s", "90s", "old", "new", "school",
        "band", "ballad", "banger", "jam", "orchestra", "choir", "beatbox", "sample", "samples", "rhodes", "keys",
        "horn", "horns",
    ]
}
