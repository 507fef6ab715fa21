import Foundation
import MusicTheory
import SeededRandom
@testable import SongBrief
import Testing

/// One row of the prompt table: what the parser must read from the prompt. `nil` means "not stated":
/// then the value must come from the genre profile (tempo within its range, default meter, 2-5 minute length).
struct PromptCase: Sendable, CustomTestStringConvertible {
    var prompt: String
    var genre: Genre
    var bpm: Int? = nil
    var key: Key? = nil
    var tonic: PitchClass? = nil
    var minor: Bool? = nil
    var meter: Meter? = nil
    var moods: [Mood] = []
    var instruments: [Instrument] = []
    var roles: [InstrumentChoice] = []
    var seconds: Double? = nil
    /// The singer the prompt names; nil with `instrumental == false`: the genre's default voice.
    var voice: VoiceType? = nil
    var instrumental = false

    var testDescription: String { prompt }
}

@Suite struct PromptParserTests {
    let parser = PromptParser()

    static let cases: [PromptCase] = [
        // The issue's examples
        PromptCase(prompt: "a melancholic lo-fi hip hop beat with soft piano", genre: .lofi, minor: true,
                   moods: [.melancholic], instruments: [.acousticPiano], roles: [.init(.acousticPiano, .chords)]),
        PromptCase(prompt: "an epic orchestral trailer cue in D minor at 100 bpm", genre: .orchestral, bpm: 100,
                   key: Key(.d, .minor), moods: [.epic]),
        PromptCase(prompt: "An upbeat synthwave track with a clear female vocal", genre: .synthwave, minor: false,
                   moods: [.upbeat], voice: .female),
        // Voices: the prompt's singer, "instrumental" and "no vocals", otherwise the genre's default
        PromptCase(prompt: "a rock anthem with female vocals", genre: .rock, voice: .female),
        PromptCase(prompt: "soft pop ballad, male vocal", genre: .pop, voice: .male),
        PromptCase(prompt: "country song sung by a woman", genre: .country, voice: .female),
        PromptCase(prompt: "R&B slow jam with a male singer", genre: .rnb, voice: .male),
        PromptCase(prompt: "house track with a female voice", genre: .house, voice: .female),
        PromptCase(prompt: "indie folk with male vocals and acoustic guitar", genre: .folk,
                   instruments: [.acousticGuitar], voice: .male),
        PromptCase(prompt: "instrumental synthwave", genre: .synthwave, instrumental: true),
        PromptCase(prompt: "pop song, no vocals", genre: .pop, instrumental: true),
        PromptCase(prompt: "rock track without vocals", genre: .rock, instrumental: true),
        PromptCase(prompt: "a pop song about summer", genre: .pop, voice: .female),
        PromptCase(prompt: "a rock song about the road", genre: .rock, voice: .male),
        // Synonyms and sub-genres, at least one per genre
        PromptCase(prompt: "retrowave night drive", genre: .synthwave),
        PromptCase(prompt: "outrun chase at 118 BPM", genre: .synthwave, bpm: 118, minor: true, moods: [.tense]),
        PromptCase(prompt: "EDM festival banger", genre: .house),
        PromptCase(prompt: "deep house groove in A minor", genre: .house, key: Key(.a, .minor)),
        PromptCase(prompt: "dark techno, 132bpm", genre: .techno, bpm: 132, minor: true, moods: [.dark]),
        PromptCase(prompt: "dnb roller for the night bus", genre: .drumAndBass),
        PromptCase(prompt: "drum & bass with a reese bass", genre: .drumAndBass, instruments: [.synthBass2],
                   roles: [.init(.synthBass2, .bass)]),
        PromptCase(prompt: "JUNGLE track in F minor!!!", genre: .drumAndBass, key: Key(.f, .minor)),
        PromptCase(prompt: "old school hip-hop beat with a jazzy sax sample", genre: .hipHop,
                   instruments: [.saxophone]),
        PromptCase(prompt: "hip hop beat with a male rapper", genre: .hipHop),
        PromptCase(prompt: "hard trap beat with 808 and flute", genre: .trap, instruments: [.bass808, .flute],
                   roles: [.init(.bass808, .bass), .init(.flute, .lead)]),
        PromptCase(prompt: "trap with 808s in F# minor, 145bpm, instrumental", genre: .trap, bpm: 145,
                   key: Key(.fSharp, .minor), instruments: [.bass808], instrumental: true),
        PromptCase(prompt: "lofi study beats tempo 85", genre: .lofi, bpm: 85),
        PromptCase(prompt: "chillhop with rhodes", genre: .lofi, instruments: [.rhodes]),
        PromptCase(prompt: "smooth jazz ballad in Bb with trumpet", genre: .jazz, tonic: .bFlat,
                   instruments: [.trumpet]),
        PromptCase(prompt: "Jazz in Dm", genre: .jazz, key: Key(.d, .minor)),
        PromptCase(prompt: "slow blues shuffle in E", genre: .blues, tonic: .e),
        PromptCase(prompt: "blues in 12/8 at 60 bpm", genre: .blues, bpm: 60, meter: .twelveEight),
        PromptCase(prompt: "funky slap bass groove with horns", genre: .funk, instruments: [.slapBass, .brassSection]),
        PromptCase(prompt: "soul ballad with organ", genre: .rnb, instruments: [.organ]),
        PromptCase(prompt: "R&B slow jam 70 bpm", genre: .rnb, bpm: 70),
        PromptCase(prompt: "country song with banjo and fiddle, 2 min", genre: .country,
                   instruments: [.banjo, .violin], seconds: 120),
        PromptCase(prompt: "americana road trip", genre: .country),
        PromptCase(prompt: "folk ballad with acoustic guitar and harmonica in G major", genre: .folk,
                   key: Key(.g, .major), instruments: [.acousticGuitar, .harmonica]),
        PromptCase(prompt: "roots reggae one drop", genre: .reggae),
        PromptCase(prompt: "happy reggae in the key of G", genre: .reggae, key: Key(.g, .major), moods: [.happy]),
        PromptCase(prompt: "bossa nova with nylon guitar at 130 bpm", genre: .latin, bpm: 130,
                   instruments: [.nylonGuitar]),
        PromptCase(prompt: "salsa party", genre: .latin),
        PromptCase(prompt: "cinematic film score with choir and strings, 3:30", genre: .orchestral,
                   instruments: [.choir, .strings], seconds: 210),
        PromptCase(prompt: "a waltz for strings in E flat major", genre: .orchestral, key: Key(.eFlat, .major),
                   meter: .threeFour, instruments: [.strings]),
        PromptCase(prompt: "calm ambient soundscape with pads, 1.5 minutes", genre: .ambient, moods: [.calm],
                   seconds: 90),
        PromptCase(prompt: "aggressive heavy metal with distorted guitars at 180 bpm", genre: .metal, bpm: 180,
                   minor: true, moods: [.aggressive], instruments: [.distortionGuitar]),
        PromptCase(prompt: "70s disco with strings and funky guitar", genre: .disco,
                   instruments: [.strings, .mutedGuitar]),
        PromptCase(prompt: "indie pop for a summer afternoon", genre: .indie),
        PromptCase(prompt: "gospel choir praise in Ab", genre: .gospel, tonic: .aFlat, instruments: [.choir]),
        PromptCase(prompt: "afrobeats summer vibe with marimba", genre: .afrobeat, instruments: [.marimba]),
        PromptCase(prompt: "dubstep drop with wobble bass, 140 bpm", genre: .dubstep, bpm: 140),
        PromptCase(prompt: "8-bit chiptune boss battle in 6/8", genre: .chiptune, meter: .sixEight, moods: [.epic]),
        PromptCase(prompt: "a happy pop song in C", genre: .pop, key: Key(.c, .major), moods: [.happy]),
        PromptCase(prompt: "sad piano ballad, key of C#m", genre: .pop, key: Key(.cSharp, .minor), moods: [.sad],
                   instruments: [.acousticPiano]),
        PromptCase(prompt: "rock anthem with a saxophone solo, 4 minutes", genre: .rock,
                   instruments: [.saxophone], roles: [.init(.saxophone, .lead)], seconds: 240),
        PromptCase(prompt: "punk rock 200 bpm", genre: .rock, bpm: 200),
        PromptCase(prompt: "dark synth in 12/8", genre: .synthwave, minor: true, meter: .twelveEight),
        PromptCase(prompt: "techno, 135 bpm, 2 minutes and 30 seconds", genre: .techno, bpm: 135, seconds: 150),
        // No genre word: instruments, then moods decide, else pop
        PromptCase(prompt: "peaceful music for sleeping", genre: .ambient, moods: [.peaceful]),
        PromptCase(prompt: "a romantic evening", genre: .rnb, moods: [.romantic]),
        PromptCase(prompt: "something with a banjo", genre: .country, instruments: [.banjo]),
        PromptCase(prompt: "an upbeat tune", genre: .pop, minor: false, moods: [.upbeat]),
        PromptCase(prompt: "a song", genre: .pop),
        PromptCase(prompt: "a 4 minute track", genre: .pop, seconds: 240),
        PromptCase(prompt: "120bpm E flat major", genre: .pop, bpm: 120, key: Key(.eFlat, .major)),
        PromptCase(prompt: "music in a minor key", genre: .pop, minor: true),
    ]

