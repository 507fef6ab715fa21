import ImageFeatureValues
import MusicTheory
import SongBrief
import Testing

/// The picture -> music mapping (docs/images.md) and its merge with the prompt: what the prompt states wins.
@Suite("Image influence on the brief")
struct ImageInfluenceTests {
    static func features(
        brightness: Double = 0.5, contrast: Double = 0.1, saturation: Double = 0.3, warmth: Double = 0,
        edges: Double = 0.1, hues: [HueShare] = [HueShare(.grey, 1)]
    ) -> ImageFeatures {
        ImageFeatures(
            brightness: brightness, contrast: contrast, saturation: saturation, warmth: warmth, edgeDensity: edges,
            hues: hues)
    }

    static let bright = features(brightness: 0.75, contrast: 0.2, saturation: 0.7, warmth: 0.7, edges: 0.05,
                                 hues: [HueShare(.orange, 0.6), HueShare(.yellow, 0.4)])
    static let dark = features(brightness: 0.12, contrast: 0.02, saturation: 0.1, warmth: -0.2, edges: 0,
                               hues: [HueShare(.black, 1)])

    @Test("the mapping table", arguments: [
        (0.9, 0.1, 0.1, Mode?.some(.lydian)), (0.9, 0.1, 0.5, .major), (0.65, 0.1, 0.5, .major), (0.5, 0.1, 0.5, nil),
        (0.4, 0.1, 0.5, .dorian), (0.2, 0.1, 0.5, .minor), (0.1, 0.3, 0.5, .phrygian), (0.1, 0.1, 0.5, .minor),
    ] as [(Double, Double, Double, Mode?)])
    func modes(_ brightness: Double, _ contrast: Double, _ saturation: Double, _ mode: Mode?) {
        #expect(ImageMapping.mode(for: Self.features(brightness: brightness, contrast: contrast, saturation: saturation)) == mode)
    }

    @Test("register, arousal, colour and density rules")
    func scalarRules() {
        #expect(ImageMapping.registerShift(for: Self.features(brightness: 1)) == 5)
        #expect(ImageMapping.registerShift(for: Self.features(brightness: 0)) == -5)
        #expect(ImageMapping.arousal(for: Self.features(contrast: 0.3, saturation: 0.6)) == 1)
        #expect(ImageMapping.arousal(for: Self.features(contrast: 0, saturation: 0)) == 0)
        #expect(ImageMapping.colour(for: Self.features(warmth: 0.3)) == .warm)
        #expect(ImageMapping.colour(for: Self.features(warmth: -0.3)) == .cool)
        #expect(ImageMapping.colour(for: Self.features(warmth: 0.05)) == .neutral)
        #expect(ImageMapping.density(for: Self.features(edges: 0.5), current: 0.5) == 0.75)
        #expect(ImageMapping.density(for: Self.features(edges: 0), current: 0.5) == 0.38)
        // Tempo stays inside the genre's range, even for the most exciting picture.
        let pop = GenreProfile.profile(for: .pop).tempoRange
        #expect(ImageMapping.tempo(for: Self.features(contrast: 1, saturation: 1), genre: .pop, current: pop.upperBound) == pop.upperBound)
        #expect(ImageMapping.tempo(for: Self.features(contrast: 0, saturation: 0), genre: .pop, current: pop.lowerBound) == pop.lowerBound)
    }

    @Test("hue families lean to genres", arguments: [
        ([HueShare(.magenta, 0.3), HueShare(.cyan, 0.3), HueShare(.black, 0.4)], 0.2, 0.5, 0.5, Genre?.some(.synthwave)),
        ([HueShare(.blue, 0.8), HueShare(.black, 0.2)], 0.25, 0.1, 0.4, .ambient),
        ([HueShare(.green, 0.5), HueShare(.brown, 0.3), HueShare(.grey, 0.2)], 0.4, 0.2, 0.3, .folk),
        ([HueShare(.red, 0.4), HueShare(.black, 0.6)], 0.3, 0.4, 0.5, .rock),
        ([HueShare(.red, 0.3), HueShare(.black, 0.7)], 0.15, 0.35, 0.5, .metal),
        ([HueShare(.orange, 0.6), HueShare(.yellow, 0.4)], 0.7, 0.2, 0.7, nil),
        ([HueShare(.blue, 0.8), HueShare(.white, 0.2)], 0.7, 0.1, 0.4, nil),  // light blue is not deep blue
    ] as [([HueShare], Double, Double, Double, Genre?)])
    func genres(_ hues: [HueShare], _ brightness: Double, _ contrast: Double, _ saturation: Double, _ genre: Genre?) {
        let f = Self.features(brightness: brightness, contrast: contrast, saturation: saturation, hues: hues)
        #expect(ImageMapping.genre(for: f) == genre)
    }

