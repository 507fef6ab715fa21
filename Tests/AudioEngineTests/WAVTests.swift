@testable import AudioEngine
import Foundation
import Testing

@Suite("WAV writer")
struct WAVTests {
    private func uint32(_ data: Data, _ offset: Int) -> UInt32 {
        data[offset..<(offset + 4)].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
    }

    private func uint16(_ data: Data, _ offset: Int) -> UInt16 {
        UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
    }

    @Test func headerDescribes16BitStereoPCM() {
        let buffer = StereoBuffer(frames: 1_000)
        let data = WAVWriter.data(for: buffer)
        #expect(data.count == 44 + 1_000 * 4)
        #expect(String(decoding: data[0..<4], as: UTF8.self) == "RIFF")
        #expect(uint32(data, 4) == UInt32(data.count - 8))
        #expect(String(decoding: data[8..<16], as: UTF8.self) == "WAVEfmt ")
        #expect(uint32(data, 16) == 16)
        #expect(uint16(data, 20) == 1)           // PCM
        #expect(uint16(data, 22) == 2)           // channels
        #expect(uint32(data, 24) == 44_100)
        #expect(uint32(data, 28) == 44_100 * 4)  // byte rate
        #expect(uint16(data, 32) == 4)           // block align
        #expect(uint16(data, 34) == 16)
        #expect(String(decoding: data[36..<40], as: UTF8.self) == "data")
        #expect(uint32(data, 40) == 4_000)
    }

    @Test func samplesAreInterleavedAndScaled() {
        let buffer = StereoBuffer(left: [0.5, -1.5], right: [-0.25, 1.0])
        let data = WAVWriter.data(for: buffer)
        let samples = stride(from: 44, to: data.count, by: 2).map { Int16(bitPattern: uint16(data, $0)) }
        #expect(samples.count == 4)
        #expect(abs(Int(samples[0]) - 16_384) <= 1)   // left 0.5
        #expect(abs(Int(samples[1]) + 8_192) <= 1)    // right -0.25
        #expect(samples[2] == -32_768)                // left -1.5 clamps
        #expect(samples[3] >= 32_766)                 // right 1.0
    }
}
