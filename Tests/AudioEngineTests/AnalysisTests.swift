import AudioAnalysis
import Foundation
import Testing

@Suite("Audio analysis on synthetic signals")
struct AnalysisTests {
    let analyzer = AudioAnalyzer()

    /// True when `measured` is within `tolerance` of `expected`, or of half or double it.
    static func tempoMatches(_ measured: Double, _ expected: Double, tolerance: Double = 0.02) -> Bool {
        [1.0, 2, 0.5].contains { abs(measured / (expected * $0) - 1) <= tolerance }
    }

    @Test("tempo of a kick/tick pulse", arguments: [92.0, 120, 174])
    func tempoOfPulse(bpm: Double) throws {
        let estimate = try analyzer.tempoEstimate(AnalysisSignals.pulse(bpm: bpm, seconds: 30))
        #expect(Self.tempoMatches(estimate.bpm, bpm), "measured \(estimate.bpm) for \(bpm) bpm: \(estimate)")
    }

    @Test("tempo is not fooled by a pulse off by 5 %")
    func tempoDistinguishesCloseTempi() throws {
        let measured = try analyzer.tempo(AnalysisSignals.pulse(bpm: 126, seconds: 30))
        #expect(!Self.tempoMatches(measured, 120))
        #expect(Self.tempoMatches(measured, 126))
    }

    @Test("I-IV-V-I in E major reads as E major")
    func keyOfMajorCadence() throws {
        // E2 bass under each triad: E-G#-B, A-C#-E, B-D#-F#, E-G#-B.
        let progression = [[40, 64, 68, 71], [45, 64, 69, 73], [47, 63, 66, 71], [40, 64, 68, 71]]
        let key = try analyzer.key(AnalysisSignals.chords(progression, secondsPerChord: 2, repeats: 2))
        #expect(key.tonic == 4 && !key.isMinor, "got \(key.best), runner-up \(key.runnerUp)")
    }

    @Test("i-iv-V-i in F# minor reads as F# minor")
    func keyOfMinorCadence() throws {
        // F#m (F#-A-C#), Bm (B-D-F#), C# (C#-E#-G#), F#m, each over its root in the bass.
        let progression = [[42, 66, 69, 73], [47, 66, 71, 74], [49, 65, 68, 73], [42, 66, 69, 73]]
        let key = try analyzer.key(AnalysisSignals.chords(progression, secondsPerChord: 2, repeats: 2))
        #expect(key.tonic == 6 && key.isMinor, "got \(key.best), runner-up \(key.runnerUp)")
        #expect(key.correlation > key.runnerUp.correlation)
    }

    @Test("a -20 dBFS 997 Hz stereo sine measures as BS.1770 predicts")
    func loudnessOfSine() throws {
        let amplitude = pow(10, -20.0 / 20)
        let sine = AnalysisSignals.sine(hz: 997, amplitude: amplitude, seconds: 10, channels: 2, sampleRate: 48_000)
        let report = try analyzer.loudness(sine)
        // Per BS.1770: L = -0.691 + 10 log10(sum over channels of the K-weighted mean square). A sine's mean square
        // is A^2/2, scaled by the K-filter's power gain at 997 Hz, and both channels count once.
        let gain = Self.kWeightingPowerGain(hz: 997)
        let expected = -0.691 + 10 * log10(2 * amplitude * amplitude / 2 * gain)
        #expect(abs(report.integratedLUFS - expected) < 0.05, "measured \(report.integratedLUFS), expected \(expected)")
        #expect(abs(report.truePeakDBTP - -20) < 0.1, "true peak \(report.truePeakDBTP)")
        #expect(report.samplePeakDBFS <= -20 + 1e-3 && report.samplePeakDBFS > -20.05)
        #expect(report.truePeakDBTP >= report.samplePeakDBFS - 1e-6)
        #expect(report.clippedSamples == 0)
    }

    @Test("clipped samples are counted")
    func clippingIsCounted() throws {
        var hot = AnalysisSignals.sine(hz: 100, amplitude: 1.5, seconds: 1, channels: 2, sampleRate: 44_100)
        hot.samples = hot.samples.map { max(-1, min(1, $0)) }
        let report = try analyzer.loudness(hot)
        // Over half of each cycle of a 1.5-amplitude sine sits beyond full scale.
        #expect(report.clippedSamples > hot.samples.count / 2)
        #expect(report.samplePeakDBFS > -0.01)
    }

