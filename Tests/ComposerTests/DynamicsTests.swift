import Composer
import MusicTestSupport
import MusicTheory
import SongBrief
import SongLyrics
import Testing

@Suite("Section dynamics and the length contract")
struct DynamicsTests {
    let dictionary: PronouncingDictionary

    init() throws {
        dictionary = try TestDictionary.load()
    }

    /// What a user types for each genre (the words the prompt parser knows it by).
    static let genreWords: [Genre: String] = [
        .pop: "pop", .rock: "rock", .synthwave: "synthwave", .house: "house", .techno: "techno",
        .drumAndBass: "drum and bass", .hipHop: "hip hop", .trap: "trap", .lofi: "lo-fi hip hop", .jazz: "jazz",
        .blues: "blues", .funk: "funk", .rnb: "R&B", .country: "country", .reggae: "reggae", .latin: "bossa nova",
        .orchestral: "orchestral", .ambient: "ambient", .metal: "metal", .disco: "disco", .indie: "indie",
        .folk: "folk", .gospel: "gospel", .afrobeat: "afrobeat", .dubstep: "dubstep", .chiptune: "chiptune",
    ]

    func seconds(of score: Score) -> Double { Performer().perform(score).durationSeconds }

    func vocalScore(_ brief: Brief, lyrics: Lyrics? = nil) -> Score {
        var brief = brief
        brief.voice = brief.voice ?? brief.genre.defaultVoice
        return SongComposer().compose(brief, lyrics: lyrics ?? LyricWriter(dictionary: dictionary).write(for: brief).lyrics)
    }

    @Test("without a stated length every genre lasts 2-5 minutes, instrumental and vocal", arguments: Genre.allCases)
    func everyGenreDefaultsToTwoToFiveMinutes(genre: Genre) throws {
        let words = try #require(Self.genreWords[genre])
        for seed: UInt64 in [1, 2, 3] {
            let brief = PromptParser().brief(for: "a \(words) song", seed: seed)
            #expect(brief.genre == genre && !brief.lengthWasRequested)
            var instrumental = brief
            instrumental.voice = nil
            let songs = [("instrumental", SongComposer().compose(instrumental)), ("vocal", vocalScore(brief))]
            for (mode, score) in songs {
                let length = seconds(of: score)
                #expect((120...300).contains(length), "\(genre) \(mode) seed \(seed): \(length) s, \(score.sections.map(\.label))")
            }
        }
    }

    @Test("a stated length is kept within 10 % by vocal songs, written and user lyrics", arguments: [
        (Genre.pop, 240.0), (.gospel, 240), (.rock, 300), (.trap, 200), (.latin, 180), (.techno, 270),
    ])
    func statedLengthHoldsForVocalSongs(genre: Genre, seconds target: Double) throws {
        let words = try #require(Self.genreWords[genre])
        let brief = PromptParser().brief(for: "a \(Int(target)) second \(words) song", seed: 5)
        #expect(brief.lengthWasRequested && brief.targetSeconds == target)
        let user = LyricsParser(dictionary: dictionary).parse(VocalMelodyTests.userLyrics)
        for score in [vocalScore(brief), vocalScore(brief, lyrics: user)] {
            let length = seconds(of: score)
            #expect(abs(length / target - 1) <= 0.1, "\(genre) \(target) s: \(length) s, \(score.sections.map(\.label))")
            #expect(score.vocal.map { !$0.lead.isEmpty } == true)
        }
    }