    @Test("a bright warm picture: major, faster, higher, warm instruments; a dark cool one the opposite")
    func brightAndDark() throws {
        let plain = PromptParser().brief(for: "a song", seed: 5)
        let bright = PromptParser().brief(for: "a song", seed: 5, images: Self.bright)
        let dark = PromptParser().brief(for: "a song", seed: 5, images: Self.dark)
        #expect(bright.key.mode == .major && dark.key.mode == .minor)
        #expect(bright.bpm > plain.bpm - 3 && dark.bpm < plain.bpm && bright.bpm >= dark.bpm + 8)
        #expect(bright.registerShift > dark.registerShift)
        #expect(bright.energy > dark.energy && bright.brightness > dark.brightness)
        let brightInfluence = try #require(bright.imageInfluence)
        #expect(brightInfluence.tempoShift == bright.bpm - plain.bpm)
        #expect(brightInfluence.colour == .warm && dark.imageInfluence?.colour == .cool)
        // Pop's piano chords and pad take warm (Rhodes, strings) or cool (electric piano, halo pad) colours.
        #expect(bright.instruments.contains(InstrumentChoice(.rhodes, .chords)))
        #expect(bright.instruments.contains(InstrumentChoice(.slowStrings, .pad)))
        #expect(dark.instruments.contains(InstrumentChoice(.electricPiano, .chords)))
        #expect(dark.instruments.contains(InstrumentChoice(.haloPad, .pad)))
        #expect(brightInfluence.promptWins.isEmpty)
        // Same inputs, same brief.
        #expect(PromptParser().brief(for: "a song", seed: 5, images: Self.bright) == bright)
    }

    @Test("explicit prompt words win over the picture", arguments: [
        ("a song in A minor at 90 bpm", [PromptAspect.mode, .tempo]),
        ("a sad song", [.mode, .tempo, .energy, .density, .tone, .register]),
        ("a jazz tune", [.genre]),
        ("a song with soft piano", [.instruments, .energy]),
    ])
    func promptWins(_ prompt: String, _ aspects: [PromptAspect]) throws {
        let plain = PromptParser().brief(for: prompt, seed: 9)
        let imaged = PromptParser().brief(for: prompt, seed: 9, images: Self.bright)
        let influence = try #require(imaged.imageInfluence)
        for aspect in aspects { #expect(influence.promptWins.contains(aspect), "\(prompt): \(aspect)") }
        if aspects.contains(.mode) { #expect(imaged.key.mode == plain.key.mode && influence.mode == nil) }
        if aspects.contains(.tempo) { #expect(imaged.bpm == plain.bpm && influence.tempoShift == 0) }
        if aspects.contains(.energy) { #expect(imaged.energy == plain.energy) }
        if aspects.contains(.genre) { #expect(imaged.genre == plain.genre) }
        if aspects.contains(.instruments) {
            for instrument in plain.requestedInstruments { #expect(imaged.instruments.contains { $0.instrument == instrument }) }
        }
        if prompt.contains("A minor") { #expect(imaged.key == Key(.a, .minor)) }
    }

    @Test("hues pick a genre only when the prompt names none")
    func genreLeaning() throws {
        let neon = Self.features(brightness: 0.35, contrast: 0.25, saturation: 0.6,
                                 hues: [HueShare(.magenta, 0.45), HueShare(.cyan, 0.35), HueShare(.black, 0.2)])
        let open = PromptParser().brief(for: "a song about the city at night", seed: 4, images: neon)
        #expect(open.genre == .synthwave && open.imageInfluence?.genre == .synthwave)
        let named = PromptParser().brief(for: "a country song about the city", seed: 4, images: neon)
        #expect(named.genre == .country && named.imageInfluence?.genre == nil)
        #expect(named.imageInfluence?.promptWins.contains(.genre) == true)
    }

    @Test("the influence report is JSON with snake_case keys")
    func reportJSON() throws {
        let brief = PromptParser().brief(for: "a song", seed: 5, images: Self.bright)
        let json = brief.summaryJSON
        for key in ["\"imageInfluence\"", "\"tempo_shift\"", "\"register_shift\"", "\"edge_density\"", "\"prompt_wins\"",
                    "\"mode\" : \"major\"", "\"colour\" : \"warm\""] {
            #expect(json.contains(key), "\(key)")
        }
    }
}