    @Test("an inserted 2 s silence is one gap at the right time; edges and short pauses are not gaps")
    func silenceGap() throws {
        let tone = { (seconds: Double) in
            AnalysisSignals.chords([[57, 61, 64]], secondsPerChord: seconds, repeats: 1)
        }
        let audio = AnalysisSignals.concatenate([
            AnalysisSignals.silence(seconds: 1), tone(4), AnalysisSignals.silence(seconds: 2), tone(3),
            AnalysisSignals.silence(seconds: 1), tone(3), AnalysisSignals.silence(seconds: 2.5),
        ])
        let gaps = analyzer.silenceGaps(audio, floorDB: -50, minGap: 1.5)
        try #require(gaps.count == 1, "gaps: \(gaps)")
        // The tone's 50 ms release ends the sound slightly before the silence starts.
        #expect(abs(gaps[0].start - 5) < 0.1, "gap starts at \(gaps[0].start)")
        #expect(abs(gaps[0].duration - 2) < 0.1, "gap lasts \(gaps[0].duration)")
    }

    @Test("pitch track of a 440 Hz tone")
    func pitchOfTone() throws {
        let tone = AnalysisSignals.sine(hz: 440, amplitude: 0.3, seconds: 3, channels: 1, sampleRate: 44_100)
        let frames = try analyzer.pitchTrack(tone)
        let confident = frames.filter { $0.confidence > 0.8 }.map(\.frequency).sorted()
        try #require(confident.count > frames.count / 2, "only \(confident.count) of \(frames.count) frames voiced")
        let median = confident[confident.count / 2]
        #expect(abs(median / 440 - 1) < 0.01, "median pitch \(median) Hz")
    }

    @Test("WAV files round-trip as 16-bit PCM and 32-bit float", arguments: [false, true])
    func wavRoundTrip(float: Bool) throws {
        let sine = AnalysisSignals.sine(hz: 330, amplitude: 0.5, seconds: 0.5, channels: 2, sampleRate: 48_000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-\(UUID().uuidString).wav")
        defer { try? FileManager.default.removeItem(at: url) }
        try AnalysisSignals.wavData(sine, float: float).write(to: url)
        let read = try AudioBuffer.readWAV(url: url)
        #expect(read.channels == 2 && read.sampleRate == 48_000 && read.samples.count == sine.samples.count)
        let worst = zip(read.samples, sine.samples).map { abs($0 - $1) }.max() ?? 1
        #expect(worst <= (float ? 0 : 1.0 / 32768))
        #expect(abs(analyzer.duration(read) - 0.5) < 1e-9)
    }

    @Test("bad input is an error, not a crash")
    func badInput() throws {
        #expect(throws: WAVReadError.notRIFFWave) { try AudioBuffer.decodeWAV(Data("not a wav".utf8)) }
        var header = AnalysisSignals.wavData(AnalysisSignals.silence(seconds: 0.01), float: false)
        header[20] = 85  // format tag 85: MPEG layer 3 inside WAV
        #expect(throws: WAVReadError.self) { try AudioBuffer.decodeWAV(header) }
        let empty = AudioBuffer(samples: [], channels: 2, sampleRate: 44_100)
        #expect(throws: AudioAnalysisError.emptyAudio) { try analyzer.loudness(empty) }
        #expect(throws: AudioAnalysisError.self) { try analyzer.tempo(AudioBuffer(samples: [0], channels: 0, sampleRate: 44_100)) }
    }

    /// Power gain of the BS.1770 K-weighting filter (48 kHz coefficients from the standard) at `hz`.
    static func kWeightingPowerGain(hz: Double) -> Double {
        let shelf = (b: [1.53512485958697, -2.69169618940638, 1.19839281085285], a: [1, -1.69065929318241, 0.73248077421585])
        let highPass = (b: [1.0, -2, 1], a: [1, -1.99004745483398, 0.99007225036621])
        let omega = 2 * Double.pi * hz / 48_000
        func response(_ c: [Double]) -> (re: Double, im: Double) {
            (c[0] + c[1] * cos(-omega) + c[2] * cos(-2 * omega), c[1] * sin(-omega) + c[2] * sin(-2 * omega))
        }
        func power(_ z: (re: Double, im: Double)) -> Double { z.re * z.re + z.im * z.im }
        return power(response(shelf.b)) / power(response(shelf.a)) * power(response(highPass.b)) / power(response(highPass.a))
    }
}
