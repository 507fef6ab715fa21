import Composer
import Foundation
import NIOConcurrencyHelpers

/// Renders every part of a Performance with FluidSynth and mixes it: one synthesizer per part, parts
/// balanced across two lanes by estimated cost (so the two cores finish together), each part rendered in chunks
/// straight through its channel strip into its lane's bus. No stems are stored and nothing touches the disk; the buses are
/// summed and the shared reverb added at the end.
struct BandRenderer {
    static let chunkFrames = 4_096
    /// Far above any song the composer writes (5 minutes), low enough that the buffers always fit in memory.
    static let longestSeconds = 1_800.0
    let soundFont: SoundFontLocation
    let workers: Int
    let reverb: Reverb

    /// `progress` receives 0...1 over the rendering of all parts; `isCancelled` is polled every chunk
    /// (~93 ms of audio, far less than that of work), so a cancelled render stops almost at once.
    func render(
        _ performance: Performance, sampleRate: Int,
        progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) throws -> StereoBuffer {
        let dry = try renderDry(performance, sampleRate: sampleRate, stems: false, progress: progress, isCancelled: isCancelled)
        return finish(dry.bus, sampleRate: sampleRate)
    }

    /// The band before the shared reverb: every part through its channel strip, summed into one bus (dry
    /// stereo plus the mono reverb send), and, when `stems` is set, each part's strip output on its own (the
    /// same samples that went into the bus).
    func renderDry(
        _ performance: Performance, sampleRate: Int, stems: Bool,
        progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) throws -> (bus: MixBus, stems: [StemBuffer]) {
        guard performance.durationSeconds.isFinite, performance.durationSeconds > 0 else { throw RenderError.emptyPerformance }
        guard performance.durationSeconds <= Self.longestSeconds else {
            throw RenderError.performanceTooLong(seconds: performance.durationSeconds)
        }
        try soundFont.validate()
        let frames = Int((performance.durationSeconds * Double(sampleRate)).rounded(.up))
        let parts = performance.parts
        let lanes = Self.lanes(for: parts)
        let buses = lanes.map { _ in MixBus(frames: frames) }
        let stemBuffers = stems ? parts.map { _ in StemBuffer(frames: frames) } : []

        let workerCount = max(1, min(workers, lanes.count))
        let failure = FirstError()
        let tracker = ProgressTracker(total: max(1, frames * parts.count), report: progress)
        let stop: @Sendable () -> Bool = { isCancelled() || failure.hasError }
        parallelFor(workerCount) { worker in
            do {
                for lane in stride(from: worker, to: lanes.count, by: workerCount) {
                    for index in lanes[lane] {
                        if stop() { throw CancellationError() }
                        // A fresh synthesizer per part: a reset FluidSynth is not bit-identical to a new one, and
                        // the same song must give the same bytes whatever was rendered before. With dynamic
                        // sample loading, loading the SoundFont costs only its preset headers.
                        let synth = try FluidSynthInstrument(soundFont: soundFont, sampleRate: sampleRate)
                        try renderPart(
                            parts[index], with: synth, frames: frames, sampleRate: sampleRate, into: buses[lane],
                            stem: stems ? stemBuffers[index] : nil, tracker: tracker, stop: stop)
                    }
                }
            } catch {
                failure.record(error)
            }
        }
        if isCancelled() { throw CancellationError() }
        try failure.rethrow()

        let bus = buses[0]
        for other in buses.dropFirst() { bus.add(other) }
        return (bus, stemBuffers)
    }

    /// Adds the shared reverb of the bus's send and fades the end; returns the mix.
    func finish(_ bus: MixBus, sampleRate: Int) -> StereoBuffer {
        let frames = bus.frames
        reverb.process(send: bus.send, frames: frames, sampleRate: sampleRate, addingTo: bus.left, bus.right)
        fadeOut(bus, frames: frames, length: min(frames, sampleRate / 20))
        return StereoBuffer(
            left: Array(UnsafeBufferPointer(start: bus.left, count: frames)),
            right: Array(UnsafeBufferPointer(start: bus.right, count: frames)),
            sampleRate: sampleRate)
    }

