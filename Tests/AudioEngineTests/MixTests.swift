@testable import AudioEngine
import Composer
import Foundation
import Testing

@Suite("Mixing")
struct MixTests {
    private func sine(_ frequency: Double, frames: Int) -> [Float] {
        (0..<frames).map { Float(sin(2 * Double.pi * frequency * Double($0) / 44_100)) }
    }

    private func rms(_ values: ArraySlice<Float>) -> Double {
        (values.reduce(0) { $0 + Double($1 * $1) } / Double(max(1, values.count))).squareRoot()
    }

    private func filtered(_ frequency: Double, through filter: Biquad) -> Double {
        var filter = filter
        var left = sine(frequency, frames: 44_100), right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in filter.process(left: l.baseAddress!, right: r.baseAddress!, count: l.count) }
        }
        return rms(left[22_050...]) / rms(sine(frequency, frames: 44_100)[22_050...])
    }

    @Test func highPassCutsRumbleAndKeepsMids() {
        let highPass = Biquad.highPass(cutoff: 140, sampleRate: 44_100)
        #expect(filtered(35, through: highPass) < 0.1)     // more than 20 dB down two octaves below
        #expect(abs(filtered(1_000, through: highPass) - 1) < 0.05)
    }

    @Test func brightnessShelfTiltsTheTop() {
        let brighter = Biquad.highShelf(frequency: 3_500, gainDB: 6, sampleRate: 44_100)
        #expect(filtered(12_000, through: brighter) > 1.8)
        #expect(abs(filtered(200, through: brighter) - 1) < 0.05)
    }

    @Test func reverbLeavesAWideTailAfterTheSendStops() {
        let frames = 44_100 * 2
        var send = [Float](repeating: 0, count: frames)
        for index in 0..<2_205 { send[index] = index % 2 == 0 ? 0.5 : -0.5 }  // 50 ms burst
        var left = [Float](repeating: 0, count: frames), right = left
        send.withUnsafeBufferPointer { s in
            left.withUnsafeMutableBufferPointer { l in
                right.withUnsafeMutableBufferPointer { r in
                    Reverb().process(send: s.baseAddress!, frames: frames, sampleRate: 44_100, addingTo: l.baseAddress!, r.baseAddress!)
                }
            }
        }
        let tail = rms(left[22_050..<44_100])  // 0.5 s to 1 s after the burst
        #expect(tail > 1e-4)
        #expect(rms(left[66_150...]) < tail)    // and it decays
        #expect(left != right)                  // decorrelated channels: a stereo room
    }

    @Test func compressorReducesLoudPeaksMoreThanQuietOnes() {
        var compressor = Compressor(thresholdDB: -18, ratio: 4, attackMs: 1, releaseMs: 50, makeupDB: 0, sampleRate: 44_100)
        var left = sine(100, frames: 44_100).map { $0 * 0.9 }, right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in compressor.process(left: l.baseAddress!, right: r.baseAddress!, count: l.count) }
        }
        let gain = rms(left[22_050...]) / rms(sine(100, frames: 44_100).map { $0 * 0.9 }[22_050...])
        // 17 dB over the threshold at 4:1 is ~12.8 dB of reduction.
        #expect(gain < 0.35 && gain > 0.15, "gain \(gain)")
    }

    @Test func hardPanLeftSilencesTheRightChannel() {
        var strip = ChannelStrip(mix: PartMix(gainDB: 0, pan: -1, reverb: 0), role: .lead, sampleRate: 44_100)
        let bus = MixBus(frames: 4_096)
        var left = sine(440, frames: 4_096), right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                strip.process(left: l.baseAddress!, right: r.baseAddress!, count: 4_096, into: bus, at: 0)
            }
        }
        let busLeft = Array(UnsafeBufferPointer(start: bus.left, count: 4_096))
        let busRight = Array(UnsafeBufferPointer(start: bus.right, count: 4_096))
        #expect(rms(busLeft[2_048...]) > 0.5)
        #expect(rms(busRight[...]) == 0)
        #expect(Array(UnsafeBufferPointer(start: bus.send, count: 4_096)).allSatisfy { $0 == 0 })
    }
}
