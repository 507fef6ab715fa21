import Foundation
import MusicTheory
import Testing

@Suite("Exact time")
struct RationalTests {
    @Test func normalisesSignAndLowestTerms() {
        let value = Rational(6, -8)
        #expect(value.numerator == -3 && value.denominator == 4)
        #expect(Rational(0, 5) == .zero)
    }

    @Test func arithmeticIsExact() {
        // 1/3 three times is exactly one: the point of rational time.
        #expect(Rational(1, 3) + Rational(1, 3) + Rational(1, 3) == .one)
        #expect(Rational(3, 4) - Rational(1, 4) == Rational(1, 2))
        #expect(Rational(3, 2) * Rational(2, 3) == .one)
        #expect(Rational(3, 4) / Rational(3, 8) == Rational(2))
        #expect(Rational(1, 2) < Rational(2, 3))
        #expect(Rational(-7, 2).floor == -4)
        #expect(Rational(7, 2).floor == 3)
    }
}

@Suite("Pitches and keys")
struct PitchAndKeyTests {
    @Test(
        "pitch class names parse",
        arguments: [("C", 0), ("c#", 1), ("F♯", 6), ("Bb", 10), ("E flat", 3), ("e-flat", 3), ("F sharp", 6), ("B", 11)])
    func parsesNames(name: String, value: Int) {
        #expect(PitchClass(name: name) == PitchClass(value))
    }

    @Test func rejectsNonNames() {
        #expect(PitchClass(name: "H") == nil)
        #expect(PitchClass(name: "") == nil)
        #expect(PitchClass(name: "Cxyz") == nil)
    }

    @Test func pitchesKnowTheirFrequencyAndOctave() {
        #expect(abs(Pitch(69).frequency - 440) < 1e-9)
        #expect(abs(Pitch(81).frequency - 880) < 1e-9)
        #expect(Pitch(.c, octave: 4).midi == 60)
        #expect(Pitch(60).description == "C4")
        #expect(Pitch(200).midi == 127)
        #expect(Pitch(60).nearest(.b) == Pitch(59))
        #expect(Pitch(60).nearest(.e) == Pitch(64))
    }

    @Test func keysSpellAndRelate() {
        let fSharpMinor = Key(.fSharp, .minor)
        #expect(fSharpMinor.description == "F# minor")
        #expect(Key(.bFlat, .major).description == "Bb major")
        #expect(Key(.f, .minor).description == "F minor")
        #expect(fSharpMinor.relative == Key(.a, .major))
        #expect(Key(.c, .major).scale.map(\.value) == [0, 2, 4, 5, 7, 9, 11])
        #expect(Key(.d, .dorian).tonality == "minor")
        #expect(Key(.g, .mixolydian).tonality == "major")
        #expect(Key(.c, .major).pitchClass(degree: 8) == .c)
    }

    @Test func pitchClassesAreNamesInJSON() throws {
        let data = try JSONEncoder().encode(Key(.fSharp, .minor))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"F#\""))
        #expect(try JSONDecoder().decode(Key.self, from: data) == Key(.fSharp, .minor))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PitchClass.self, from: Data("\"X\"".utf8)) }
    }
}

@Suite("Chords and meters")
struct ChordAndMeterTests {
    @Test func diatonicChordsHaveTheirQualities() {
        let cMajor = Key(.c, .major)
        #expect(Chord(degree: 1, in: cMajor).quality == .major)
        #expect(Chord(degree: 2, in: cMajor).quality == .minor)
        #expect(Chord(degree: 7, in: cMajor).quality == .diminished)
        #expect(Chord(degree: 5, in: cMajor, seventh: true).quality == .dominant7)
        #expect(Chord(degree: 1, in: cMajor, seventh: true).quality == .major7)
        #expect(Chord(degree: 5, in: Key(.a, .harmonicMinor)).quality == .major)
    }

    @Test func chordsSpellAndContainTheirTones() {
        let chord = Chord(.fSharp, .minor7)
        #expect(chord.description == "F#m7")
        #expect(chord.pitchClasses == [.fSharp, .a, .cSharp, .e])
        #expect(Chord(.c, .major, bass: .e).description == "C/E")
        #expect(Chord(.c, .major, bass: .e).bassNote == .e)
        #expect(chord.contains(.a) && !chord.contains(.g))
    }

