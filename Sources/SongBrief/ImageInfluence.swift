import ImageFeatureValues
import MusicTheory

/// What the reference images did to a brief, and what they saw: shown to the user as `image_influence` (in the
/// track JSON and, inside the brief, in the song sheet). Every change is also a rule in `ImageMapping`, so the
/// report can be read against docs/images.md.
public struct ImageInfluence: Sendable, Hashable, Codable {
    /// How many images were combined.
    public var images: Int
    // The combined features (see `ImageFeatures`).
    public var brightness: Double
    public var contrast: Double
    public var saturation: Double
    public var warmth: Double
    public var edgeDensity: Double
    public var hues: [HueShare]
    /// The mode the images chose; nil when the prompt decided or the picture was in the neutral middle.
    public var mode: Mode?
    /// Beats per minute added (negative: removed) relative to the prompt-only brief.
    public var tempoShift: Int
    public var registerShift: Int
    public var energyShift: Double
    public var densityShift: Double
    /// Change of the timbre brightness (0...1 scale of `Brief.brightness`).
    public var toneShift: Double
    public var colour: ColourTemperature
    /// Parts whose instrument the picture's colour temperature chose.
    public var instruments: [InstrumentChoice]
    /// The genre the hues leaned to; nil when the prompt named one or no hue rule applied.
    public var genre: Genre?
    /// What the prompt stated and the images therefore left alone.
    public var promptWins: [PromptAspect]

    enum CodingKeys: String, CodingKey {
        case images, brightness, contrast, saturation, warmth, hues, mode, colour, instruments, genre
        case edgeDensity = "edge_density"
        case tempoShift = "tempo_shift"
        case registerShift = "register_shift"
        case energyShift = "energy_shift"
        case densityShift = "density_shift"
        case toneShift = "tone_shift"
        case promptWins = "prompt_wins"
    }

    public var features: ImageFeatures {
        ImageFeatures(
            brightness: brightness, contrast: contrast, saturation: saturation, warmth: warmth,
            edgeDensity: edgeDensity, hues: hues)
    }
}

public enum ColourTemperature: String, Sendable, Hashable, Codable {
    case warm, neutral, cool
}

/// The musical aspects a prompt can decide; when it does, the images do not touch them.
public enum PromptAspect: String, Sendable, Hashable, Codable, CaseIterable {
    case genre, mode, tempo, energy, density, tone, register, instruments
}

/// The mapping from picture to music, one rule per function (docs/images.md has the same table).
public enum ImageMapping {
    /// Brightness decides the mode: bright pictures major (near-white, pale ones lydian), dark ones minor
    /// (dim ones dorian; very dark, hard-contrast ones phrygian); the middle leaves the genre's choice.
    public static func mode(for f: ImageFeatures) -> Mode? {
        switch f.brightness {
        case 0.8... where f.saturation < 0.25: .lydian
        case 0.6...: .major
        case 0.45..<0.6: nil
        case 0.3..<0.45: .dorian
        case ..<0.15 where f.contrast >= 0.25: .phrygian
        default: .minor
        }
    }

    /// Brightness moves the melody and comping register: up to 5 semitones either way.
    public static func registerShift(for f: ImageFeatures) -> Int {
        Int(((f.brightness - 0.5) * 10).rounded())
    }

    /// Arousal 0...1 from saturation and contrast (vivid, punchy pictures are exciting; grey, flat ones calm).
    /// Saturation counts fully at 0.6 and contrast at 0.3 (a strongly lit photo).
    public static func arousal(for f: ImageFeatures) -> Double {
        0.5 * min(1, f.saturation / 0.6) + 0.5 * min(1, f.contrast / 0.3)
    }

    /// The tempo the arousal asks for inside the genre's range; the prompt-only tempo keeps a quarter of the
    /// say, so seeds still vary it a little.
    public static func tempo(for f: ImageFeatures, genre: Genre, current: Int) -> Int {
        let range = GenreProfile.profile(for: genre).tempoRange
        let target = Double(range.lowerBound) + arousal(for: f) * Double(range.upperBound - range.lowerBound)
        let blended = (0.75 * target + 0.25 * Double(current)).rounded()
        return min(range.upperBound, max(range.lowerBound, Int(blended)))
    }

    /// Energy goes halfway from the genre's value to the arousal.
    public static func energy(for f: ImageFeatures, current: Double) -> Double {
        hundredths(0.5 * current + 0.5 * arousal(for: f))
    }

