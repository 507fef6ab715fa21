import Foundation
import MediaFormats
import ProviderFakes
import Testing

/// Durations are measured from the MP3 itself: files made by our own encoder, and the odd shapes providers and
/// tools produce (tags before and after, junk, no Xing header, other MPEG versions and layers, truncation).
@Suite("MP3 duration")
struct MP3InfoTests {
    static let toneSeconds = 2.5
    static let tone: Data = { (try? ToneMP3.make(seconds: toneSeconds)) ?? Data() }()

    @Test(arguments: [1.0, 2.5, 7.3])
    func encoderOutputMeasuresItsExactLength(seconds: Double) throws {
        let info = try MP3Info(measuring: try ToneMP3.make(seconds: seconds))
        #expect(info.source == .xingHeader)
        #expect(info.sampleRate == 44_100 && info.channels == 2 && info.layer == 3 && info.version == .mpeg1)
        // LAME's gapless tag (encoder delay and padding) makes it exact to the sample.
        #expect(abs(info.durationSeconds - seconds) < 0.001, "\(info.durationSeconds) s for \(seconds) s")
    }

    @Test func tagsBeforeAndAfterTheAudioChangeNothing() throws {
        let plain = try MP3Info(measuring: Self.tone)
        var id3v2 = Data("ID3".utf8) + Data([4, 0, 0x10])  // v2.4 with a footer
        id3v2 += Data([0, 0, 2, 0])  // sync-safe size 256
        id3v2 += Data(repeating: 0x41, count: 256) + Data("3DI".utf8) + Data(repeating: 0, count: 7)
        var ape = Data("APETAGEX".utf8) + Data([0xD0, 0x07, 0, 0])  // version 2000
        ape += Data([32, 0, 0, 0]) + Data([0, 0, 0, 0]) + Data([0, 0, 0, 0]) + Data(repeating: 0, count: 8)
        let id3v1 = Data("TAG".utf8) + Data(repeating: 0x20, count: 125)
        let tagged = id3v2 + Self.tone + ape + id3v1
        let info = try MP3Info(measuring: tagged)
        #expect(info.durationSeconds == plain.durationSeconds)
        #expect(info.frameCount == plain.frameCount)
    }

    @Test func junkBeforeTheFirstFrameIsSkipped() throws {
        // Bytes that look like a sync word but are not followed by another frame.
        let junk = Data([0x00, 0xFF, 0xFB, 0x90, 0x64, 0x13, 0x37, 0xFF, 0xE0, 0x00]) + Data(repeating: 0x55, count: 300)
        let info = try MP3Info(measuring: junk + Self.tone)
        #expect(abs(info.durationSeconds - Self.toneSeconds) < 0.001)
    }

    @Test func withoutTheXingFrameEveryFrameIsCounted() throws {
        let bytes = [UInt8](Self.tone)
        let first = try #require(FrameHeaderProbe(bytes, at: 0))
        let stripped = Data(bytes[first.length...])
        let info = try MP3Info(measuring: stripped)
        #expect(info.source == .frameWalk)
        // Without the gapless tag the encoder's delay and padding count too: at most three frames more.
        #expect(info.durationSeconds >= Self.toneSeconds && info.durationSeconds < Self.toneSeconds + 3 * 1152 / 44_100.0)
    }

    @Test func aTruncatedLastFrameIsIgnored() throws {
        let bytes = [UInt8](Self.tone)
        let first = try #require(FrameHeaderProbe(bytes, at: 0))
        let stripped = Data(bytes[first.length..<(bytes.count - 100)])
        let whole = try MP3Info(measuring: Data(bytes[first.length...]))
        let cut = try MP3Info(measuring: stripped)
        #expect(cut.frameCount == whole.frameCount - 1)
    }

    @Test func constantBitrateMPEG2Layer3Mono() throws {
        // 24 kHz, 64 kbit/s, mono: 72 * 64000 / 24000 = 192 bytes, 576 samples per frame.
        let frames = 250
        let data = Self.frames(header: [0xFF, 0xF3, 0x84, 0xC0], length: 192, count: frames)
        let info = try MP3Info(measuring: data)
        #expect(info.version == .mpeg2 && info.layer == 3 && info.channels == 1 && info.sampleRate == 24_000)
        #expect(info.source == .frameWalk)
        #expect(abs(info.durationSeconds - Double(frames * 576) / 24_000) < 1e-9)
    }

    @Test func constantBitrateMPEG1Layer2() throws {
        // 48 kHz, 192 kbit/s, stereo: 144 * 192000 / 48000 = 576 bytes, 1152 samples per frame.
        let data = Self.frames(header: [0xFF, 0xFD, 0xA4, 0x00], length: 576, count: 100)
        let info = try MP3Info(measuring: data)
        #expect(info.layer == 2 && info.sampleRate == 48_000)
        #expect(abs(info.durationSeconds - 100 * 1152 / 48_000.0) < 1e-9)
    }

    @Test func aVBRIHeaderGivesTheFrameCount() throws {
        // MPEG-1 Layer III, 44.1 kHz, 128 kbit/s: 417 bytes; VBRI 32 bytes after the header.
        var first = [UInt8](repeating: 0, count: 417)
        first[0...3] = [0xFF, 0xFB, 0x90, 0x00]
        first[36...39] = ArraySlice(Array("VBRI".utf8))
        first[50...53] = [0, 0, 0x03, 0xE8]  // 1000 frames
        let data = Data(first) + Self.frames(header: [0xFF, 0xFB, 0x90, 0x00], length: 417, count: 10)
        let info = try MP3Info(measuring: data)
        #expect(info.source == .vbriHeader)
        #expect(info.frameCount == 1000)
        #expect(abs(info.durationSeconds - 1000 * 1152 / 44_100.0) < 1e-9)
    }

    @Test func otherFormatsAreNamed() throws {
        #expect(throws: MP3Error.noFrames(detected: .wav)) { try MP3Info(measuring: ToneMP3.wav()) }
        #expect(throws: MP3Error.empty) { try MP3Info(measuring: Data()) }
        #expect(throws: MP3Error.noFrames(detected: .unknown)) {
            try MP3Info(measuring: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) & 0x7F }))
        }
        #expect(AudioFormat(sniffing: Data("fLaC".utf8)) == .flac)
        #expect(AudioFormat(sniffing: Self.tone) == .mp3)
        #expect("\(MP3Error.noFrames(detected: .wav))".contains("WAV"))
    }

    static func frames(header: [UInt8], length: Int, count: Int) -> Data {
        var frame = [UInt8](repeating: 0, count: length)
        frame[0..<4] = ArraySlice(header)
        return Data((0..<count).flatMap { _ in frame })
    }
}

/// The length of the frame at `offset` (MPEG-1 Layer III only), read independently of `MP3Info`.
struct FrameHeaderProbe {
    var length: Int

    init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes[offset] == 0xFF, bytes[offset + 1] & 0xFE == 0xFA else { return nil }
        let bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0]
        let rates = [44_100, 48_000, 32_000, 0]
        let bitrate = bitrates[Int(bytes[offset + 2] >> 4)] * 1000
        let rate = rates[Int((bytes[offset + 2] >> 2) & 3)]
        guard bitrate > 0, rate > 0 else { return nil }
        length = 144 * bitrate / rate + Int((bytes[offset + 2] >> 1) & 1)
    }
}
