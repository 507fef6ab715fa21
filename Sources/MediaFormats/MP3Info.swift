import Foundation

/// What an MP3 file says about itself, read from its own bytes: MPEG frame headers and, when present, the
/// Xing/Info (with LAME's gapless delay and padding) or VBRI header of the first frame.
///
/// Cloud providers report durations too, but a track's `duration` must describe the file that is served, so it
/// is measured here instead of trusted.
public struct MP3Info: Sendable, Hashable {
    public enum Version: Sendable, Hashable { case mpeg1, mpeg2, mpeg25 }
    /// Where the duration came from.
    public enum Source: Sendable, Hashable {
        /// The Xing/Info header's frame count (minus LAME's encoder delay and padding when the tag has them).
        case xingHeader
        /// The Fraunhofer VBRI header's frame count.
        case vbriHeader
        /// Every frame header walked and its samples added up (CBR files, or headers that give no count).
        case frameWalk
    }

    public var durationSeconds: Double
    public var sampleRate: Int
    public var channels: Int
    public var version: Version
    public var layer: Int
    /// Audio frames (the Xing/Info frame itself not counted).
    public var frameCount: Int
    public var source: Source

    /// Measures `data`; throws when it holds no run of valid MPEG audio frames.
    public init(measuring data: Data) throws(MP3Error) {
        guard !data.isEmpty else { throw MP3Error.empty }
        let bytes = [UInt8](data)
        let end = Self.audioEnd(bytes)
        guard let first = Self.firstFrame(bytes, from: Self.afterID3v2Tags(bytes), end: end) else {
            throw MP3Error.noFrames(detected: AudioFormat(sniffing: data))
        }
        let header = first.header
        sampleRate = header.sampleRate
        channels = header.channelMode == 3 ? 1 : 2
        version = header.version
        layer = header.layer

        if let tag = XingTag(bytes, frameAt: first.offset, header: header), let frames = tag.frames, frames > 0 {
            let samples = max(0, frames * header.samplesPerFrame - tag.delay - tag.padding)
            frameCount = frames
            durationSeconds = Double(samples) / Double(header.sampleRate)
            source = .xingHeader
            return
        }
        if let frames = Self.vbriFrames(bytes, frameAt: first.offset), frames > 0 {
            frameCount = frames
            durationSeconds = Double(frames * header.samplesPerFrame) / Double(header.sampleRate)
            source = .vbriHeader
            return
        }
        // Walk the frames; a leading Info frame without a count carries no audio.
        var offset = first.offset
        var frames = 0
        var samples = 0
        if XingTag(bytes, frameAt: first.offset, header: header) != nil { offset += header.length }
        while offset + 4 <= end, let frame = FrameHeader(bytes, at: offset), offset + frame.length <= end {
            frames += 1
            samples += frame.samplesPerFrame
            offset += frame.length
        }
        guard frames > 0 else { throw MP3Error.noFrames(detected: .mp3) }
        frameCount = frames
        durationSeconds = Double(samples) / Double(header.sampleRate)
        source = .frameWalk
    }

    // MARK: - Tags around the audio

    /// Skips any ID3v2 tags at the start (10-byte header, sync-safe size, optional 10-byte footer).
    static func afterID3v2Tags(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset + 10 <= bytes.count, bytes[offset] == 0x49, bytes[offset + 1] == 0x44, bytes[offset + 2] == 0x33 {
            let size = bytes[(offset + 6)...(offset + 9)].reduce(0) { $0 << 7 | Int($1 & 0x7F) }
            let footer = bytes[offset + 5] & 0x10 != 0 ? 10 : 0
            offset += 10 + size + footer
        }
        return min(offset, bytes.count)
    }

