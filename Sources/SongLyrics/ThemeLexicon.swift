import Foundation

/// A verb with the forms the line templates need: "glow" / "glows" / "glowing".
struct LyricVerb: Sendable, Hashable {
    var base: String
    var third: String
    var gerund: String

    /// "glow", or "ride/riding" when the -ing form is not the base plus "ing".
    init(_ spec: String) {
        let parts = spec.split(separator: "/").map(String.init)
        base = parts[0]
        // "glow" -> "glowing", "drive" -> "driving", "see" -> "seeing"; others are spelled out in the spec.
        let dropsE = base.hasSuffix("e") && !base.hasSuffix("ee")
        gerund = parts.count > 1 ? parts[1] : (dropsE ? String(base.dropLast()) : base) + "ing"
        third = Self.thirdPerson(base)
    }

    private static func thirdPerson(_ verb: String) -> String {
        if ["s", "sh", "ch", "x", "z", "o"].contains(where: verb.hasSuffix) { return verb + "es" }
        if verb.hasSuffix("y"), let before = verb.dropLast().last, !"aeiou".contains(before) {
            return verb.dropLast() + "ies"
        }
        return verb + "s"
    }
}

/// The typed vocabulary one song's lyrics draw from. Every word has the grammar of its list, so a template slot
/// only ever receives a word that fits it: places follow "in/through the", things are objects ("I can see the
/// radio"), actors are the things that may also be subjects of `actorVerbs` ("the radio hums"), doings are what
/// "we" do ("we drive"), feelings follow "I feel so", modifiers precede a place or thing ("neon city").
struct ThemeLexicon: Sendable {
    var places: [String] = []
    var things: [String] = []
    var actors: [String] = []
    var actorVerbs: [LyricVerb] = []
    var doings: [LyricVerb] = []
    var feelings: [String] = []
    var modifiers: [String] = []
    /// Words the prompt itself named (known to the vocabulary): used first, so the song is about the prompt.
    var promptWords: [String] = []
    var themeNames: [String] = []

    mutating func add(_ theme: Theme) {
        func merge(_ list: inout [String], _ words: [String]) { list += words.filter { !list.contains($0) } }
        merge(&places, theme.places)
        merge(&things, theme.actors + theme.things)
        merge(&actors, theme.actors)
        actorVerbs += theme.actorVerbs.filter { !actorVerbs.contains($0) }
        doings += theme.doings.filter { !doings.contains($0) }
        merge(&feelings, theme.feelings)
        merge(&modifiers, theme.modifiers)
        themeNames.append(theme.name)
    }

    /// Puts a prompt word of a known kind first in its list.
    mutating func promote(_ word: String, as kind: WordKind) {
        switch kind {
        case .place: places = [word] + places.filter { $0 != word }
        case .thing: things = [word] + things.filter { $0 != word }
        case .modifier: modifiers = [word] + modifiers.filter { $0 != word }
        case .feeling: feelings = [word] + feelings.filter { $0 != word }
        case .doing:
            guard let verb = LyricVocabulary.doing(word) else { return }
            doings = [verb] + doings.filter { $0 != verb }
        }
        if !promptWords.contains(word) { promptWords.append(word) }
    }
}

/// The grammatical kinds of word the writer knows.
enum WordKind: Sendable, Hashable, CaseIterable {
    case place, thing, modifier, doing, feeling
}

/// A common song theme: the words that call it up in a prompt and the typed words it lends the lyrics.
struct Theme: Sendable {
    var name: String
    var triggers: Set<String>
    var places: [String]
    /// Things that can be subjects of `actorVerbs`; `things` are only ever objects.
    var actors: [String]
    var actorVerbs: [LyricVerb]
    var things: [String]
    var doings: [LyricVerb]
    var feelings: [String]
    var modifiers: [String]