    @Test(arguments: cases)
    func promptTable(_ expected: PromptCase) throws {
        let brief = parser.brief(for: expected.prompt, seed: 42)
        let profile = GenreProfile.profile(for: expected.genre)
        #expect(brief.prompt == expected.prompt)
        #expect(brief.genre == expected.genre)

        if let bpm = expected.bpm {
            #expect(brief.bpm == bpm)
            #expect(brief.tempoWasRequested)
        } else {
            #expect(profile.tempoRange.contains(brief.bpm))
            #expect(!brief.tempoWasRequested)
        }

        if let key = expected.key {
            #expect(brief.key == key)
            #expect(brief.keyWasRequested)
        } else if let tonic = expected.tonic {
            #expect(brief.key.tonic == tonic)
            #expect(brief.keyWasRequested)
        } else {
            #expect(!brief.keyWasRequested)
        }
        if let minor = expected.minor { #expect(brief.key.mode.isMinor == minor) }

        #expect(brief.meter == (expected.meter ?? profile.meter))
        #expect(brief.meterWasRequested == (expected.meter != nil))
        for mood in expected.moods { #expect(brief.moods.contains(mood)) }

        for instrument in expected.instruments {
            #expect(brief.requestedInstruments.contains(instrument))
            #expect(brief.instruments.contains { $0.instrument == instrument })
        }
        for choice in expected.roles { #expect(brief.instruments.contains(choice)) }

        if let seconds = expected.seconds {
            #expect(abs(brief.targetSeconds - seconds) <= seconds * 0.1)
            #expect(brief.lengthWasRequested)
        } else {
            #expect((150...270).contains(brief.targetSeconds))
            #expect(!brief.lengthWasRequested)
        }

        if expected.instrumental {
            #expect(brief.voice == nil)
        } else {
            #expect(brief.voice == (expected.voice ?? expected.genre.defaultVoice))
        }
    }

    @Test func tableCoversEveryGenre() {
        let covered = Set(Self.cases.map(\.genre))
        #expect(covered == Set(Genre.allCases))
        #expect(Self.cases.count >= 40)
    }

    // MARK: Genre words

    @Test(arguments: Genre.allCases)
    func everyGenreKeywordSelectsItsGenre(_ genre: Genre) {
        let profile = GenreProfile.profile(for: genre)
        for keyword in profile.specificKeywords + profile.keywords {
            #expect(parser.brief(for: "please make a \(keyword) track", seed: 1).genre == genre, "\(keyword)")
        }
    }

    @Test func noGenreWordBelongsToTwoGenres() {
        var owner: [[String]: Genre] = [:]
        for genre in Genre.allCases {
            let profile = GenreProfile.profile(for: genre)
            for keyword in profile.specificKeywords + profile.keywords + profile.hintWords {
                let words = PromptTokens.words(keyword)
                #expect(owner[words] == nil || owner[words] == genre, "\(keyword)")
                owner[words] = genre
            }
        }
    }

    @Test(arguments: [
        ("lo-fi hip hop", Genre.lofi), ("lofi hip-hop beat", .lofi), ("LOFI", .lofi), ("chill hop", .lofi),
        ("drum and bass", .drumAndBass), ("drum n bass", .drumAndBass), ("drum'n'bass", .drumAndBass),
        ("d&b", .drumAndBass), ("synthwave", .synthwave), ("synth-wave", .synthwave), ("edm", .house),
        ("house", .house), ("rnb", .rnb), ("r & b", .rnb), ("rhythm and blues", .rnb), ("soul", .rnb),
        ("country", .country), ("folk", .folk), ("americana", .country), ("latin", .latin), ("salsa", .latin),
        ("bossa-nova", .latin), ("trailer", .orchestral), ("film score", .orchestral), ("orchestral", .orchestral),
        ("blues rock", .blues), ("indie rock", .indie), ("pop punk", .rock), ("dream pop", .indie),
        ("jazz funk", .funk), ("folk rock", .folk), ("trap hip hop", .trap), ("hip hop with jazz chords", .hipHop),
    ])
    func mostSpecificGenreWins(_ phrase: String, _ genre: Genre) {
        #expect(parser.brief(for: "a \(phrase) song", seed: 3).genre == genre)
    }

    // MARK: Moods

    @Test(arguments: [Genre.pop, .lofi, .house, .rock, .jazz, .synthwave])
    func moodDecidesModeTempoAndEnergy(_ genre: Genre) throws {
        let name = try #require(GenreProfile.profile(for: genre).keywords.first)
        for seed: UInt64 in [1, 2, 3] {
            let sad = parser.brief(for: "a sad \(name) song", seed: seed)
            let happy = parser.brief(for: "a happy upbeat \(name) song", seed: seed)
            #expect(sad.genre == genre && happy.genre == genre)
            #expect(sad.key.mode == .minor)
            #expect(happy.key.mode == .major)
            #expect(sad.bpm < happy.bpm)
            #expect(sad.energy < happy.energy)
            #expect(sad.brightness < happy.brightness)
            #expect(sad.registerShift < happy.registerShift)
        }
    }

    @Test func everyMoodIsRecognisedByItsOwnName() {
        for mood in Mood.allCases {
            let brief = parser.brief(for: "make it \(mood.rawValue)", seed: 5)
            #expect(brief.moods == [mood], "\(mood)")
        }
    }

    @Test func moodSynonymsAndNegation() {
        #expect(parser.brief(for: "a heartbroken ballad", seed: 1).moods == [.sad])
        #expect(parser.brief(for: "laid-back and dreamy", seed: 1).moods == [.chill, .dreamy])
        #expect(parser.brief(for: "not sad at all", seed: 1).moods.isEmpty)
        #expect(parser.brief(for: "no vocals, sad piano", seed: 1).moods == [.sad])
    }

    @Test func calmAndEnergeticWordsMoveTempoInsideTheGenreRange() {
        let range = GenreProfile.profile(for: .house).tempoRange
        let calm = parser.brief(for: "calm chill house", seed: 9)
        let driving = parser.brief(for: "energetic aggressive house", seed: 9)
        #expect(range.contains(calm.bpm) && range.contains(driving.bpm))
        #expect(calm.bpm < driving.bpm)
    }

    // MARK: Tempo

    @Test(arguments: [
        ("92 bpm", 92), ("at 140 BPM", 140), ("tempo 100", 100), ("120bpm", 120), ("tempo of 75", 75),
        ("bpm: 128", 128), ("96 beats per minute", 96), ("88 b.p.m.", 88), ("5 bpm", 40), ("900 bpm", 220),
        ("99999999999999999999999 bpm", 220), ("0 bpm", 40), ("tempo 133.6", 134), ("100-110 bpm", 105),
    ])
    func explicitTempoIsObeyedAndClamped(_ text: String, _ bpm: Int) {
        for seed: UInt64 in [0, 1, 77] {
            let brief = parser.brief(for: "a lofi song, \(text)", seed: seed)
            #expect(brief.bpm == bpm)
            #expect(brief.tempoWasRequested)
        }
    }

    // MARK: Key

    @Test(arguments: [
        ("in F# minor", Key(.fSharp, .minor)), ("E flat major", Key(.eFlat, .major)),
        ("key of C#m", Key(.cSharp, .minor)), ("A minor", Key(.a, .minor)), ("Dm", Key(.d, .minor)),
        ("in B♭ major", Key(.bFlat, .major)), ("in f sharp minor", Key(.fSharp, .minor)),
        ("in c-sharp minor", Key(.cSharp, .minor)), ("Gmaj", Key(.g, .major)), ("key: Ebm", Key(.eFlat, .minor)),
        ("in D dorian", Key(.d, .dorian)), ("in a minor", Key(.a, .minor)),
    ])
    func explicitKeyIsObeyed(_ text: String, _ key: Key) {
        for seed: UInt64 in [0, 1, 77] {
            let brief = parser.brief(for: "an upbeat happy pop song \(text) please", seed: seed)
            #expect(brief.key == key)
            #expect(brief.keyWasRequested)
        }
    }

    @Test func tonicAloneTakesItsModeFromTheMood() {
        let sad = parser.brief(for: "a sad song in G", seed: 4)
        #expect(sad.key == Key(.g, .minor))
        let happy = parser.brief(for: "a happy song in Bb", seed: 4)
        #expect(happy.key == Key(.bFlat, .major))
        let plain = parser.brief(for: "jazz in F", seed: 4)
        #expect(plain.key.tonic == .f)
        #expect(GenreProfile.profile(for: .jazz).majorModes.contains(plain.key.mode)
            || GenreProfile.profile(for: .jazz).minorModes.contains(plain.key.mode))
    }

    @Test(arguments: [
        "a song about me", "I am a rock star", "be happy", "A 4 minute track", "AM radio pop",
        "FM synthesis lead", "a bright day", "c'mon let's go", "a major hit single", "played in a club",
        "an ab workout mix", "Plan B", "big band era",
    ])
    func ordinaryWordsAreNotKeys(_ prompt: String) {
        #expect(!parser.brief(for: prompt, seed: 2).keyWasRequested)
    }

    @Test func minorKeyWithoutTonicSetsOnlyTheMode() {
        let brief = parser.brief(for: "a happy tune in a minor key", seed: 8)
        #expect(brief.key.mode == .minor)
        #expect(!brief.keyWasRequested)
    }

    // MARK: Meter

    @Test(arguments: [
        ("a waltz", Meter.threeFour), ("in 3/4", .threeFour), ("in 6/8 time", .sixEight), ("12/8 blues", .twelveEight),
        ("in 5/4", Meter(5, 4)), ("4/4", .fourFour),
    ])
    func explicitMeterIsObeyed(_ text: String, _ meter: Meter) {
        let brief = parser.brief(for: text, seed: 1)
        #expect(brief.meter == meter)
        #expect(brief.meterWasRequested)
    }

    // MARK: Length

    @Test(arguments: [
        ("90 seconds", 90.0), ("a 4 minute track", 240), ("3:30", 210), ("2 min", 120), ("1.5 minutes", 90),
        ("two and a half minutes", 150), ("a minute and a half", 90), ("45s", 45), ("4min", 240),
        ("2-3 minutes", 150), ("2 min 30 s", 150), ("half a minute", 30), ("twenty seconds", 20),
    ])
    func explicitLengthIsObeyed(_ text: String, _ seconds: Double) {
        let brief = parser.brief(for: "chill lofi, \(text)", seed: 6)
        #expect(abs(brief.targetSeconds - seconds) <= seconds * 0.1)
        #expect(brief.lengthWasRequested)
    }

    @Test func shortAndLongAreRoughLengths() {
        for seed: UInt64 in 0..<20 {
            let short = parser.brief(for: "a short jazz tune", seed: seed)
            #expect((90...120).contains(short.targetSeconds) && short.lengthWasRequested)
            let long = parser.brief(for: "a long ambient piece", seed: seed)
            #expect((270...300).contains(long.targetSeconds) && long.lengthWasRequested)
        }
        #expect(!parser.brief(for: "house with a long intro and short stabs", seed: 1).lengthWasRequested)
        #expect(!parser.brief(for: "a 90s hip hop beat", seed: 1).lengthWasRequested)
        #expect(!parser.brief(for: "trap with 808s", seed: 1).lengthWasRequested)
        #expect(!parser.brief(for: "techno with a 10 second intro", seed: 1).lengthWasRequested)
    }

    @Test func lengthIsClampedToTheAllowedRange() {
        let tooLong = parser.brief(for: "a 10 minute epic", seed: 1, maxSeconds: 300)
        #expect(tooLong.targetSeconds == 300)
        let tooShort = parser.brief(for: "3 seconds of noise", seed: 1)
        #expect(tooShort.targetSeconds == 15)
        for seed: UInt64 in 0..<30 {
            let brief = parser.brief(for: "ambient", seed: seed, maxSeconds: 120)
            #expect(brief.targetSeconds <= 120)
            #expect(parser.brief(for: "a long one", seed: seed, maxSeconds: 200).targetSeconds <= 200)
        }
    }

    // MARK: Instruments

    @Test func namedInstrumentsTakeSensibleRoles() {
        let lofi = parser.brief(for: "lofi with soft piano", seed: 1)
        #expect(lofi.instruments.contains(InstrumentChoice(.acousticPiano, .chords)))
        #expect(!lofi.instruments.contains { $0.instrument == .rhodes })

        let sax = parser.brief(for: "house track with a saxophone solo", seed: 1)
        #expect(sax.instruments.contains { $0.role == .lead && GenreProfileTestHelpers.saxes.contains($0.instrument) })
        #expect(sax.instruments.filter { $0.role == .lead }.count == 1)

        let bass = parser.brief(for: "pop song with an 808", seed: 1)
        #expect(bass.instruments.filter { $0.role == .bass } == [InstrumentChoice(.bass808, .bass)])

        let rock = parser.brief(for: "rock song with guitar", seed: 1)
        #expect(rock.requestedInstruments == [.overdrivenGuitar], "the genre's own guitar is kept")

        let leadGuitar = parser.brief(for: "funk with a lead guitar", seed: 1)
        let leads = leadGuitar.instruments.filter { $0.role == .lead }
        #expect(leads.count == 1 && InstrumentWords.guitars.contains(leads[0].instrument))
        #expect(leadGuitar.instruments.contains(InstrumentChoice(.slapBass, .bass)), "other parts stay")

        let two = parser.brief(for: "jazz with trumpet and flute", seed: 1)
        #expect(two.instruments.contains(InstrumentChoice(.flute, .lead))
            || two.instruments.contains(InstrumentChoice(.flute, .counterMelody)))
        #expect(two.requestedInstruments == [.trumpet, .flute])
    }

    @Test func everyNamedInstrumentWordIsPlayed() {
        for (phrase, _) in InstrumentWords.phrases {
            let brief = parser.brief(for: "a pop song with \(phrase)", seed: 11)
            #expect(!brief.requestedInstruments.isEmpty, "\(phrase)")
            for instrument in brief.requestedInstruments {
                #expect(brief.instruments.contains { $0.instrument == instrument }, "\(phrase)")
            }
        }
    }

    @Test func soloAndNegatedInstruments() {
        let solo = parser.brief(for: "solo piano, sad", seed: 1)
        #expect(Set(solo.instruments.map(\.instrument)) == [.acousticPiano])
        #expect(solo.instruments.contains { $0.role == .lead })

        let noDrums = parser.brief(for: "lofi beat with no drums", seed: 1)
        #expect(!noDrums.instruments.contains { $0.instrument.isDrumKit })
        #expect(noDrums.requestedInstruments.isEmpty)
        let noPercussion = parser.brief(for: "bossa nova, but don't use drums", seed: 1)
        #expect(!noPercussion.instruments.contains { $0.instrument.isDrumKit })
        #expect(noPercussion.instruments.contains { $0.instrument == .nylonGuitar })
    }

    @Test func vocalWordsDoNotBreakParsing() {
        for prompt in ["female vocal pop in C major", "male singer, pop, C major", "instrumental pop in C major",
                       "pop in C major with a clear female vocal and lyrics about love"]
        {
            let brief = parser.brief(for: prompt, seed: 1)
            #expect(brief.genre == .pop)
            #expect(brief.key == Key(.c, .major))
        }
        #expect(parser.brief(for: "female vocal pop in C major", seed: 1).voice == .female)
        #expect(parser.brief(for: "male singer, pop, C major", seed: 1).voice == .male)
        #expect(parser.brief(for: "instrumental pop in C major", seed: 1).voice == nil)
        // A singer named after "instrumental" wins: the later statement counts.
        #expect(parser.brief(for: "instrumental intro, then a male vocal", seed: 1).voice == .male)
        #expect(parser.brief(for: "no vocals, sad piano", seed: 1).voice == nil)
        #expect(parser.brief(for: "a song", seed: 1, maxSeconds: 120).maxSeconds == 120)
    }

    // MARK: Determinism, variety, robustness

    @Test func sameSeedGivesTheSameBrief() {
        for prompt in Self.cases.map(\.prompt) {
            let first = parser.brief(for: prompt, seed: 123_456)
            let second = PromptParser().brief(for: prompt, seed: 123_456)
            #expect(first == second)
            #expect(first.summaryJSON == second.summaryJSON)
        }
    }

    @Test func differentSeedsVaryWhatThePromptLeavesOpen() {
        let briefs = (0..<40).map { parser.brief(for: "a pop song", seed: UInt64($0)) }
        let range = GenreProfile.profile(for: .pop).tempoRange
        #expect(Set(briefs.map(\.key)).count >= 3)
        #expect(Set(briefs.map(\.bpm)).count >= 3)
        #expect(Set(briefs.map(\.targetSeconds)).count >= 3)
        #expect(briefs.allSatisfy { range.contains($0.bpm) })

        let fixed = (0..<40).map { parser.brief(for: "pop in F# minor at 92 bpm, 3 minutes", seed: UInt64($0)) }
        #expect(fixed.allSatisfy { $0.bpm == 92 && $0.key == Key(.fSharp, .minor) && $0.targetSeconds == 180 })
    }

    @Test func unstatedKeysAreIdiomaticForTheGenre() {
        for genre in Genre.allCases {
            let profile = GenreProfile.profile(for: genre)
            for seed: UInt64 in 0..<10 {
                let key = parser.brief(for: profile.keywords[0], seed: seed).key
                let tonics = key.mode.isMinor ? profile.minorTonics : profile.majorTonics
                #expect(tonics.contains(key.tonic), "\(genre) \(key)")
            }
        }
    }

    @Test func anyInputGivesAValidBrief() {
        var random = SeededGenerator(seed: 2024, stream: "fuzz")
        let alphabet = Array(
            "abcdefgmABCDEFGM #b/:.,-'&0123456789♯♭🎵🔥é中文العربيةжи\n\t!?()[]{}\"bpmminutesecondkeyinofsoloonlyno")
        var prompts = [
            "", " ", "🎵🔥🎸", String(repeating: "lofi sad piano 92 bpm in F# minor ", count: 150),
            String(repeating: "x", count: 5_000), "99999999999999999999999999999 minutes", "-5 minutes", "1e309 bpm",
            ":::///...", "#####", "in", "key of", "tempo", "bpm", "bpm 120", "3/0", "0/0 time", "99:99", "0:00",
            "音楽 悲しい ピアノ", "موسيقى حزينة", "грустная песня", "in 𝄞", "\u{0}\u{1}\u{7F}", "a\u{301}",
        ]
        for _ in 0..<300 {
            let length = Int(random.next() % 60)
            prompts.append(String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        for (index, prompt) in prompts.enumerated() {
            let maxSeconds = index % 3 == 0 ? 300 : 60 + index
            let brief = parser.brief(for: prompt, seed: UInt64(index), maxSeconds: maxSeconds)
            #expect(PromptFacts.tempoRange.contains(brief.bpm))
            #expect(brief.targetSeconds >= 15 && brief.targetSeconds <= Double(maxSeconds))
            #expect((0...1).contains(brief.density) && (0...1).contains(brief.brightness)
                && (0...1).contains(brief.energy))
            #expect((-12...12).contains(brief.registerShift))
            #expect(brief.meter.beatsPerBar > 0 && brief.meter.beatUnit > 0)
            #expect(!brief.instruments.isEmpty)
            #expect(brief.requestedInstruments.allSatisfy { instrument in
                brief.instruments.contains { $0.instrument == instrument }
            })
        }
    }

    @Test func summaryJSONIsSortedAndRoundTrips() throws {
        let brief = parser.brief(for: "an epic orchestral trailer cue in D minor at 100 bpm", seed: 7)
        let json = brief.summaryJSON
        let data = try #require(json.data(using: .utf8))
        let decoded = try JSONDecoder().decode(Brief.self, from: data)
        #expect(decoded == brief)
        let bpm = try #require(json.range(of: "\"bpm\""))
        let genre = try #require(json.range(of: "\"genre\""))
        #expect(bpm.lowerBound < genre.lowerBound)
        #expect(json.contains("\n"))
        #expect(json.contains("\"tonic\" : \"D\""))
    }
}

enum GenreProfileTestHelpers {
    static let saxes: Set<Instrument> = [.saxophone, .altoSax, .tenorSax]
}
