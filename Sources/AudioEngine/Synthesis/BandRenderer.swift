import Composer
import Foundation

/// Renders every part of a Performance with FluidSynth and mixes it: one synthesizer per worker thread, parts
/// handed out longest first (so the two cores finish together), each part rendered in chunks straight through
/// its channel strip into the worker's own bus. No stems are stored and nothing touches the disk; the buses are
/// summed and the shared reverb added at the end.
struct BandRenderer {
    static let chunkFrames = 4_096
    /// After the last note-off, rendering a part stops once FluidSynth reports no sounding voices.
    let soundFont: SoundFontLocation
    let pool: SynthesizerPool
    let workers: Int
    let reverb: Reverb

    /// `progress` receives 0...1 over the rendering of all parts; `isCancelled` is polled every chunk
    /// (~93 ms of audio, a few milliseconds of work).
    func render(
        _ performance: Performance, sampleRate: Int,
        progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) throws -> StereoBuffer {
        guard performance.durationSeconds.isFinite, performance.durationSeconds > 0 else { throw RenderError.emptyPerformance }
        try soundFont.validate()
        let frames = Int((performance.durationSeconds * Double(sampleRate)).rounded(.up))
        let parts = performance.parts
        let order = parts.indices.sorted { NoteEvent.estimatedCost(of: parts[$0]) > NoteEvent.estimatedCost(of: parts[$1]) }
        let workerCount = max(1, min(workers, parts.count))
        let buses = (0..<workerCount).map { _ in MixBus(frames: frames) }
        defer { for bus in buses { bus.deallocate() } }

        let queue = WorkQueue(count: order.count)
        let failure = FirstError()
        let tracker = ProgressTracker(total: max(1, frames * parts.count), report: progress)
        let stop: @Sendable () -> Bool = { isCancelled() || failure.hasError }
        parallelFor(workerCount) { worker in
            do {
                let synth = try pool.checkOut(soundFont)
                defer { pool.checkIn(synth) }
                while let job = queue.next() {
                    if stop() { throw CancellationError() }
                    let part = parts[order[job]]
                    try renderPart(part, with: synth, frames: frames, sampleRate: sampleRate, into: buses[worker], tracker: tracker, stop: stop)
                }
            } catch {
                failure.record(error)
            }
        }
        if isCancelled() { throw CancellationError() }
        try failure.rethrow()

        let bus = buses[0]
        for other in buses.dropFirst() { bus.add(other) }
        reverb.process(send: bus.send, frames: frames, sampleRate: sampleRate, addingTo: bus.left, bus.right)
        fadeOut(bus, frames: frames, length: min(frames, sampleRate / 20))
        return StereoBuffer(
            left: Array(UnsafeBufferPointer(start: bus.left, count: frames)),
            right: Array(UnsafeBufferPointer(start: bus.right, count: frames)),
            sampleRate: sampleRate)
    }

    private func renderPart(
        _ part: PerformedPart, with synth: FluidSynthInstrument, frames: Int, sampleRate: Int, into bus: MixBus,
        tracker: ProgressTracker, stop: () -> Bool
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

/// Hands out job numbers 0..<count to worker threads.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextJob = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard nextJob < count else { return nil }
            defer { nextJob += 1 }
            return nextJob
        }
    }
}

/// Sums progress from worker threads and reports it in steps of at least 0.5 %.
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var lastReported = -1.0
    private let total: Int
    private let report: @Sendable (Double) -> Void

    init(total: Int, report: @escaping @Sendable (Double) -> Void) {
        self.total = total
        self.report = report
    }

    func advance(by amount: Int) {
        let fraction: Double? = lock.withLock {
            done += amount
            let fraction = min(1, Double(done) / Double(total))
            guard fraction - lastReported >= 0.005 || fraction == 1 && lastReported < 1 else { return nil }
            lastReported = fraction
            return fraction
        }
        if let fraction { report(fraction) }
    }
}
