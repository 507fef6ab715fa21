@testable import AudioEngine
import Foundation
import Testing

/// Walks MPEG-1 Layer III frame headers.
struct MP3Frames {
    var count = 0
    var sampleRates: Set<Int> = []
    var channelModes: Set<Int> = []
    var firstFrameHasVBRTag = false
    var trailingBytes = 0

    init(_ data: Data) {
        let bytes = [UInt8](data)
        let bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0]
        let rates = [44_100, 48_000, 32_000, 0]
        var position = 0
        while position + 4 <= bytes.count {
            let header = bytes[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            // Sync (11 bits), MPEG-1 (11), Layer III (01).
            guard header >> 21 == 0x7FF, (header >> 19) & 3 == 3, (header >> 17) & 3 == 1 else { break }
            let bitrate = bitrates[(header >> 12) & 0xF] * 1000
            let rate = rates[(header >> 10) & 3]
            guard bitrate > 0, rate > 0 else { break }
            let padding = (header >> 9) & 1
            let length = 144 * bitrate / rate + padding
            if count == 0 {
                let frame = bytes[position..<min(bytes.count, position + length)]
                let text = String(decoding: frame, as: UTF8.self)
                firstFrameHasVBRTag = text.contains("Xing") || text.contains("Info")
            }
            sampleRates.insert(rate)
            channelModes.insert((header >> 6) & 3)
            count += 1
            position += length
        }
        trailingBytes = bytes.count - position
    }
}

@Suite("MP3 encoder")
struct MP3Tests {
    @Test func framesAre44100StereoAndMatchTheLength() throws {
        let seconds = 5.0
        let buffer = TestSignal.music(seconds: seconds, level: 0.3)
        let mp3 = try MP3Encoder.encode(buffer)
        let frames = MP3Frames(mp3)
        #expect(frames.sampleRates == [44_100])
        #expect(!frames.channelModes.contains(3))  // 3 would be mono
        #expect(frames.trailingBytes == 0)
        #expect(frames.firstFrameHasVBRTag)
        // 1152 samples per frame, plus the VBR tag frame and encoder delay/padding.
        let expected = seconds * 44_100 / 1_152
        #expect(Double(frames.count) >= expected && Double(frames.count) <= expected + 4, "\(frames.count) frames")
        // V2 on noisy material: roughly 150-260 kbit/s.
        let kbps = Double(mp3.count * 8) / seconds / 1000
        #expect(kbps > 100 && kbps < 320, "\(kbps) kbit/s")
    }

    @Test func encodingIsDeterministic() throws {
        let buffer = TestSignal.music(seconds: 2, level: 0.3)
        #expect(try MP3Encoder.encode(buffer) == MP3Encoder.encode(buffer))
    }

    @Test func cancellationStopsEncoding() {
        let buffer = TestSignal.music(seconds: 2, level: 0.3)
        #expect(throws: CancellationError.self) { try MP3Encoder.encode(buffer, isCancelled: { true }) }
    }
}
