import Composer
import Foundation
import MusicTheory

/// Writes a Standard MIDI File (format 1, 480 ticks per quarter note) from the Score: the exact, unhumanised
/// notes, so the file is a clean starting point for editing in a DAW.
///
/// Track 1 is the conductor track (title, tempo, time signature, key signature, a marker per section); then one
/// track per part with its name, GM program, volume and pan, drums on channel 10. Ticks come straight from the
/// score's exact rational times.
public enum MIDIWriter {
    public static let ticksPerQuarter = 480
    static let drumChannel = 9

    public static func data(for score: Score) -> Data {
        var tracks = [conductorTrack(score)]
        var nextMelodicChannel = 0
        for part in score.parts {
            let channel: Int
            if part.instrument.isDrumKit {
                channel = drumChannel
            } else {
                channel = nextMelodicChannel
                // 15 melodic channels (channel 10 is the kit's); more parts than that share channels.
                nextMelodicChannel = (nextMelodicChannel + 1) % 16
                if nextMelodicChannel == drumChannel { nextMelodicChannel += 1 }
            }
            tracks.append(partTrack(part, channel: channel, score: score))
        }
        var file = Data()
        file.append(contentsOf: Array("MThd".utf8))
        file.appendBigEndian(UInt32(6))
        file.appendBigEndian(UInt16(1))                      // format 1: simultaneous tracks
        file.appendBigEndian(UInt16(tracks.count))
        file.appendBigEndian(UInt16(ticksPerQuarter))
        for track in tracks { file.append(track.chunk()) }
        return file
    }

    /// Ticks for a score time in quarter notes, rounded to the nearest tick for tuplets finer than 1/480.
    static func ticks(_ time: Rational) -> Int {
        let scaled = Rational(time.numerator * ticksPerQuarter, time.denominator)
        return scaled.denominator == 1 ? scaled.numerator : Int((scaled.doubleValue).rounded())
    }

    private static func conductorTrack(_ score: Score) -> TrackBuilder {
        var track = TrackBuilder()
        track.meta(at: 0, type: 0x03, bytes: Array(score.title.utf8))
        let microsecondsPerQuarter = 60_000_000 / max(1, score.bpm)
        track.meta(at: 0, type: 0x51, bytes: [
            UInt8((microsecondsPerQuarter >> 16) & 0xFF), UInt8((microsecondsPerQuarter >> 8) & 0xFF),
            UInt8(microsecondsPerQuarter & 0xFF),
        ])
        let meter = score.meter
        let denominatorPower = UInt8(max(0, Int(log2(Double(max(1, meter.beatUnit))).rounded())))
        // MIDI clocks (24 per quarter) per metronome click: the felt beat.
        let clocksPerClick = (24 * 4 / max(1, meter.beatUnit)) * (meter.isCompound ? 3 : 1)
        track.meta(at: 0, type: 0x58, bytes: [
            UInt8(clamping: meter.beatsPerBar), denominatorPower, UInt8(clamping: clocksPerClick), 8,
        ])
        let signature = keySignature(score.key)
        track.meta(at: 0, type: 0x59, bytes: [UInt8(bitPattern: Int8(signature.sharps)), signature.minor ? 1 : 0])
        for section in score.sections {
            track.meta(at: ticks(score.start(ofBar: section.startBar)), type: 0x06, bytes: Array(section.label.utf8))
        }
        track.endOfTrack(at: ticks(score.length))
        return track
    }

    private static func partTrack(_ part: Part, channel: Int, score: Score) -> TrackBuilder {
        var track = TrackBuilder()
        track.meta(at: 0, type: 0x03, bytes: Array(part.name.utf8))
        let status = UInt8(channel)
        track.event(at: 0, order: 0, bytes: [0xC0 | status, UInt8(clamping: part.instrument.gmProgram & 0x7F)])
        let volume = min(127, max(0, Int((100 * pow(10, part.mix.gainDB / 40)).rounded())))
        let pan = min(127, max(0, Int((64 + part.mix.pan * 63).rounded())))
        track.event(at: 0, order: 0, bytes: [0xB0 | status, 7, UInt8(volume)])
        track.event(at: 0, order: 0, bytes: [0xB0 | status, 10, UInt8(pan)])
        var end = 0
        for note in part.notes where note.duration > .zero {
            let start = max(0, ticks(note.start))
            let stop = max(start + 1, ticks(note.end))
            let key = UInt8(clamping: note.pitch.midi)
            let velocity = UInt8(min(127, max(1, note.velocity)))
            // Note-offs sort before note-ons at the same tick so repeated notes retrigger cleanly.
            track.event(at: start, order: 2, bytes: [0x90 | status, key, velocity])
            track.event(at: stop, order: 1, bytes: [0x80 | status, key, 0])
            end = max(end, stop)
        }
        track.endOfTrack(at: max(end, ticks(score.length)))
        return track
    }

    /// Sharps (positive) or flats (negative) of the key's signature, and whether it is minor. Modes use their
    /// parent major scale's signature (D dorian has no sharps, like C major).
    static func keySignature(_ key: Key) -> (sharps: Int, minor: Bool) {
        let offsetFromParentMajor: Int = switch key.mode {
        case .major: 0
        case .dorian: 2
        case .phrygian: 4
        case .lydian: 5
        case .mixolydian: 7
        case .minor, .harmonicMinor: 9
        case .locrian: 11
        }
        let parent = PitchClass(key.tonic.value - offsetFromParentMajor).value
        let prefersFlats = key.tonicName.contains("b")
        let sharps: Int = switch parent {
        case 0: 0
        case 7: 1
        case 2: 2
        case 9: 3
        case 4: 4
        case 11: 5
        case 6: prefersFlats ? -6 : 6
        case 1: -5  // Db rather than C# (7 sharps)
        case 8: -4
        case 3: -3
        case 10: -2
        default: -1  // F
        }
        return (sharps, key.mode.isMinor)
    }
}

/// Collects one track's events and serialises them as an `MTrk` chunk with delta times.
private struct TrackBuilder {
    private struct Event {
        var tick: Int
        var order: Int
        var sequence: Int
        var bytes: [UInt8]
    }

    private var events: [Event] = []

    mutating func event(at tick: Int, order: Int, bytes: [UInt8]) {
        events.append(Event(tick: tick, order: order, sequence: events.count, bytes: bytes))
    }

    mutating func meta(at tick: Int, type: UInt8, bytes: [UInt8]) {
        event(at: tick, order: 0, bytes: [0xFF, type] + variableLength(bytes.count) + bytes)
    }

    mutating func endOfTrack(at tick: Int) {
        event(at: tick, order: 3, bytes: [0xFF, 0x2F, 0x00])
    }

    func chunk() -> Data {
        let sorted = events.sorted { ($0.tick, $0.order, $0.sequence) < ($1.tick, $1.order, $1.sequence) }
        var body: [UInt8] = []
        var previous = 0
        for event in sorted {
            body += variableLength(event.tick - previous)
            body += event.bytes
            previous = event.tick
        }
        var chunk = Data(Array("MTrk".utf8))
        chunk.appendBigEndian(UInt32(body.count))
        chunk.append(contentsOf: body)
        return chunk
    }
}

/// MIDI variable-length quantity: 7 bits per byte, most significant first, high bit set on all but the last.
func variableLength(_ value: Int) -> [UInt8] {
    var value = max(0, min(value, 0x0FFF_FFFF))
    var bytes = [UInt8(value & 0x7F)]
    value >>= 7
    while value > 0 {
        bytes.insert(UInt8(value & 0x7F) | 0x80, at: 0)
        value >>= 7
    }
    return bytes
}