    /// Where the audio ends: before an ID3v1 tag ("TAG", last 128 bytes) and an APEv2 tag ("APETAGEX" footer).
    static func audioEnd(_ bytes: [UInt8]) -> Int {
        var end = bytes.count
        if end >= 128, bytes[end - 128] == 0x54, bytes[end - 127] == 0x41, bytes[end - 126] == 0x47 { end -= 128 }
        if end >= 32, Array(bytes[(end - 32)..<(end - 24)]) == Array("APETAGEX".utf8) {
            let size = bytes[(end - 20)..<(end - 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
            let hasHeader = bytes[end - 9] & 0x80 != 0
            end -= size + (hasHeader ? 32 : 0)
        }
        return max(end, 0)
    }

    /// The first offset holding a frame header that is followed by another frame of the same stream (or by the
    /// end of the audio): one matching header alone is too easily found in random bytes.
    static func firstFrame(_ bytes: [UInt8], from start: Int, end: Int) -> (offset: Int, header: FrameHeader)? {
        var offset = start
        while offset + 4 <= end {
            if bytes[offset] == 0xFF, let header = FrameHeader(bytes, at: offset) {
                let next = offset + header.length
                if next == end || (next + 4 <= end && FrameHeader(bytes, at: next)?.isSameStream(as: header) == true) {
                    return (offset, header)
                }
            }
            offset += 1
        }
        return nil
    }

    /// The frame count of a Fraunhofer VBRI header (32 bytes after the frame header).
    static func vbriFrames(_ bytes: [UInt8], frameAt offset: Int) -> Int? {
        let tag = offset + 36
        guard tag + 18 <= bytes.count, Array(bytes[tag..<(tag + 4)]) == Array("VBRI".utf8) else { return nil }
        return bigEndian(bytes, at: tag + 14, count: 4)
    }
}

/// Why a file could not be measured as MP3.
public enum MP3Error: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    /// No MPEG audio frames; `detected` names what the bytes look like instead.
    case noFrames(detected: AudioFormat)

    public var description: String {
        switch self {
        case .empty: "the audio file is empty"
        case .noFrames(.mp3): "the file starts like an MP3 but holds no complete MPEG audio frame"
        case .noFrames(let format): "the file is not MP3 audio (it looks like \(format.name))"
        }
    }
}

/// The container an audio file's first bytes announce.
public enum AudioFormat: Sendable, Hashable {
    case mp3, wav, flac, ogg, mp4, unknown

    public init(sniffing data: Data) {
        let head = [UInt8](data.prefix(12))
        func starts(_ text: String, at offset: Int = 0) -> Bool {
            let pattern = Array(text.utf8)
            return head.count >= offset + pattern.count && Array(head[offset..<(offset + pattern.count)]) == pattern
        }
        if starts("RIFF") && starts("WAVE", at: 8) {
            self = .wav
        } else if starts("fLaC") {
            self = .flac
        } else if starts("OggS") {
            self = .ogg
        } else if starts("ftyp", at: 4) {
            self = .mp4
        } else if starts("ID3") || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
            self = .mp3
        } else {
            self = .unknown
        }
    }

    public var name: String {
        switch self {
        case .mp3: "MP3"
        case .wav: "WAV"
        case .flac: "FLAC"
        case .ogg: "Ogg"
        case .mp4: "MP4/AAC"
        case .unknown: "raw or unknown data, e.g. PCM"
        }
    }
}

/// One MPEG audio frame header (4 bytes).
struct FrameHeader: Sendable, Hashable {
    var version: MP3Info.Version
    var layer: Int
    var bitrate: Int
    var sampleRate: Int
    var padding: Int
    var channelMode: Int

