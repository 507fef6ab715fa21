import Composer

/// A note-on or note-off at an exact frame of the render.
struct NoteEvent: Hashable {
    var frame: Int
    var key: Int
    /// 0 for note-off.
    var velocity: Int

    var isNoteOn: Bool { velocity > 0 }

    /// The part's notes as frame-exact events within `frames`, ordered by frame with note-offs before note-ons
    /// at the same frame (so a repeated key restarts instead of being cut by its own previous note).
    static func events(for part: PerformedPart, sampleRate: Int, frames: Int) -> [NoteEvent] {
        var events: [NoteEvent] = []
        events.reserveCapacity(part.notes.count * 2)
        let rate = Double(sampleRate)
        for note in part.notes where note.duration > 0 && note.start.isFinite && note.duration.isFinite {
            let start = Int((max(0, note.start) * rate).rounded())
            guard start < frames, (0...127).contains(note.key) else { continue }
            let end = min(frames - 1, max(start + 1, Int(((note.start + note.duration) * rate).rounded())))
            events.append(NoteEvent(frame: start, key: note.key, velocity: min(127, max(1, note.velocity))))
            events.append(NoteEvent(frame: end, key: note.key, velocity: 0))
        }
        events.sort { a, b in
            a.frame != b.frame ? a.frame < b.frame : (!a.isNoteOn && b.isNoteOn)
        }
        return events
    }

    /// Rough cost of rendering a part: voice-seconds (each note plus a typical release tail). Used to balance
    /// parts across worker threads, longest first.
    static func estimatedCost(of part: PerformedPart) -> Double {
        part.notes.reduce(0) { $0 + max(0, $1.duration) + 0.4 }
    }
}