    /// Busy, detailed pictures (many edges) ask for busier rhythms: 0 edges -> 0.25, >= 0.5 edge share -> 1.
    public static func density(for f: ImageFeatures, current: Double) -> Double {
        let target = min(1, 0.25 + 1.5 * f.edgeDensity)
        return hundredths(0.5 * current + 0.5 * target)
    }

    /// Timbre brightness goes halfway to the picture's brightness.
    public static func tone(for f: ImageFeatures, current: Double) -> Double {
        hundredths(0.5 * current + 0.5 * f.brightness)
    }

    public static func colour(for f: ImageFeatures) -> ColourTemperature {
        f.warmth >= 0.15 ? .warm : f.warmth <= -0.1 ? .cool : .neutral
    }

    /// Hue families lean to a genre, only when the prompt names none:
    /// neon magenta/cyan/purple -> synthwave, deep (dark) blue -> ambient, green/brown -> folk,
    /// red and black with hard contrast -> rock (metal when very dark).
    public static func genre(for f: ImageFeatures) -> Genre? {
        let neon = f.share(of: .magenta) + f.share(of: .cyan) + f.share(of: .purple)
        if neon >= 0.4 && f.saturation >= 0.35 { return .synthwave }
        if f.share(of: .red) >= 0.2 && f.share(of: .black) >= 0.25 && f.contrast >= 0.3 {
            return f.brightness < 0.2 ? .metal : .rock
        }
        if f.share(of: .blue) >= 0.45 && f.brightness < 0.45 && f.saturation >= 0.2 { return .ambient }
        if f.share(of: .green) + f.share(of: .brown) >= 0.45 { return .folk }
        return nil
    }

    /// The instrument a warm or cool picture puts in a part, or nil to keep it. Only colour parts change
    /// (keyboard chords, pads, arpeggios); melody, bass and drums keep the genre's sound, and so do guitars
    /// in guitar genres.
    public static func instrument(for part: InstrumentChoice, colour: ColourTemperature) -> Instrument? {
        guard colour != .neutral else { return nil }
        let warm = colour == .warm
        switch part.role {
        case .chords where keyboards.contains(part.instrument):
            return warm ? .rhodes : .electricPiano
        case .pad where pads.contains(part.instrument):
            return warm ? .slowStrings : .haloPad
        case .arpeggio where plucks.contains(part.instrument):
            return warm ? .acousticGuitar : .celesta
        case .brass where warm == false:
            return .synthBrass
        case .strings where warm == false:
            return .synthStrings
        default:
            return nil
        }
    }

    static let keyboards: Set<Instrument> = [.acousticPiano, .brightPiano, .electricPiano, .rhodes, .polySynth, .organ]
    static let pads: Set<Instrument> = [
        .warmPad, .synthPad, .haloPad, .strings, .slowStrings, .synthStrings, .choir, .polySynth,
    ]
    static let plucks: Set<Instrument> = [
        .cleanElectricGuitar, .squareLead, .celesta, .vibraphone, .musicBox, .marimba, .harp, .acousticGuitar,
        .nylonGuitar, .kalimba,
    ]

    static func hundredths(_ value: Double) -> Double { (min(1, max(0.1, value)) * 100).rounded() / 100 }
}

