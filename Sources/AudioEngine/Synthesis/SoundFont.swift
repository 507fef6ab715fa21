import Foundation

/// Where the General MIDI SoundFont lives. Resolution order: an explicit path, `TUNESMITH_SOUNDFONT`, then the
/// first installed bank of `preferredPaths`.
public struct SoundFontLocation: Sendable, Hashable {
    /// The Debian banks in order of preference (docs/soundfonts.md has the measurements). MuseScore General
    /// (lossless build) plays soft notes darker, not only quieter, and holds longer samples with longer loops
    /// than FluidR3; its compressed `.sf3` build is not listed because FluidSynth decodes its samples on every
    /// load, and the engine loads the bank once per part. FluidR3 stays as the fallback.
    public static let preferredPaths = [
        "/usr/share/sounds/sf2/MuseScore_General_Full.sf2",  // musescore-general-soundfont-lossless
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",  // fluid-soundfont-gm
    ]
    public static let environmentVariable = "TUNESMITH_SOUNDFONT"

    public let path: String

    public init(path: String) { self.path = path }

    /// The bank used when none is named: the first installed of `preferredPaths`.
    public static var defaultPath: String { installedDefaultPath() }

    /// The first of `preferredPaths` that `isInstalled`; the last one when none is, so the error names a bank
    /// to install.
    public static func installedDefaultPath(
        isInstalled: (String) -> Bool = FileManager.default.isReadableFile(atPath:)
    ) -> String {
        preferredPaths.first(where: isInstalled) ?? preferredPaths[preferredPaths.count - 1]
    }

    /// The SoundFont to use: `explicitPath` if given, else the environment variable, else the installed default.
    public static func resolve(
        explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        isInstalled: (String) -> Bool = FileManager.default.isReadableFile(atPath:)
    ) -> SoundFontLocation {
        if let explicitPath, !explicitPath.isEmpty { return SoundFontLocation(path: explicitPath) }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return SoundFontLocation(path: fromEnvironment)
        }
        return SoundFontLocation(path: installedDefaultPath(isInstalled: isInstalled))
    }

    /// Throws `RenderError.soundFontMissing` unless the file exists and is readable.
    public func validate() throws {
        guard FileManager.default.isReadableFile(atPath: path) else { throw RenderError.soundFontMissing(path: path) }
    }
}

/// Why a render failed (cancellation is reported as `CancellationError`).
public enum RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    case soundFontMissing(path: String)
    case soundFontUnreadable(path: String)
    case synthesizerUnavailable(String)
    case loudnessMeter(String)
    case encoder(String)
    case emptyPerformance
    case performanceTooLong(seconds: Double)
    case voiceUnavailable(String)

    public var description: String {
        switch self {
        case .soundFontMissing(let path):
            "SoundFont not found at \(path). Install musescore-general-soundfont-lossless or fluid-soundfont-gm, "
                + "or set \(SoundFontLocation.environmentVariable) / --soundfont to an .sf2 file."
        case .soundFontUnreadable(let path): "FluidSynth could not load the SoundFont at \(path) (is it an .sf2 file?)."
        case .synthesizerUnavailable(let reason): "FluidSynth could not start: \(reason)."
        case .loudnessMeter(let reason): "Loudness measurement failed: \(reason)."
        case .encoder(let reason): "MP3 encoding failed: \(reason)."
        case .emptyPerformance: "The performance has no length to render."
        case .performanceTooLong(let seconds):
            "The performance is \(Int(seconds)) s long; the renderer stops at \(Int(BandRenderer.longestSeconds)) s."
        case .voiceUnavailable(let reason): "The singing voice could not start: \(reason). Install libflite1 (Flite with its cmu_us_slt and cmu_us_rms voices)."
        }
    }
}
