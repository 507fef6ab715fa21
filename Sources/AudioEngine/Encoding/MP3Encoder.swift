import CLame
import Foundation

/// MP3 encoding with LAME (the reference open MP3 encoder; nothing written by hand comes close on quality per
/// bit). One instance encodes one stream: it owns the `lame_t` and frees it on deinit.
///
/// VBR quality 2 (LAME's "-V2", ~190 kbit/s, transparent for most listeners). Algorithm quality 5 rather than
/// the CLI's default 3: -q 3 spends markedly more time in the psychoacoustic noise-shaping search (figures in
/// docs/modules/audio.md) for a difference that is inaudible at V2 (LAME's own docs call q5 "good speed,
/// reasonable quality"; V2's bit allocation already dominates quality), and encoding is the one stage of the
/// pipeline that cannot be split across cores without gaps at the seams.
public final class MP3Encoder {
    public static let defaultVBRQuality: Float = 2
    public static let defaultAlgorithmQuality: Int32 = 5
    private static let chunkFrames = 8_192

    private let flags: OpaquePointer
    private var output = Data()
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchSize: Int

    public init(
        sampleRate: Int = StereoBuffer.standardSampleRate, vbrQuality: Float = MP3Encoder.defaultVBRQuality,
        algorithmQuality: Int32 = MP3Encoder.defaultAlgorithmQuality
    ) throws {
        guard let flags = lame_init() else { throw RenderError.encoder("lame_init failed") }
        lame_set_in_samplerate(flags, Int32(sampleRate))
        lame_set_out_samplerate(flags, Int32(sampleRate))
        lame_set_num_channels(flags, 2)
        lame_set_mode(flags, JOINT_STEREO)
        lame_set_VBR(flags, vbr_mtrh)
        lame_set_VBR_quality(flags, vbrQuality)
        lame_set_quality(flags, algorithmQuality)
        // A Xing/LAME tag in the first frame lets players show the right duration and seek in a VBR file.
        lame_set_bWriteVbrTag(flags, 1)
        lame_set_write_id3tag_automatic(flags, 0)
        guard lame_init_params(flags) >= 0 else {
            lame_close(flags)
            throw RenderError.encoder("lame_init_params rejected the settings")
        }
        self.flags = flags
        // LAME's documented worst case: 1.25 * samples + 7200 bytes.
        scratchSize = Self.chunkFrames * 5 / 4 + 7_200
        scratch = .allocate(capacity: scratchSize)
    }

    deinit {
        lame_close(flags)
        scratch.deallocate()
    }

    /// Encodes a whole buffer to a finished MP3 file. `isCancelled` is checked between chunks.
    public static func encode(_ buffer: StereoBuffer, isCancelled: @Sendable () -> Bool = { false }) throws -> Data {
        let encoder = try MP3Encoder(sampleRate: buffer.sampleRate)
        try buffer.left.withUnsafeBufferPointer { left in
            try buffer.right.withUnsafeBufferPointer { right in
                guard let l = left.baseAddress, let r = right.baseAddress else { return }
                var start = 0
                while start < buffer.frames {
                    if isCancelled() { throw CancellationError() }
                    let count = min(chunkFrames, buffer.frames - start)
                    try encoder.append(left: l + start, right: r + start, count: count)
                    start += count
                }
            }
        }
        return try encoder.finish()
    }

    /// Encodes `count` frames (at most 8192 at a time) of float audio scaled to +-1.
    public func append(left: UnsafePointer<Float>, right: UnsafePointer<Float>, count: Int) throws {
        precondition(count <= Self.chunkFrames, "append at most \(Self.chunkFrames) frames at a time")
        let written = lame_encode_buffer_ieee_float(flags, left, right, Int32(count), scratch, Int32(scratchSize))
        guard written >= 0 else { throw RenderError.encoder("lame_encode_buffer_ieee_float returned \(written)") }
        output.append(scratch, count: Int(written))
    }

    /// Flushes the last frames, writes the VBR tag into the first frame, and returns the file.
    public func finish() throws -> Data {
        let written = lame_encode_flush(flags, scratch, Int32(scratchSize))
        guard written >= 0 else { throw RenderError.encoder("lame_encode_flush returned \(written)") }
        output.append(scratch, count: Int(written))
        let tagSize = lame_get_lametag_frame(flags, scratch, scratchSize)
        if tagSize > 0 && tagSize <= output.count {
            output.replaceSubrange(0..<tagSize, with: UnsafeBufferPointer(start: scratch, count: tagSize))
        }
        return output
    }
}
