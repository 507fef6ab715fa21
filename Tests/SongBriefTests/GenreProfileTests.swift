import MusicTheory
@testable import SongBrief
import Testing

@Suite struct GenreProfileTests {
    @Test(arguments: Genre.allCases)
    func profileIsCompleteAndPlayable(_ genre: Genre) {
        let profile = GenreProfile.profile(for: genre)
        let roles = Set(profile.instruments.map(\.role))
        #expect(profile.genre == genre)
        #expect(roles.contains(.lead))
        #expect(roles.contains(.bass))
        #expect(!roles.isDisjoint(with: [.drums, .percussion, .arpeggio]), "needs a drum or pulse part")
        #expect(profile.instruments.filter(\.instrument.isDrumKit).allSatisfy { [.drums, .percussion].contains($0.role) })
        #expect(profile.tempoRange.contains(profile.typicalBPM))
        #expect(PromptFacts.tempoRange.contains(profile.tempoRange.lowerBound))
        #expect(PromptFacts.tempoRange.contains(profile.tempoRange.upperBound))
        #expect(profile.lengthRange.lowerBound >= 150 && profile.lengthRange.upperBound <= 270)
        #expect(!profile.majorModes.isEmpty && profile.majorModes.allSatisfy { !$0.isMinor })
        #expect(!profile.minorModes.isEmpty && profile.minorModes.allSatisfy(\.isMinor))
        #expect(!profile.majorTonics.isEmpty && !profile.minorTonics.isEmpty)
        #expect((0...1).contains(profile.majorLean))
        for value in [profile.density, profile.brightness, profile.energy] { #expect((0...1).contains(value)) }
        #expect((0.5...0.67).contains(profile.swing.ratio))
        #expect(!profile.keywords.isEmpty)
    }

    @Test func profilesAreDistinct() {
        let profiles = Genre.allCases.map(GenreProfile.profile(for:))
        for (index, profile) in profiles.enumerated() {
            for other in profiles[(index + 1)...] {
                let sameSound = profile.instruments == other.instruments && profile.tempoRange == other.tempoRange
                #expect(!sameSound, "\(profile.genre) and \(other.genre)")
                #expect(profile.instruments != other.instruments, "\(profile.genre) and \(other.genre)")
            }
        }
    }

    /// The idioms the issue names explicitly.
    @Test func idiomaticProfiles() {
        let lofi = GenreProfile.profile(for: .lofi)
        #expect(lofi.tempoRange == 70...90)
        #expect(lofi.instruments.contains(InstrumentChoice(.rhodes, .chords)))
        #expect(lofi.swing.ratio > 0.5 && lofi.minorModes.contains(.dorian))
        #expect(GenreProfile.profile(for: .drumAndBass).tempoRange == 170...176)
        let trap = GenreProfile.profile(for: .trap)
        #expect(trap.tempoRange == 130...150 && trap.instruments.contains(InstrumentChoice(.bass808, .bass)))
        #expect(GenreProfile.profile(for: .house).tempoRange == 120...126)
        #expect(GenreProfile.profile(for: .techno).tempoRange == 125...135)
        #expect(GenreProfile.profile(for: .reggae).tempoRange == 70...90)
        let latin = GenreProfile.profile(for: .latin)
        #expect(latin.tempoRange == 110...140 && latin.instruments.contains { $0.instrument == .nylonGuitar })
        let orchestral = Set(GenreProfile.profile(for: .orchestral).instruments.map(\.instrument))
        #expect(orchestral.isSuperset(of: [.strings, .brassSection, .timpani]))
        let metal = GenreProfile.profile(for: .metal)
        #expect(metal.tempoRange == 90...180 && metal.instruments.contains { $0.instrument == .distortionGuitar })
        let disco = Set(GenreProfile.profile(for: .disco).instruments.map(\.instrument))
        #expect(disco.isSuperset(of: [.strings, .mutedGuitar]))
        let ambient = GenreProfile.profile(for: .ambient)
        #expect(ambient.tempoRange == 60...80 && ambient.instruments.contains { $0.role == .pad })
    }
}
