import AudioEngine
import Composer
import Foundation
import LocalEngine
import MusicTestSupport
import MusicTheory
import SongBrief

/// Hand-made songs for the audio tests, independent of the composer: a drum kit, a bass and a piano playing a
/// I-vi-IV-V loop, plus helpers to turn a Score into a Performance the simple way.
enum TestSong {
    static var soundFont: SoundFontLocation {
        SoundFontLocation(
            path: ProcessInfo.processInfo.environment["TUNESMITH_TEST_SOUNDFONT"] ?? "/usr/share/sounds/sf2/TimGM6mb.sf2")
    }

    static func brief(bpm: Int = 120, key: Key = Key(.e, .minor), meter: Meter = .fourFour) -> Brief {
        Brief(
            prompt: "test song", genre: .pop, moods: [.upbeat], bpm: bpm, key: key, meter: meter,
            density: 0.5, brightness: 0.5, energy: 0.6, registerShift: 0,
            instruments: [InstrumentChoice(.drumKit, .drums), InstrumentChoice(.fingerBass, .bass),
                          InstrumentChoice(.acousticPiano, .chords)],
            requestedInstruments: [], targetSeconds: 30, lengthWasRequested: false,
            tempoWasRequested: false, keyWasRequested: false, meterWasRequested: false, seed: 1)
    }

    /// `bars` bars of 4/4: kick on 1 and 3, snare on 2 and 4, hats on eighths; root-note bass on every beat;
    /// a triad per bar on the piano.
    static func score(bars: Int = 4, bpm: Int = 120, key: Key = Key(.e, .minor)) -> Score {
        let brief = brief(bpm: bpm, key: key)
        let roots = [Pitch(.e, octave: 2), Pitch(.c, octave: 2), Pitch(.a, octave: 1), Pitch(.b, octave: 1)]
        let chords = [Chord(.e, .minor), Chord(.c, .major), Chord(.a, .minor), Chord(.b, .major)]
        var drums: [Note] = [], bass: [Note] = [], piano: [Note] = [], spans: [ChordSpan] = []
        for bar in 0..<bars {
            let barStart = Rational(bar * 4)
            for eighth in 0..<8 {
                let time = barStart + Rational(eighth, 2)
                drums.append(Note(start: time, duration: Rational(1, 2), pitch: Pitch(42), velocity: 70))
                if eighth % 4 == 0 { drums.append(Note(start: time, duration: Rational(1, 2), pitch: Pitch(36), velocity: 110)) }
                if eighth % 4 == 2 { drums.append(Note(start: time, duration: Rational(1, 2), pitch: Pitch(38), velocity: 100)) }
            }
            for beat in 0..<4 {
                bass.append(Note(start: barStart + Rational(beat), duration: Rational(3, 4), pitch: roots[bar % 4], velocity: 95))
            }
            let chord = chords[bar % 4]
            for pitchClass in chord.pitchClasses {
                piano.append(Note(start: barStart, duration: 4, pitch: Pitch(pitchClass, octave: 4), velocity: 80))
            }
            spans.append(ChordSpan(start: barStart, duration: 4, chord: chord))
        }
        let parts = [
            Part(name: "drums", instrument: .drumKit, role: .drums, notes: drums, mix: PartMix(gainDB: 0, pan: 0, reverb: 0.1)),
            Part(name: "bass", instrument: .fingerBass, role: .bass, notes: bass, mix: PartMix(gainDB: -2, pan: 0, reverb: 0)),
            Part(name: "piano", instrument: .acousticPiano, role: .chords, notes: piano,
                 mix: PartMix(gainDB: -4, pan: -0.3, reverb: 0.3, brightness: 0.6)),
        ]
        let half = bars / 2
        let sections = [
            Section(kind: .verse, label: "Verse 1", startBar: 0, bars: half),
            Section(kind: .chorus, label: "Chorus 1", startBar: half, bars: bars - half),
        ]
        return Score(brief: brief, title: "Test Song", sections: sections, chords: spans, parts: parts, length: Rational(bars * 4))
    }

    /// The score played exactly as written, with one second of ring-out.
    static func performance(of score: Score) -> Performance {
        let parts = score.parts.map { part in
            PerformedPart(
                name: part.name, instrument: part.instrument, role: part.role, mix: part.mix,
                notes: part.notes.map {
                    PerformedNote(start: score.seconds(at: $0.start), duration: score.seconds(at: $0.duration), key: $0.pitch.midi, velocity: $0.velocity)
                }.sorted { $0.start < $1.start })
        }
        return Performance(parts: parts, durationSeconds: score.durationSeconds + 1)
    }

    static func renderer(workers: Int = 2) -> SongRenderer {
        SongRenderer(soundFont: soundFont, workers: workers)
    }
}

/// Test signals.
enum TestSignal {
    /// A deterministic noisy signal at roughly `level` peak amplitude: noise plus a 220 Hz tone, with bursts.
    static func music(seconds: Double, level: Float, sampleRate: Int = 44_100) -> StereoBuffer {
        let frames = Int(seconds * Double(sampleRate))
        var buffer = StereoBuffer(frames: frames, sampleRate: sampleRate)
        var state: UInt64 = 0x1234_5678
        func noise() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 2_000_000 - 0.5
        }
        for frame in 0..<frames {
            let t = Double(frame) / Double(sampleRate)
            let burst: Float = (Int(t * 4) % 4 == 0) ? 1 : 0.35  // a loud quarter-second every second
            let tone = Float(sin(2 * Double.pi * 220 * t))
            buffer.left[frame] = level * burst * (0.6 * tone + 0.8 * noise())
            buffer.right[frame] = level * burst * (0.6 * tone + 0.8 * noise())
        }
        return buffer
    }
}

extension PromptSongWriter {
    /// The standard song writer on the tests' shared pronouncing dictionary.
    static func onTestDictionary() throws -> PromptSongWriter {
        PromptSongWriter(dictionary: PronouncingDictionaryLoader(try TestDictionary.load()))
    }
}