    init?(_ bytes: [UInt8], at offset: Int) {
        guard offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
        let b1 = bytes[offset + 1], b2 = bytes[offset + 2], b3 = bytes[offset + 3]
        switch (b1 >> 3) & 3 {
        case 0: version = .mpeg25
        case 2: version = .mpeg2
        case 3: version = .mpeg1
        default: return nil
        }
        switch (b1 >> 1) & 3 {
        case 1: layer = 3
        case 2: layer = 2
        case 3: layer = 1
        default: return nil
        }
        let bitrateIndex = Int(b2 >> 4), rateIndex = Int((b2 >> 2) & 3)
        // Free-format (index 0) streams carry no frame length in the header; index 15 and rate 3 are invalid;
        // emphasis 2 is reserved and marks a false sync.
        guard bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3, b3 & 3 != 2 else { return nil }
        bitrate = Self.kilobits(version: version, layer: layer)[bitrateIndex] * 1000
        let rates = [44_100, 48_000, 32_000]
        switch version {
        case .mpeg1: sampleRate = rates[rateIndex]
        case .mpeg2: sampleRate = rates[rateIndex] / 2
        case .mpeg25: sampleRate = rates[rateIndex] / 4
        }
        padding = Int((b2 >> 1) & 1)
        channelMode = Int(b3 >> 6)
    }

    var samplesPerFrame: Int {
        switch layer {
        case 1: 384
        case 2: 1152
        default: version == .mpeg1 ? 1152 : 576
        }
    }

    /// Bytes in the frame, header included.
    var length: Int {
        switch layer {
        case 1: (12 * bitrate / sampleRate + padding) * 4
        case 2: 144 * bitrate / sampleRate + padding
        default: (version == .mpeg1 ? 144 : 72) * bitrate / sampleRate + padding
        }
    }

    /// Bytes of Layer III side information after the header (where a Xing/Info tag starts).
    var sideInformationLength: Int {
        switch (version, channelMode == 3) {
        case (.mpeg1, true): 17
        case (.mpeg1, false): 32
        case (_, true): 9
        case (_, false): 17
        }
    }

    func isSameStream(as other: FrameHeader) -> Bool {
        version == other.version && layer == other.layer && sampleRate == other.sampleRate
    }

    private static func kilobits(version: MP3Info.Version, layer: Int) -> [Int] {
        switch (version, layer) {
        case (.mpeg1, 1): [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0]
        case (.mpeg1, 2): [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0]
        case (.mpeg1, _): [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0]
        case (_, 1): [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0]
        default: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0]
        }
    }
}

/// The Xing/Info tag in the first frame of a VBR (Xing) or CBR (Info) file, with the LAME extension's encoder
/// delay and padding when an encoder wrote them (LAME, and ffmpeg's "Lavc"/"Lavf", use the same layout).
struct XingTag {
    var frames: Int?
    var delay = 0
    var padding = 0

    init?(_ bytes: [UInt8], frameAt offset: Int, header: FrameHeader) {
        guard header.layer == 3 else { return nil }
        var position = offset + 4 + header.sideInformationLength
        guard position + 8 <= bytes.count else { return nil }
        let name = Array(bytes[position..<(position + 4)])
        guard name == Array("Xing".utf8) || name == Array("Info".utf8) else { return nil }
        let flags = bigEndian(bytes, at: position + 4, count: 4)
        position += 8
        if flags & 1 != 0 {
            guard position + 4 <= bytes.count else { return nil }
            frames = bigEndian(bytes, at: position, count: 4)
            position += 4
        }
        if flags & 2 != 0 { position += 4 }  // byte count
        if flags & 4 != 0 { position += 100 }  // seek table
        if flags & 8 != 0 { position += 4 }  // quality
        // The LAME extension: 9 bytes of encoder name, ..., delay and padding as two 12-bit numbers at +21.
        guard position + 24 <= bytes.count else { return }
        let encoder = String(decoding: bytes[position..<(position + 4)], as: UTF8.self)
        guard ["LAME", "Lavc", "Lavf"].contains(encoder) else { return }
        let packed = bigEndian(bytes, at: position + 21, count: 3)
        delay = packed >> 12
        padding = packed & 0xFFF
    }
}

func bigEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> Int {
    bytes[offset..<(offset + count)].reduce(0) { $0 << 8 | Int($1) }
}
