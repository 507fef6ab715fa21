@testable import AudioEngine
import Foundation
import Testing

@Suite("Mastering")
struct MasterTests {
    private func expectMastered(_ input: StereoBuffer) throws {
        let mastered = try Mastering().master(input)
        let measured = try LoudnessMeasurement(measuring: mastered.buffer, truePeak: true)
        #expect(abs(measured.integratedLUFS - -14) <= 1, "integrated \(measured.integratedLUFS) LUFS")
        let truePeak = try #require(measured.truePeakDBTP)
        #expect(truePeak <= -1, "true peak \(truePeak) dBTP")
        #expect(mastered.buffer.samplePeak < 0.999)
        #expect(mastered.buffer.frames == input.frames)
        // The report agrees with an independent measurement.
        #expect(abs(mastered.report.outputLUFS - measured.integratedLUFS) < 0.2)
    }

    @Test func loudInputIsBroughtDownAndLimited() throws {
        // Peaks well above full scale (a float mix can exceed 1): loud and clipping-prone.
        let loud = TestSignal.music(seconds: 12, level: 1.8)
        let before = try LoudnessMeasurement(measuring: loud, truePeak: false)
        #expect(before.integratedLUFS > -10)
        try expectMastered(loud)
    }

    @Test func quietInputIsBroughtUpWithoutOvershooting() throws {
        let quiet = TestSignal.music(seconds: 12, level: 0.01)
        let before = try LoudnessMeasurement(measuring: quiet, truePeak: false)
        #expect(before.integratedLUFS < -35)
        try expectMastered(quiet)
    }

    @Test func interSamplePeaksAreCaught() throws {
        // A tone at a quarter of the sample rate, sampled 45 degrees off its crests: every sample is at 0.707 of
        // the true peak, so only an oversampling detector sees how loud it really is.
        let frames = 44_100 * 6
        var buffer = StereoBuffer(frames: frames)
        for frame in 0..<frames {
            let value = Float(sin(Double.pi / 2 * Double(frame) + Double.pi / 4))
            buffer.left[frame] = value
            buffer.right[frame] = value
        }
        let limited = TruePeakLimiter(ceilingDBTP: -3).process(buffer, gain: 1)
        let measured = try LoudnessMeasurement(measuring: limited, truePeak: true)
        #expect(try #require(measured.truePeakDBTP) <= -2.7)
        // A sample-peak limiter would have left it alone (samples are only at -3 dBFS).
        #expect(limited.samplePeak < 0.6)
    }

    @Test func silenceIsLeftAlone() throws {
        let silence = StereoBuffer(frames: 44_100 * 2)
        let mastered = try Mastering().master(silence)
        #expect(mastered.buffer.samplePeak == 0)
        #expect(!mastered.report.outputLUFS.isFinite)
    }

    @Test func meterMatchesAKnownReference() throws {
        // EBU Tech 3341 case 1: a 1 kHz sine at -23 dBFS in both channels reads -23 LUFS.
        let frames = 44_100 * 20
        var buffer = StereoBuffer(frames: frames)
        let amplitude = Float(pow(10, -23.0 / 20))
        for frame in 0..<frames {
            let value = amplitude * Float(sin(2 * Double.pi * 1000 * Double(frame) / 44_100))
            buffer.left[frame] = value
            buffer.right[frame] = value
        }
        let measured = try LoudnessMeasurement(measuring: buffer, truePeak: true)
        #expect(abs(measured.integratedLUFS - -23) < 0.1)
        #expect(abs(try #require(measured.truePeakDBTP) - -23) < 0.1)
    }
}
