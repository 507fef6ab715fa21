import AudioEngine
import Foundation

/// Real audio for the fake providers to answer with: a two-note tone encoded by Tunesmith's own `MP3Encoder`,
/// so the whole pipeline (duration measurement, storage, links, playback) handles a genuine MP3.
public enum ToneMP3 {
    public static func make(seconds: Double) throws -> Data {
        let sampleRate = StereoBuffer.standardSampleRate
        let frames = Int(seconds * Double(sampleRate))
        var buffer = StereoBuffer(frames: frames, sampleRate: sampleRate)
        for frame in 0..<frames {
            let time = Double(frame) / Double(sampleRate)
            // A4 then E5, each half a second, with a short fade so the notes do not click.
            let pitch = Int(time * 2) % 2 == 0 ? 440.0 : 659.26
            let phase = time.truncatingRemainder(dividingBy: 0.5)
            let envelope = min(1, phase / 0.01, (0.5 - phase) / 0.01)
            let sample = Float(0.3 * envelope * sin(2 * .pi * pitch * time))
            buffer.left[frame] = sample
            buffer.right[frame] = sample
        }
        return try MP3Encoder.encode(buffer)
    }

    /// A short WAV file (what a provider might send when asked for MP3).
    public static func wav(seconds: Double = 1) -> Data {
        let sampleRate = 44_100, frames = Int(seconds * Double(sampleRate))
        var data = Data("RIFF".utf8)
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { data.append(contentsOf: $0) } }
        append32(36 + frames * 2)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(1)
        append16(1)
        append32(sampleRate)
        append32(sampleRate * 2)
        append16(2)
        append16(16)
        data.append(contentsOf: Array("data".utf8))
        append32(frames * 2)
        data.append(Data(count: frames * 2))
        return data
    }
}