    init(
        _ name: String, triggers: String, places: String, actors: String, actorVerbs: String, things: String = "",
        doings: String, feelings: String, modifiers: String
    ) {
        self.name = name
        self.triggers = Set(Self.list(triggers))
        self.places = Self.list(places)
        self.actors = Self.list(actors)
        self.actorVerbs = Self.list(actorVerbs).map(LyricVerb.init)
        self.things = Self.list(things)
        self.doings = Self.list(doings).map(LyricVerb.init)
        self.feelings = Self.list(feelings)
        self.modifiers = Self.list(modifiers)
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static let all: [Theme] = [
        Theme(
            "night city drive",
            triggers: "night, city, drive, driving, neon, highway, midnight, street, streets, car, cruise, urban, "
                + "downtown, lights, nightlife, metropolis, freeway, traffic",
            places: "highway, city, boulevard, freeway, avenue, tunnel, streets, night, traffic, overpass, headlights",
            actors: "engine, radio, skyline, signal, streetlight, headlight, mirror",
            actorVerbs: "glow, hum, flicker, shine, fade",
            things: "dashboard, taillight, window, wheel",
            doings: "drive, ride/riding, race/racing, cruise/cruising, run/running, roam",
            feelings: "restless, awake, alive, reckless, free, electric",
            modifiers: "neon, midnight, electric, endless, empty, glowing, silver"),
        Theme(
            "love heart",
            triggers: "love, heart, romance, romantic, kiss, lover, darling, valentine, wedding, crush, together, "
                + "baby, sweetheart, boyfriend, girlfriend, tender",
            places: "moonlight, candlelight, doorway, garden, dark, morning, rain, crowd",
            actors: "candle, promise, whisper, heartbeat, fire",
            actorVerbs: "glow, burn, linger, shine",
            things: "letter, photograph, ring, rose, necklace, kiss",
            doings: "dance/dancing, stay, fall, breathe/breathing, wait, smile/smiling, dream, love/loving",
            feelings: "safe, warm, whole, sure, alive, close, true",
            modifiers: "tender, golden, gentle, secret, sweet, quiet, velvet"),
        Theme(
            "ocean summer",
            triggers: "ocean, sea, summer, beach, sun, sunny, waves, surf, island, tropical, sand, coast, shore, "
                + "sunshine, holiday, vacation, seaside, bay",
            places: "ocean, shoreline, harbor, island, water, sea, sand, sunshine, surf, bay",
            actors: "sunset, tide, horizon, wave, lighthouse, sailboat",
            actorVerbs: "shine, glow, sparkle/sparkling, shimmer",
            things: "seashell, breeze, postcard",
            doings: "swim/swimming, drift, sail, wander, dance/dancing, dive/diving, float",
            feelings: "free, warm, young, golden, alive, high",
            modifiers: "golden, endless, sunlit, tropical, summer, blue, silver"),
        Theme(
            "rain sadness",
            triggers: "rain, sad, sadness, tears, cry, crying, grey, gray, lonely, alone, broken, heartbreak, "
                + "goodbye, melancholy, melancholic, storm, sorrow, loss, grief, blue, rainy",
            places: "rain, dark, cold, silence, shadows, storm, hallway, doorway, winter",
            actors: "letter, photograph, raindrop, candle, memory, telephone, window",
            actorVerbs: "fade, fall, wait, linger",
            things: "umbrella, teardrop",
            doings: "cry, wait, walk, drown, wonder, hide/hiding, sleep",
            feelings: "cold, lonely, quiet, empty, broken, lost, tired, alone, numb",
            modifiers: "broken, silent, heavy, faded, lonely, pale, empty, grey"),
        Theme(
            "party dance",
            triggers: "party, dance, dancing, club, disco, weekend, celebrate, celebration, dancefloor, "
                + "friday, saturday, fun, rave, festival",
            places: "club, crowd, spotlight, heat, night, city, light",
            actors: "glitter, strobe, spotlight, confetti, mirror",
            actorVerbs: "flash, shine, spin/spinning, sparkle/sparkling, glow",
            things: "weekend, champagne",
            doings: "dance/dancing, move/moving, jump, spin/spinning, shout, shake/shaking, party, celebrate/celebrating",
            feelings: "loud, wild, free, alive, high, electric, young, unstoppable",
            modifiers: "electric, wild, glitter, flashing, shiny, crazy, golden"),
        Theme(
            "space stars",
            triggers: "space, stars, star, galaxy, cosmic, moon, planet, planets, universe, astronaut, orbit, "
                + "rocket, nebula, cosmos, satellite, comet, alien, sky",
            places: "galaxy, universe, sky, stars, dark, cosmos, nebula, moonlight, orbit",
            actors: "moon, rocket, comet, satellite, planet, star",
            actorVerbs: "shine, glow, burn, spin/spinning, drift, fall",
            things: "signal, spaceship, telescope",
            doings: "fly, float, drift, rise/rising, glide/gliding, wander, fall",
            feelings: "weightless, infinite, small, free, high, far, alive",
            modifiers: "silver, cosmic, distant, starlit, falling, infinite, endless"),
        Theme(
            "road freedom",
            triggers: "road, freedom, free, journey, travel, wander, highway, horizon, west, wild, trip, adventure, "
                + "escape, runaway, nomad, open",
            places: "road, desert, mountains, valley, wind, distance, highway, dust, prairie",
            actors: "horizon, compass, sunset, campfire",
            actorVerbs: "glow, fade, shine, call",
            things: "map, suitcase, truck, engine",
            doings: "roam, ride/riding, fly, run/running, wander, travel, drive/driving, leave/leaving",
            feelings: "free, wild, young, restless, strong, brave, alive, gone",
            modifiers: "open, dusty, wild, western, endless, winding, lonely, golden"),
        Theme(
            "home nostalgia",
            triggers: "home, nostalgia, nostalgic, childhood, memories, memory, remember, hometown, old, family, "
                + "mother, father, grandmother, grandfather, past, yesterday, school, porch, kitchen",
            places: "kitchen, garden, attic, backyard, hallway, summer, evening, hometown",
            actors: "photograph, clock, radio, window, postcard, candle",
            actorVerbs: "fade, wait, linger, remain",
            things: "letter, bicycle, blanket, picture",
            doings: "remember, return, linger, stay, grow, rest, wait, wander",
            feelings: "young, warm, safe, small, happy, free",
            modifiers: "faded, old, familiar, dusty, little, yellow, quiet"),
        Theme(
            "fire fight",
            triggers: "fire, fight, battle, war, warrior, rage, anger, angry, aggressive, rebel, revolution, "
                + "strength, power, victory, champion, epic, hero, rise, storm",
            places: "fire, battle, storm, fight, arena, kingdom, thunder, smoke, ashes",
            actors: "banner, sword, crown, flame, spark, lightning, shield",
            actorVerbs: "burn, blaze, rise/rising, shine, roar, fall",
            things: "armor, victory",
            doings: "fight, rise/rising, burn, roar, stand, win/winning, march, run/running",
            feelings: "strong, fierce, bold, unbroken, fearless, ready, brave, alive",
            modifiers: "burning, iron, fearless, golden, savage, rising, silver"),
        Theme(
            "dreams hope",
            triggers: "dream, dreams, dreamy, hope, hopeful, wish, sleep, clouds, heaven, angel, magic, fantasy, "
                + "wonder, uplifting, believe, tomorrow, future",
            places: "morning, sunrise, light, clouds, sky, daylight, distance",
            actors: "daydream, wish, rainbow, lantern, feather, kite, star",
            actorVerbs: "shine, glow, rise/rising, fly, float, sparkle/sparkling",
            things: "promise, window, compass",
            doings: "dream, rise/rising, believe/believing, fly, float, climb, hope/hoping",
            feelings: "hopeful, new, free, alive, awake, ready, brave",
            modifiers: "shining, golden, gentle, hidden, silver, bright, secret"),
        Theme(
            "forest nature",
            triggers: "forest, nature, tree, trees, woods, mountain, river, garden, flowers, spring, autumn, "
                + "leaves, earth, green, wild, birds, meadow, lake",
            places: "forest, meadow, valley, woods, wilderness, river, mountains, leaves, trees",
            actors: "river, willow, branch, flower, leaf, blossom, oak, sparrow",
            actorVerbs: "sway, grow, breathe/breathing, whisper, tremble/trembling",
            things: "stone, acorn, mushroom",
            doings: "wander, breathe/breathing, grow, climb, rest, walk, roam, listen",
            feelings: "wild, quiet, calm, free, small, alive, still",
            modifiers: "ancient, evergreen, quiet, mossy, wild, morning, green, hidden"),
        Theme(
            "winter cold",
            triggers: "winter, snow, cold, ice, frozen, christmas, december, frost, chill, snowfall",
            places: "snow, cold, winter, frost, snowfall, silence, dark, firelight",
            actors: "fireplace, candle, window, snowflake, lantern, chimney",
            actorVerbs: "glow, flicker, shine, fade, burn",
            things: "blanket, scarf, sled, mitten",
            doings: "wait, drift, shiver, sleep, hide/hiding, stay, freeze/freezing",
            feelings: "cold, frozen, quiet, warm, still, alone, safe, numb",
            modifiers: "frozen, silver, snowy, quiet, winter, crystal, white, icy"),
        Theme(
            "money hustle",
            triggers: "money, hustle, rich, gold, diamonds, cash, boss, street, grind, hood, fame, success, chains",
            places: "city, streets, penthouse, spotlight, game, club, corner",
            actors: "chain, diamond, crown, watch, gold, empire",
            actorVerbs: "shine, glow, sparkle/sparkling, rise/rising, flash, gleam",
            things: "money, ring, car",
            doings: "grind, climb, win/winning, rise/rising, hustle/hustling, shine, flex",
            feelings: "rich, cold, high, ready, untouchable, real, hungry, fearless",
            modifiers: "golden, diamond, heavy, flashy, cold, platinum, shining"),
    ]

    /// When nothing in the prompt calls up a theme: dreams and the open road suit any song.
    static let fallbackNames = ["dreams hope", "road freedom"]
}

/// Everything the writer knows, with each word's kinds: the themes' words plus common words that fit any theme
/// (they also give every rhyme sound partners). A prompt word is only sung when it is listed here, so codes,
/// typos, names and instrument words never reach a lyric.
enum LyricVocabulary {
    /// Places, things, doings and feelings any song may use.
    static let generalPlaces = Theme.list(
        "night, light, rain, dark, sun, street, town, sea, air, fire, dawn, storm, snow, crowd, glow, shade, tide, "
            + "sky, cold, wind, haze, world, station, rooftop, lighthouse, library, cafe, factory, harbor, church, "
            + "chapel, hotel, airport, subway, alley, market, village, castle, tower, desert, valley")
    static let generalThings = Theme.list(
        "flame, sign, door, rose, stone, ring, wheel, star, moon, photograph, letter, window, candle, flower, "
            + "feather, mirror, wave, coffee, cat, dog, robot, machine, train, bicycle, lantern, clock, book, "
            + "umbrella, heart, story, ticket, suitcase")
    static let generalDoings = Theme.list(
        "shine, fly, fall, run/running, burn, turn, go, stay, wake/waking, breathe/breathing, dance/dancing, "
            + "rise/rising, hide/hiding, ride/riding, glide/gliding, wait, try, cry, stand, win/winning, grow, "
            + "belong, remain, survive/surviving, arrive/arriving, begin/beginning, fight, sleep, dream, "
            + "drive/driving, smile/smiling, roam, sail, leave/leaving, know, play")
        .map(LyricVerb.init)
    static let generalFeelings = Theme.list(
        "free, wild, high, young, strong, bold, true, new, alive, alone, awake, near, real, fine, gone, lost, "
            + "right, whole, brave, sure, warm, blue, slow")