    /// Parts are summed in a fixed number of lanes (one bus each), assigned longest-first to the least loaded
    /// lane. The assignment depends only on the performance, never on thread timing or core count, so the float
    /// sums, and therefore the MP3 bytes, are the same on every run; two lanes match the two cores this runs on.
    static let laneCount = 2

    static func lanes(for parts: [PerformedPart]) -> [[Int]] {
        let costs = parts.map(NoteEvent.estimatedCost(of:))
        let order = parts.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        var lanes = [[Int]](repeating: [], count: max(1, min(laneCount, parts.count)))
        var load = [Double](repeating: 0, count: lanes.count)
        for index in order {
            let lane = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 } ?? 0
            lanes[lane].append(index)
            load[lane] += costs[index]
        }
        return lanes
    }

    private func renderPart(
        _ part: PerformedPart, with synth: FluidSynthInstrument, frames: Int, sampleRate: Int, into bus: MixBus,
        stem: StemBuffer?, tracker: ProgressTracker, stop: () -> Bool
    ) throws {
        let events = NoteEvent.events(for: part, sampleRate: sampleRate, frames: frames)
        var strip = ChannelStrip(mix: part.mix, role: part.role, sampleRate: sampleRate)
        synth.prepare(for: part.instrument)
        let left = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunkFrames)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunkFrames)
        defer {
            left.deallocate()
            right.deallocate()
        }
        // Sounding notes per key, so overlapping notes of the same key end with the last of them.
        var held = [Int](repeating: 0, count: 128)
        var next = 0
        var frame = 0
        while frame < frames {
            if stop() { throw CancellationError() }
            if next == events.count && synth.activeVoiceCount == 0 { break }
            let chunkEnd = min(frames, frame + Self.chunkFrames)
            var cursor = frame
            while cursor < chunkEnd {
                while next < events.count && events[next].frame <= cursor {
                    let event = events[next]
                    if event.isNoteOn {
                        held[event.key] += 1
                        synth.noteOn(key: event.key, velocity: event.velocity)
                    } else if held[event.key] > 0 {
                        held[event.key] -= 1
                        if held[event.key] == 0 { synth.noteOff(key: event.key) }
                    }
                    next += 1
                }
                let until = next < events.count ? min(chunkEnd, events[next].frame) : chunkEnd
                synth.render(frames: until - cursor, left: left + (cursor - frame), right: right + (cursor - frame))
                cursor = until
            }
            strip.process(left: left, right: right, count: chunkEnd - frame, into: bus, at: frame)
            if let stem { strip.writeStem(left: left, right: right, count: chunkEnd - frame, into: stem, at: frame) }
            tracker.advance(by: chunkEnd - frame)
            frame = chunkEnd
        }
        // The silent remainder still counts as done.
        tracker.advance(by: frames - frame)
    }

    /// A short fade at the very end, so a cut-off tail never ends in a click.
    private func fadeOut(_ bus: MixBus, frames: Int, length: Int) {
        guard length > 0 else { return }
        for offset in 0..<length {
            let index = frames - length + offset
            let gain = Float(length - offset - 1) / Float(length)
            bus.left[index] *= gain
            bus.right[index] *= gain
        }
    }
}

/// Sums progress from worker threads and reports it in steps of at least 0.5 %.
final class ProgressTracker: Sendable {
    private struct Sum {
        var done = 0
        var lastReported = -1.0
    }

    private let sum = NIOLockedValueBox(Sum())
    private let total: Int
    private let report: @Sendable (Double) -> Void

    init(total: Int, report: @escaping @Sendable (Double) -> Void) {
        self.total = total
        self.report = report
    }

    func advance(by amount: Int) {
        // Reported under the lock so that reports from the two workers arrive in increasing order.
        sum.withLockedValue { sum in
            sum.done += amount
            let fraction = min(1, Double(sum.done) / Double(total))
            guard fraction - sum.lastReported >= 0.005 || fraction == 1 && sum.lastReported < 1 else { return }
            sum.lastReported = fraction
            report(fraction)
        }
    }
}
