import Foundation

/// Keeps loaded synthesizers between renders, so a server pays for parsing the SoundFont once per worker thread
/// rather than once per song. FluidSynth cannot share one loaded font between synthesizers safely, so the pool
/// shares whole synthesizers instead, each checked out by exactly one thread at a time.
public final class SynthesizerPool: @unchecked Sendable {
    public static let shared = SynthesizerPool()

    private let lock = NSLock()
    private var idle: [String: [FluidSynthInstrument]] = [:]
    private let maximumIdlePerFont: Int

    public init(maximumIdlePerFont: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        self.maximumIdlePerFont = maximumIdlePerFont
    }

    /// An idle synthesizer for `soundFont`, or a newly loaded one.
    public func checkOut(_ soundFont: SoundFontLocation) throws -> FluidSynthInstrument {
        let cached: FluidSynthInstrument? = lock.withLock { idle[soundFont.path]?.popLast() }
        if let cached { return cached }
        return try FluidSynthInstrument(soundFont: soundFont)
    }

    /// Returns a synthesizer for reuse (dropped, and so freed, when the pool is full).
    public func checkIn(_ instrument: FluidSynthInstrument) {
        lock.withLock {
            var list = idle[instrument.soundFont.path, default: []]
            if list.count < maximumIdlePerFont { list.append(instrument) }
            idle[instrument.soundFont.path] = list
        }
    }
}
