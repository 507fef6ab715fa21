import Composer
import MusicTheory
import SongBrief
import Testing

@Suite("Form")
struct FormTests {
    @Test("the form has an intro, verses, choruses and an outro, in 4- and 8-bar phrases", arguments: Genre.allCases)
    func formShape(genre: Genre) {
        let score = SongComposer().compose(Fixtures.brief(genre))
        let kinds = score.sections.map(\.kind)
        #expect(kinds.first == .intro)
        #expect(kinds.last == .outro)
        #expect(kinds.contains(.verse) && kinds.contains(.chorus))
        #expect(kinds.contains(.bridge) || kinds.contains(.breakdown), "\(genre): \(kinds)")
        var bar = 0
        for section in score.sections {
            #expect(section.startBar == bar)
            bar += section.bars
            if section.kind == .intro || section.kind == .outro {
                #expect([1, 2, 4, 8].contains(section.bars), "\(genre) \(section.label) \(section.bars)")
            } else {
                #expect(section.bars % 4 == 0, "\(genre) \(section.label) \(section.bars)")
            }
        }
        #expect(score.length == score.meter.barLength * bar)
        #expect(Set(score.sections.map(\.label)).count == score.sections.count)
    }

    @Test("a requested length is met within 10 %", arguments: [
        (Genre.pop, 112, Meter.fourFour, 30.0), (.house, 124, .fourFour, 45), (.jazz, 140, .threeFour, 60),
        (.ambient, 70, .sixEight, 90), (.rock, 128, .fourFour, 240), (.drumAndBass, 174, .fourFour, 30),
        (.blues, 96, .twelveEight, 150), (.lofi, 80, .fourFour, 150), (.trap, 140, .fourFour, 75),
        (.orchestral, 90, .threeFour, 200), (.latin, 128, .fourFour, 300), (.folk, 100, .sixEight, 40),
    ])
    func requestedLength(genre: Genre, bpm: Int, meter: Meter, seconds: Double) {
        let brief = Fixtures.brief(genre, meter: meter, bpm: bpm, seconds: seconds, requested: true)
        let score = SongComposer().compose(brief)
        let performance = Performer().perform(score)
        #expect(abs(performance.durationSeconds - seconds) <= 0.1 * seconds,
                "\(genre) \(bpm) bpm \(meter): \(performance.durationSeconds) s for \(seconds) s")
        #expect(score.bpm == bpm)
        if seconds <= 60 {
            #expect(score.sections.map(\.kind) == [.intro, .verse, .chorus, .outro], "\(score.sections.map(\.label))")
        }
    }

    @Test("without a requested length the song lasts 2-5 minutes", arguments: [
        (Genre.pop, 112, Meter.fourFour), (.ambient, 62, .fourFour), (.drumAndBass, 174, .fourFour),
        (.blues, 96, .twelveEight), (.jazz, 180, .threeFour), (.metal, 160, .sixEight), (.lofi, 72, .fourFour),
    ])
    func defaultLength(genre: Genre, bpm: Int, meter: Meter) {
        for target in [60.0, 180, 600] {
            let score = SongComposer().compose(Fixtures.brief(genre, meter: meter, bpm: bpm, seconds: target))
            let seconds = Performer().perform(score).durationSeconds
            #expect(seconds >= 120 && seconds <= 300, "\(genre) \(bpm) \(meter) target \(target): \(seconds) s")
        }
    }
}
