import Composer
import Foundation

/// The files of a song's stems, the same for the command line's `--stems DIR` and the API's stems zip: one
/// 16-bit WAV per part (`drums.wav`, `bass.wav` ..., the vocal alone as `vocals.wav`) and the sung melody as
/// `vocals.mid`. An instrumental has no vocal files.
public enum StemFiles {
    /// File name and bytes, sorted by name. `rendered` must come from a render with `RenderOutputs(stems: true)`.
    public static func files(of rendered: RenderedSong, score: Score) -> [ZipWriter.Entry] {
        var files = rendered.stems.map { ZipWriter.Entry(name: "\($0.key).wav", data: $0.value) }
        if let melody = vocalMIDI(score) { files.append(ZipWriter.Entry(name: "vocals.mid", data: melody)) }
        return files.sorted { $0.name < $1.name }
    }

    /// The sung melody alone (lead and backing vocal parts) as a MIDI file; nil for an instrumental.
    public static func vocalMIDI(_ score: Score) -> Data? {
        guard let vocal = score.vocal else { return nil }
        var melody = score
        melody.parts = vocal.parts
        return MIDIWriter.data(for: melody)
    }

    /// The stems as one zip (stored, see `ZipWriter`).
    public static func zip(of rendered: RenderedSong, score: Score) throws -> Data {
        try ZipWriter.archive(files(of: rendered, score: score))
    }
}