    @Test("every genre's form breathes: verses under choruses, a drop, a build, a lifted last chorus", arguments: Genre.allCases)
    func formDynamics(genre: Genre) {
        let score = SongComposer().compose(Fixtures.brief(genre, seconds: 240))
        let plan = score.dynamics
        #expect(plan.count == score.sections.count)
        func levels(_ kinds: Set<SectionKind>) -> [Double] {
            zip(score.sections, plan).filter { kinds.contains($0.0.kind) }.map { ($0.1.startLevelDB + $0.1.endLevelDB) / 2 }
        }
        let choruses = levels([.chorus]), verses = levels([.verse]), drops = levels([.bridge, .breakdown])
        #expect(!choruses.isEmpty && !verses.isEmpty && !drops.isEmpty, "\(genre): \(score.sections.map(\.label))")
        #expect(choruses.min()! - verses.max()! >= 2.5, "\(genre): \(choruses) \(verses)")
        #expect(choruses.min()! - drops.max()! >= 3, "\(genre): \(choruses) \(drops)")
        #expect(levels([.intro]).allSatisfy { $0 <= verses.min()! })
        for (section, dynamics) in zip(score.sections, plan) {
            switch section.kind {
            case .preChorus: #expect(dynamics.endLevelDB > dynamics.startLevelDB)
            case .outro: #expect(dynamics.endLevelDB < dynamics.startLevelDB)
            case .bridge, .breakdown, .intro: #expect(dynamics.intensity == .sparse)
            default: break
            }
        }
        let chorusPlans = zip(score.sections, plan).filter { $0.0.kind == .chorus }.map(\.1)
        if chorusPlans.count >= 2 {
            #expect(chorusPlans.last!.intensity == .lifted)
            #expect(chorusPlans.last!.startLevelDB > chorusPlans.first!.startLevelDB)
        }
    }

    @Test("a song that builds slowly starts lower and keeps rising")
    func slowBuild() {
        let steady = PromptParser().brief(for: "a pop song", seed: 3)
        let building = PromptParser().brief(for: "a pop song that builds slowly", seed: 3)
        #expect(steady.dynamicArc == nil && building.dynamicArc == .slowBuild)
        let sections = SongComposer().compose(steady).sections
        let usual = SectionDynamics.plan(sections, brief: steady)
        let slow = SectionDynamics.plan(sections, brief: building)
        #expect(slow[0].startLevelDB <= usual[0].startLevelDB - 3.5)
        let choruses = zip(sections, slow).filter { $0.0.kind == .chorus }.map(\.1.startLevelDB)
        #expect(choruses == choruses.sorted() && choruses.count >= 2 && choruses.first! < choruses.last!)
    }

    @Test("choruses play more notes than verses, a pre-chorus rolls into the chorus, the last chorus doubles up")
    func arrangementFollowsTheDynamics() throws {
        let score = SongComposer().compose(Fixtures.brief(.pop, seconds: 240))
        func notes(in section: Section, part: (Part) -> Bool = { _ in true }) -> [Note] {
            let start = score.start(ofBar: section.startBar), end = score.start(ofBar: section.startBar + section.bars)
            return score.parts.filter(part).flatMap(\.notes).filter { $0.start >= start && $0.start < end }
        }
        func perBar(_ section: Section) -> Double { Double(notes(in: section).count) / Double(section.bars) }
        let verse = try #require(score.sections.first { $0.kind == .verse })
        let choruses = score.sections.filter { $0.kind == .chorus }
        #expect(choruses.count >= 2)
        #expect(perBar(choruses[0]) > perBar(verse) * 1.15, "\(perBar(choruses[0])) vs \(perBar(verse))")
        if let drop = score.sections.first(where: { $0.kind == .bridge || $0.kind == .breakdown }) {
            #expect(perBar(drop) < perBar(choruses[0]))
        }
        let preChorus = try #require(score.sections.first { $0.kind == .preChorus })
        let lastBar = score.start(ofBar: preChorus.startBar + preChorus.bars - 1)
        let snares = notes(in: preChorus) { $0.role == .drums }.filter { $0.start >= lastBar && $0.pitch.midi == 38 }
        #expect(snares.count >= 8 && snares.map(\.velocity).last! > snares.map(\.velocity).first!)
        let highest = { (section: Section) in notes(in: section) { $0.role == .lead }.map(\.pitch.midi).max() ?? 0 }
        #expect(highest(choruses.last!) >= highest(choruses[0]) + 12)
    }
}
