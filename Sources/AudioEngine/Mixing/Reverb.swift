import Foundation

/// The shared room: a Freeverb-style reverb (Jezar's public-domain design: eight damped comb filters in
/// parallel, four all-passes in series, per output channel) fed by a mono send.
///
/// The left and right networks are independent (the right one's delays are 23 samples longer, which is what
/// makes it wide), so they run on two threads. Each comb's recursion is a one-pole low-pass in the feedback
/// path; processing one comb over a block at a time keeps its state in registers and its delay line in cache.
struct Reverb: Sendable {
    var roomSize: Double = 0.82
    var damping: Double = 0.45
    /// Output level of the wet signal relative to the send.
    var wetGain: Double = 1.0

    static let combTunings = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617]
    static let allpassTunings = [556, 441, 341, 225]
    static let stereoSpread = 23
    /// Freeverb's input attenuation: eight combs with feedback near 1 have a large gain.
    static let inputGain: Float = 0.015

    /// Adds the reverberated `send` (mono, `frames` long) to the two output channels.
    func process(send: UnsafePointer<Float>, frames: Int, sampleRate: Int, addingTo left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>) {
        let scale = Double(sampleRate) / 44_100
        let feedback = Float(roomSize * 0.28 + 0.7)
        let damp = Float(damping * 0.4)
        let outputGain = Float(wetGain) * 3  // Freeverb's wet scale
        parallelFor(2) { channel in
            let spread = channel == 0 ? 0 : Self.stereoSpread
            var network = ChannelNetwork(
                combLengths: Self.combTunings.map { Int(Double($0 + spread) * scale) },
                allpassLengths: Self.allpassTunings.map { Int(Double($0 + spread) * scale) },
                feedback: feedback, damp: damp)
            network.process(send: send, frames: frames, gain: outputGain, addingTo: channel == 0 ? left : right)
            network.deallocate()
        }
    }
}

/// The comb bank and all-pass chain of one output channel.
private struct ChannelNetwork {
    static let blockSize = 2048

    var combs: [CombFilter]
    var allpasses: [AllpassFilter]

    init(combLengths: [Int], allpassLengths: [Int], feedback: Float, damp: Float) {
        combs = combLengths.map { CombFilter(length: $0, feedback: feedback, damp: damp) }
        allpasses = allpassLengths.map { AllpassFilter(length: $0) }
    }

    mutating func process(send: UnsafePointer<Float>, frames: Int, gain: Float, addingTo output: UnsafeMutablePointer<Float>) {
        let input = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockSize)
        let wet = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockSize)
        defer {
            input.deallocate()
            wet.deallocate()
        }
        var start = 0
        while start < frames {
            let count = min(Self.blockSize, frames - start)
            for index in 0..<count { input[index] = send[start + index] * Reverb.inputGain }
            wet.initialize(repeating: 0, count: count)
            for comb in combs.indices { combs[comb].process(input: input, accumulatingInto: wet, count: count) }
            for allpass in allpasses.indices { allpasses[allpass].process(wet, count: count) }
            let out = output + start
            for index in 0..<count { out[index] += wet[index] * gain }
            start += count
        }
    }

    func deallocate() {
        for comb in combs { comb.buffer.deallocate() }
        for allpass in allpasses { allpass.buffer.deallocate() }
    }
}

private struct CombFilter {
    let buffer: UnsafeMutableBufferPointer<Float>
    var position = 0
    var filterStore: Float = 0
    let feedback: Float
    let damp: Float

    init(length: Int, feedback: Float, damp: Float) {
        buffer = .allocate(capacity: max(1, length))
        buffer.initialize(repeating: 0)
        self.feedback = feedback
        self.damp = damp
    }

    mutating func process(input: UnsafePointer<Float>, accumulatingInto output: UnsafeMutablePointer<Float>, count: Int) {
        let delay = buffer.baseAddress!
        let length = buffer.count
        var position = self.position
        var store = filterStore
        let keep = damp, take = 1 - damp
        var index = 0
        while index < count {
            // Run to the end of the block or the wrap of the delay line, whichever comes first.
            let run = min(count - index, length - position)
            for offset in 0..<run {
                let delayed = delay[position + offset]
                store = delayed * take + store * keep
                delay[position + offset] = input[index + offset] + store * feedback
                output[index + offset] += delayed
            }
            index += run
            position += run
            if position == length { position = 0 }
        }
        self.position = position
        filterStore = abs(store) < 1e-20 ? 0 : store
    }
}

private struct AllpassFilter {
    let buffer: UnsafeMutableBufferPointer<Float>
    var position = 0
    static let feedback: Float = 0.5

    init(length: Int) {
        buffer = .allocate(capacity: max(1, length))
        buffer.initialize(repeating: 0)
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, count: Int) {
        let delay = buffer.baseAddress!
        let length = buffer.count
        var position = self.position
        var index = 0
        while index < count {
            let run = min(count - index, length - position)
            for offset in 0..<run {
                let delayed = delay[position + offset]
                let input = samples[index + offset]
                samples[index + offset] = delayed - input
                delay[position + offset] = input + delayed * Self.feedback
            }
            index += run
            position += run
            if position == length { position = 0 }
        }
        self.position = position
    }
}
