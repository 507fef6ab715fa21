@testable import AudioEngine
import Foundation
import MusicTheory
import Testing

/// A minimal Standard MIDI File reader: enough to check what the writer wrote.
private struct MIDIFile {
    struct Event {
        var tick: Int
        var status: UInt8
        var data: [UInt8]
        var metaType: UInt8?
    }

    var format = 0
    var division = 0
    var tracks: [[Event]] = []

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        var position = 0
        func read(_ count: Int) throws -> [UInt8] {
            guard position + count <= bytes.count else { throw ReadError.truncated }
            defer { position += count }
            return Array(bytes[position..<(position + count)])
        }
        func number(_ count: Int) throws -> Int { try read(count).reduce(0) { $0 << 8 | Int($1) } }
        func variable() throws -> Int {
            var value = 0
            while true {
                let byte = try read(1)[0]
                value = value << 7 | Int(byte & 0x7F)
                if byte & 0x80 == 0 { return value }
            }
        }
        guard try read(4) == Array("MThd".utf8), try number(4) == 6 else { throw ReadError.badHeader }
        format = try number(2)
        let trackCount = try number(2)
        division = try number(2)
        for _ in 0..<trackCount {
            guard try read(4) == Array("MTrk".utf8) else { throw ReadError.badHeader }
            let end = try number(4) + position
            var tick = 0
            var events: [Event] = []
            while position < end {
                tick += try variable()
                let status = try read(1)[0]
                if status == 0xFF {
                    let type = try read(1)[0]
                    let payload = try read(try variable())
                    events.append(Event(tick: tick, status: status, data: payload, metaType: type))
                } else {
                    let length = (status & 0xF0 == 0xC0 || status & 0xF0 == 0xD0) ? 1 : 2
                    events.append(Event(tick: tick, status: status, data: try read(length), metaType: nil))
                }
            }
            guard events.last?.metaType == 0x2F else { throw ReadError.noEndOfTrack }
            tracks.append(events)
        }
    }

    enum ReadError: Error { case truncated, badHeader, noEndOfTrack }
}

@Suite("MIDI writer")
struct MIDITests {
    @Test func fileParsesBackWithTempoKeyProgramsAndNotes() throws {
        let score = TestSong.score(bars: 4, bpm: 96, key: Key(.e, .minor))
        let file = try MIDIFile(MIDIWriter.data(for: score))
        #expect(file.format == 1)
        #expect(file.division == 480)
        #expect(file.tracks.count == score.parts.count + 1)

        let conductor = file.tracks[0]
        let tempo = try #require(conductor.first { $0.metaType == 0x51 })
        #expect(tempo.data.reduce(0) { $0 << 8 | Int($1) } == 625_000)  // 60e6 / 96
        let meter = try #require(conductor.first { $0.metaType == 0x58 })
        #expect(Array(meter.data.prefix(2)) == [4, 2])
        let key = try #require(conductor.first { $0.metaType == 0x59 })
        #expect(key.data == [1, 1])  // E minor: one sharp, minor
        let markers = conductor.filter { $0.metaType == 0x06 }.map { (String(decoding: $0.data, as: UTF8.self), $0.tick) }
        #expect(markers.map(\.0) == ["Verse 1", "Chorus 1"])
        #expect(markers.map(\.1) == [0, 2 * 4 * 480])

        for (part, track) in zip(score.parts, file.tracks.dropFirst()) {
            let name = try #require(track.first { $0.metaType == 0x03 })
            #expect(String(decoding: name.data, as: UTF8.self) == part.name)
            let program = try #require(track.first { $0.status & 0xF0 == 0xC0 })
            #expect(Int(program.data[0]) == part.instrument.gmProgram)
            let channel = Int(program.status & 0x0F)
            #expect((channel == 9) == part.instrument.isDrumKit)
            let noteOns = track.filter { $0.status & 0xF0 == 0x90 && $0.data[1] > 0 }
            let noteOffs = track.filter { $0.status & 0xF0 == 0x80 }
            #expect(noteOns.count == part.notes.count)
            #expect(noteOffs.count == part.notes.count)
            #expect(noteOns.allSatisfy { Int($0.status & 0x0F) == channel })
        }
        // Exact rational time: the first off-beat hi-hat is at 1/2 a quarter = 240 ticks.
        let drums = file.tracks[1].filter { $0.status & 0xF0 == 0x90 }
        #expect(drums.map(\.tick).contains(240))
    }

    @Test func tupletTicksRoundAndExactTicksStayExact() {
        #expect(MIDIWriter.ticks(Rational(3, 2)) == 720)
        #expect(MIDIWriter.ticks(Rational(1, 3)) == 160)
        #expect(MIDIWriter.ticks(Rational(1, 7)) == 69)  // 68.57 rounded
    }

    @Test func keySignaturesFollowTheCircleOfFifths() {
        #expect(MIDIWriter.keySignature(Key(.c, .major)) == (0, false))
        #expect(MIDIWriter.keySignature(Key(.bFlat, .major)) == (-2, false))
        #expect(MIDIWriter.keySignature(Key(.fSharp, .minor)) == (3, true))
        #expect(MIDIWriter.keySignature(Key(.d, .dorian)) == (0, true))
        #expect(MIDIWriter.keySignature(Key(.eFlat, .minor)) == (-6, true))
    }

    @Test func variableLengthQuantities() {
        #expect(variableLength(0) == [0x00])
        #expect(variableLength(0x7F) == [0x7F])
        #expect(variableLength(0x80) == [0x81, 0x00])
        #expect(variableLength(0x0FFF_FFFF) == [0xFF, 0xFF, 0xFF, 0x7F])
    }
}
