import Composer
import Foundation
import SongBrief

/// The processing one part gets before it reaches the bus: high-pass, brightness tilt, compression where it
/// helps, gain and pan, and a send to the shared reverb. Decided from the arranger's `PartMix` and the role.
struct ChannelStrip {
    private var highPass: Biquad?
    private var tilt: Biquad?
    private var compressor: Compressor?
    private let leftGain: Float
    private let rightGain: Float
    private let sendGain: Float

    init(mix: PartMix, role: PartRole, sampleRate: Int) {
        // Only the bass and the kick should own the low end; everything else is thinned below ~120 Hz so the
        // lows stay clear (a "mud" cut every mixing engineer makes).
        let cutoff: Double? = switch role {
        case .bass: 30
        case .drums, .percussion: 35
        case .pad, .chords, .strings, .arpeggio: 140
        case .lead, .counterMelody, .brass, .vocal: 110
        }
        highPass = cutoff.map { Biquad.highPass(cutoff: $0, sampleRate: sampleRate) }
        // Brightness 0.5 is neutral; 0 and 1 tilt the top by -6 / +6 dB above 3.5 kHz.
        let tiltDB = (min(1, max(0, mix.brightness)) - 0.5) * 12
        tilt = abs(tiltDB) < 0.5 ? nil : Biquad.highShelf(frequency: 3_500, gainDB: tiltDB, sampleRate: sampleRate)
        compressor = switch role {
        case .drums, .percussion:
            Compressor(thresholdDB: -18, ratio: 3, attackMs: 3, releaseMs: 90, makeupDB: 3, sampleRate: sampleRate)
        case .bass:
            Compressor(thresholdDB: -20, ratio: 2.5, attackMs: 10, releaseMs: 150, makeupDB: 2, sampleRate: sampleRate)
        default: nil
        }
        // Constant-power pan law, unity at the centre.
        let pan = min(1, max(-1, mix.pan.isFinite ? mix.pan : 0))
        let angle = (pan + 1) * Double.pi / 4
        let gain = amplitude(decibels: min(24, max(-60, mix.gainDB.isFinite ? mix.gainDB : 0)))
        leftGain = Float(gain * cos(angle) * 2.squareRoot())
        rightGain = Float(gain * sin(angle) * 2.squareRoot())
        sendGain = Float(min(1, max(0, mix.reverb.isFinite ? mix.reverb : 0)))
    }

    /// Processes a rendered chunk in place, then adds it to the bus and its reverb send.
    mutating func process(
        left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int,
        into bus: MixBus, at offset: Int
    ) {
        highPass?.process(left: left, right: right, count: count)
        tilt?.process(left: left, right: right, count: count)
        compressor?.process(left: left, right: right, count: count)
        let busLeft = bus.left + offset, busRight = bus.right + offset, send = bus.send + offset
        let leftGain = self.leftGain, rightGain = self.rightGain
        let sendGain = self.sendGain * 0.5
        for index in 0..<count {
            let l = left[index] * leftGain, r = right[index] * rightGain
            busLeft[index] += l
            busRight[index] += r
            send[index] += (l + r) * sendGain
        }
    }
}

extension ChannelStrip {
    /// Writes the chunk `process` just treated, with this strip's gain and pan, to a part's stem: the very
    /// samples `process` added to the bus.
    func writeStem(left: UnsafePointer<Float>, right: UnsafePointer<Float>, count: Int, into stem: StemBuffer, at offset: Int) {
        let stemLeft = stem.left + offset, stemRight = stem.right + offset
        for index in 0..<count {
            stemLeft[index] = left[index] * leftGain
            stemRight[index] = right[index] * rightGain
        }
    }
}

/// Float channels `frames` long, zeroed, in one allocation that is freed with the last reference to it: the memory
/// the mixing loops write through raw pointers, owned by a class so that copies of the buses and stems that
/// hold it share it instead of freeing it twice.
final class ChannelMemory {
    let frames: Int
    private let storage: UnsafeMutablePointer<Float>

    init(channels: Int, frames: Int) {
        self.frames = frames
        storage = .allocate(capacity: channels * frames)
        storage.initialize(repeating: 0, count: channels * frames)
    }

    deinit { storage.deallocate() }

    func channel(_ index: Int) -> UnsafeMutablePointer<Float> { storage + index * frames }
}

/// Stereo audio held in a `ChannelMemory`: channel 0 is left, 1 right.
protocol StereoChannels {
    var memory: ChannelMemory { get }
}

extension StereoChannels {
    var frames: Int { memory.frames }
    var left: UnsafeMutablePointer<Float> { memory.channel(0) }
    var right: UnsafeMutablePointer<Float> { memory.channel(1) }
}

/// One part's stereo signal after its channel strip (no reverb), `frames` long, zeroed.
struct StemBuffer: StereoChannels {
    let memory: ChannelMemory

    init(frames: Int) { memory = ChannelMemory(channels: 2, frames: frames) }
}

/// A stereo dry bus plus a mono reverb send (channel 2), `frames` long, zeroed. Written by one worker thread at
/// a time while parts are rendered into it.
struct MixBus: StereoChannels {
    let memory: ChannelMemory

    init(frames: Int) { memory = ChannelMemory(channels: 3, frames: frames) }

    var send: UnsafeMutablePointer<Float> { memory.channel(2) }

    /// Adds `other` into this bus.
    func add(_ other: MixBus) {
        let left = self.left, right = self.right, send = self.send
        let otherLeft = other.left, otherRight = other.right, otherSend = other.send
        for index in 0..<frames {
            left[index] += otherLeft[index]
            right[index] += otherRight[index]
            send[index] += otherSend[index]
        }
    }
}