    /// Every known word and its kinds; the prompt's words are looked up here.
    static let kinds: [String: Set<WordKind>] = {
        var table: [String: Set<WordKind>] = [:]
        func add(_ words: [String], _ kind: WordKind) {
            for word in words { table[word, default: []].insert(kind) }
        }
        for theme in Theme.all {
            add(theme.places, .place)
            add(theme.actors + theme.things, .thing)
            add(theme.modifiers, .modifier)
            add(theme.doings.flatMap { [$0.base, $0.gerund] }, .doing)
            add(theme.feelings, .feeling)
        }
        add(generalPlaces, .place)
        add(generalThings, .thing)
        add(generalDoings.flatMap { [$0.base, $0.gerund] }, .doing)
        add(generalFeelings, .feeling)
        return table
    }()

    /// The doing a word names ("driving" -> drive/driving).
    static func doing(_ word: String) -> LyricVerb? {
        (Theme.all.flatMap(\.doings) + generalDoings).first { $0.base == word || $0.gerund == word }
    }

    /// The word as the vocabulary lists it: lower-cased, a plural of a listed noun made singular ("waves" ->
    /// "wave", "memories" -> "memory"), or nil when the writer does not know the word.
    static func known(_ word: String) -> String? {
        let word = word.lowercased()
        if kinds[word] != nil { return word }
        if word.hasSuffix("ies"), kinds[word.dropLast(3) + "y"] != nil { return word.dropLast(3) + "y" }
        if word.hasSuffix("s"), kinds[String(word.dropLast())] != nil { return String(word.dropLast()) }
        return nil
    }

    /// Every word a written lyric may contain: the vocabulary, the verbs' forms, and the templates' own words.
    static let singable: Set<String> = {
        var words = Set(kinds.keys)
        for verb in Theme.all.flatMap(\.actorVerbs) + Theme.all.flatMap(\.doings) + generalDoings {
            words.formUnion([verb.base, verb.third, verb.gerund])
        }
        for template in LineTemplate.all.map(\.pattern) + LineTemplate.hookPatterns.values.flatMap({ $0 })
            + LineTemplate.leadIns
        {
            for token in template.split(whereSeparator: { $0 == " " || $0 == "," }) where !token.hasPrefix("{") {
                words.insert(String(token).lowercased())
            }
        }
        words.formUnion(["a", "an"])
        return words
    }()
}