    @Test func metersMeasureBarsInQuarterNotes() {
        #expect(Meter.fourFour.barLength == Rational(4))
        #expect(Meter.sixEight.barLength == Rational(3))
        #expect(Meter.sixEight.isCompound && !Meter.threeFour.isCompound)
        #expect(Meter.sixEight.pulses == [Rational(0), Rational(3, 2)])
        #expect(Meter.threeFour.pulses == [Rational(0), Rational(1), Rational(2)])
    }
}

@Suite("Key numbers, intervals and transposition")
struct KeyNumberTests {
    @Test func keyNumbersMoveByIntervals() {
        #expect(60 + .perfectFifth == 67)
        #expect(60 - .octave == 48)
        var key = 60
        key += .majorThird
        #expect(key == 64)
        key -= .octave
        #expect(key == 52)
        #expect(Interval.octave * 2 == Interval(24))
        #expect(Pitch(60) + .octave * -1 == Pitch(48))
        #expect(PitchClass.c - .minorSecond == .b)
    }

    @Test(arguments: [(0, 0), (5, 0), (6, 1), (-6, -1), (11, 1), (18, 2), (-19, -2)])
    func intervalsRoundToWholeOctaves(semitones: Int, octaves: Int) {
        #expect(Interval(semitones).nearestOctaveCount == octaves)
    }

    @Test func pitchClassesFindTheirKeyAboveAndBelow() {
        #expect(PitchClass.c.key(atOrAbove: 60) == 60)
        #expect(PitchClass.c.key(atOrAbove: 61) == 72)
        #expect(PitchClass.e.key(atOrAbove: 28) == 28)
        #expect(PitchClass.eFlat.key(atOrAbove: 28) == 39)
        #expect(PitchClass.e.key(atOrBelow: 60) == 52)
        #expect(PitchClass.c.key(atOrBelow: 60) == 60)
        #expect(PitchClass.b.key(atOrBelow: -1) == -1)
        #expect(PitchClass.c.key(atOrBelow: -1) == -12)
    }

    @Test func theNearestKeyOfASetIsInRangeAndTheLowerOnATie() {
        let triad: Set<PitchClass> = [.c, .e, .g]
        #expect(triad.nearestKey(to: 62, in: 48...84) == 60)  // 60 and 64 are equally near
        #expect(triad.nearestKey(to: 66, in: 48...84) == 67)
        #expect(triad.nearestKey(to: 90, in: 48...84) == 84)
        #expect(triad.nearestKey(to: 62, in: 48...84, where: { $0 > 62 }) == 64)
        #expect(triad.nearestKey(to: 62, in: 61...63) == nil)
        #expect(Set<PitchClass>().nearestKey(to: 60, in: 0...127) == nil)
    }

    @Test func stepsMoveThroughTheSetsMembers() {
        let cMajor = Set(Key(.c, .major).scale)
        #expect(cMajor.key(1, stepsFrom: 60) == 62)
        #expect(cMajor.key(2, stepsFrom: 60) == 64)
        #expect(cMajor.key(-1, stepsFrom: 60) == 59)
        #expect(cMajor.key(7, stepsFrom: 60) == 72)
        #expect(cMajor.key(0, stepsFrom: 61) == 60)  // 60 and 62 are equally near: the lower
        #expect(Set<PitchClass>([.fSharp]).key(0, stepsFrom: 60) == 54)  // a tritone away still counts; below first
        #expect(Set<PitchClass>().key(0, stepsFrom: 60) == 60)
        #expect(Set<PitchClass>().key(1, stepsFrom: 60) == 108)  // an empty set stops after four octaves
    }

    @Test func chordsAndModesAreBuiltFromIntervals() {
        #expect(ChordQuality.dominant13.intervals.last == .majorThirteenth)
        #expect(Chord(.d, .minor11).pitchClasses == [.d, .f, .a, .c, .e, .g])
        #expect(Mode.lydian.steps[3] == .tritone)
        #expect(Key(.a, .harmonicMinor).scale == [.a, .b, .c, .d, .e, .f, .aFlat])
    }
}
