import AudioEngine
import Foundation
import LocalEngine
import TunesmithCore
import TunesmithServer

/// The built-in engine as `serve` and `worker` run it.
enum LocalEngineSetup {
    /// `rendersSongs`: this process runs workers, so a missing SoundFont fails at start, with a hint, rather than on
    /// every job.
    static func engine(for configuration: ServerConfiguration, rendersSongs: Bool) throws -> LocalEngine {
        let soundFont = SoundFontLocation(path: configuration.soundFont)
        if rendersSongs { try soundFont.validate() }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Each song renders its parts in parallel; share the cores between the songs running at once.
        let renderer = SongRenderer(soundFont: soundFont, workers: max(1, cores / max(1, configuration.workers)))
        return LocalEngine(renderer: renderer)
    }
}