extension PromptParser {
    /// The brief for a prompt with reference images: the prompt is read as usual, then every aspect the prompt
    /// left open is moved by the images (see `ImageMapping`); what the prompt states explicitly wins.
    /// Without images this is exactly `brief(for:seed:maxSeconds:)`.
    public func brief(for prompt: String, seed: UInt64, maxSeconds: Int = 300, images: ImageFeatures?, count: Int = 1)
        -> Brief
    {
        guard let images else { return brief(for: prompt, seed: seed, maxSeconds: maxSeconds) }
        let stated = Self.statedAspects(prompt)
        let lean = stated.contains(.genre) ? nil : ImageMapping.genre(for: images)
        var brief = self.brief(for: prompt, seed: seed, maxSeconds: maxSeconds, genreOverride: lean)
        var influence = ImageInfluence(
            images: count, brightness: images.brightness, contrast: images.contrast, saturation: images.saturation,
            warmth: images.warmth, edgeDensity: images.edgeDensity, hues: images.hues, mode: nil, tempoShift: 0,
            registerShift: 0, energyShift: 0, densityShift: 0, toneShift: 0, colour: ImageMapping.colour(for: images),
            instruments: [], genre: lean, promptWins: PromptAspect.allCases.filter { stated.contains($0) })
        let profile = GenreProfile.profile(for: brief.genre)

        if !stated.contains(.mode), let mode = ImageMapping.mode(for: images) {
            influence.mode = mode
            if brief.key.mode != mode {
                let tokens = PromptTokens.tokenize(prompt)
                let tonic = PromptFacts.key(in: tokens, excluding: Self.genreNameRanges(tokens))?.tonic
                brief.key = Self.key(
                    PromptFacts.KeyStatement(tonic: tonic, mode: mode), profile: profile, moods: brief.moods,
                    seed: seed)
            }
        }
        if !stated.contains(.tempo) {
            let tempo = ImageMapping.tempo(for: images, genre: brief.genre, current: brief.bpm)
            influence.tempoShift = tempo - brief.bpm
            brief.bpm = tempo
        }
        let scales: [(PromptAspect, WritableKeyPath<Brief, Double>, WritableKeyPath<ImageInfluence, Double>,
                      (ImageFeatures, Double) -> Double)] = [
            (.energy, \.energy, \.energyShift, ImageMapping.energy),
            (.density, \.density, \.densityShift, ImageMapping.density),
            (.tone, \.brightness, \.toneShift, ImageMapping.tone),
        ]
        for (aspect, value, shift, rule) in scales where !stated.contains(aspect) {
            let moved = rule(images, brief[keyPath: value])
            influence[keyPath: shift] = ImageMapping.hundredthsDelta(moved, brief[keyPath: value])
            brief[keyPath: value] = moved
        }
        if !stated.contains(.register) {
            let shifted = min(Brief.maxRegisterShift, max(-Brief.maxRegisterShift, brief.registerShift + ImageMapping.registerShift(for: images)))
            influence.registerShift = shifted - brief.registerShift
            brief.registerShift = shifted
        }
        for index in brief.instruments.indices {
            let part = brief.instruments[index]
            guard !brief.requestedInstruments.contains(part.instrument),
                let colour = ImageMapping.instrument(for: part, colour: influence.colour), colour != part.instrument,
                !brief.instruments.contains(InstrumentChoice(colour, part.role))
            else { continue }
            brief.instruments[index].instrument = colour
            influence.instruments.append(brief.instruments[index])
        }
        brief.imageInfluence = influence
        return brief
    }

    /// What the prompt decides itself: a genre word or an instrument that implies a genre; a key/mode word or a
    /// mood with a tonal lean; tempo numbers or tempo words; mood and descriptor words for energy, density,
    /// tone and register; named instruments.
    static func statedAspects(_ prompt: String) -> Set<PromptAspect> {
        let tokens = PromptTokens.tokenize(prompt)
        let nameRanges = genreNameRanges(tokens)
        let moods = moods(in: tokens)
        let nudges = moods.map { MoodProfile.profile(for: $0).nudge } + descriptorNudges(in: tokens)
        let mentions = instrumentMentions(in: tokens, excluding: nameRanges).filter { !$0.negated }
        var stated: Set<PromptAspect> = []
        let impliesGenre = mentions.contains { $0.word.candidates.first.flatMap(InstrumentWords.suggestedGenre(for:)) != nil }
        if !genreIndex.matches(in: tokens).isEmpty || impliesGenre { stated.insert(.genre) }
        if PromptFacts.key(in: tokens, excluding: nameRanges)?.mode != nil
            || moods.contains(where: { MoodProfile.profile(for: $0).lean != .neutral })
        {
            stated.insert(.mode)
        }
        if PromptFacts.tempo(in: tokens) != nil || nudges.contains(where: { $0.tempoLean != 0 }) { stated.insert(.tempo) }
        if nudges.contains(where: { $0.energy != 0 }) { stated.insert(.energy) }
        if nudges.contains(where: { $0.density != 0 }) { stated.insert(.density) }
        if nudges.contains(where: { $0.brightness != 0 }) { stated.insert(.tone) }
        if nudges.contains(where: { $0.registerShift != 0 }) { stated.insert(.register) }
        if !mentions.isEmpty { stated.insert(.instruments) }
        return stated
    }
}

extension PromptParser {
    /// Genre names joined by "and" ("drum and bass") are names, not lists (as `brief(for:)` reads them).
    static func genreNameRanges(_ tokens: [PromptToken]) -> [Range<Int>] {
        genreIndex.matches(in: tokens).map(\.range).filter { range in
            range.count > 1 && tokens[range].contains { $0.text == "and" || $0.text == "n" }
        }
    }
}

extension ImageMapping {
    static func hundredthsDelta(_ new: Double, _ old: Double) -> Double { ((new - old) * 100).rounded() / 100 }
}
