import CFluidSynth
import SongBrief

/// One FluidSynth synthesizer with the SoundFont loaded: the only place the C library is touched.
///
/// It renders one part at a time (melodic parts on channel 1, drum kits on channel 10) into float buffers, in
/// process. FluidSynth's own reverb and chorus are off: the mixer adds one shared reverb after EQ and
/// compression, which is cheaper than one per synthesizer and keeps the wet signal under the mixer's control.
///
/// Not thread-safe (FluidSynth's API lock is disabled for speed): each instance is created and used by one
/// worker thread for one part.
public final class FluidSynthInstrument {
    static let melodicChannel: Int32 = 0
    static let drumChannel: Int32 = 9
    static let drumBank: Int32 = 128

    public let soundFont: SoundFontLocation
    public let sampleRate: Int
    private let settings: OpaquePointer
    private let synth: OpaquePointer
    private let fontID: Int32
    private var activeChannel: Int32 = FluidSynthInstrument.melodicChannel

    /// FluidSynth fills process-wide tables (the SF2 default modulators, the dither table) inside the first
    /// `new_fluid_synth`, and a synthesizer another thread makes meanwhile does not wait for them: it copies
    /// half-made default modulators and plays its whole part differently (seen as a rare, load-dependent change
    /// of a song's bytes). So the first synthesizer is made here, once; Swift runs a static initialiser exactly
    /// once and makes every other caller wait until it has finished.
    private static let processTablesReady: Void = {
        guard let settings = new_fluid_settings() else { return }
        if let synth = new_fluid_synth(settings) { delete_fluid_synth(synth) }
        delete_fluid_settings(settings)
    }()

    /// Loads the SoundFont. `polyphony` caps simultaneous voices for the one part being rendered; CPU cost grows
    /// with active voices, and 96 is far above what one part of a song needs.
    public init(soundFont: SoundFontLocation, sampleRate: Int = StereoBuffer.standardSampleRate, polyphony: Int = 96) throws {
        Self.processTablesReady
        try soundFont.validate()
        guard let settings = new_fluid_settings() else { throw RenderError.synthesizerUnavailable("no settings") }
        fluid_settings_setnum(settings, "synth.sample-rate", Double(sampleRate))
        fluid_settings_setint(settings, "synth.polyphony", Int32(polyphony))
        fluid_settings_setint(settings, "synth.reverb.active", 0)
        fluid_settings_setint(settings, "synth.chorus.active", 0)
        // One thread drives each synthesizer, so the per-call API mutex is pure overhead.
        fluid_settings_setint(settings, "synth.threadsafe-api", 0)
        // Load only the samples of the presets a song selects: FluidR3 holds 140 MB of samples, a song uses a few.
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 1)
        // Headroom: a single part at full velocity stays well below 0 dBFS; mastering sets the final level.
        fluid_settings_setnum(settings, "synth.gain", 0.5)
        guard let synth = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw RenderError.synthesizerUnavailable("new_fluid_synth failed")
        }
        let fontID = fluid_synth_sfload(synth, soundFont.path, 1)
        guard fontID != FLUID_FAILED else {
            delete_fluid_synth(synth)
            delete_fluid_settings(settings)
            throw RenderError.soundFontUnreadable(path: soundFont.path)
        }
        self.soundFont = soundFont
        self.sampleRate = sampleRate
        self.settings = settings
        self.synth = synth
        self.fontID = fontID
    }

    deinit {
        delete_fluid_synth(synth)
        delete_fluid_settings(settings)
    }

    /// Silences everything and selects `instrument` for the next part. Drum kits go to channel 10 from bank 128,
    /// falling back to the standard kit (and melodic programs to the piano) when the SoundFont lacks the preset.
    public func prepare(for instrument: Instrument) {
        fluid_synth_system_reset(synth)
        if instrument.isDrumKit {
            activeChannel = Self.drumChannel
            if fluid_synth_program_select(synth, activeChannel, fontID, Self.drumBank, Int32(instrument.gmProgram)) != FLUID_OK {
                fluid_synth_program_select(synth, activeChannel, fontID, Self.drumBank, 0)
            }
        } else {
            activeChannel = Self.melodicChannel
            if fluid_synth_program_select(synth, activeChannel, fontID, 0, Int32(instrument.gmProgram)) != FLUID_OK {
                fluid_synth_program_select(synth, activeChannel, fontID, 0, 0)
            }
        }
    }

    public func noteOn(key: Int, velocity: Int) {
        fluid_synth_noteon(synth, activeChannel, Int32(clamping: key), Int32(min(127, max(1, velocity))))
    }

    public func noteOff(key: Int) {
        fluid_synth_noteoff(synth, activeChannel, Int32(clamping: key))
    }

    /// Voices still sounding (including release tails).
    public var activeVoiceCount: Int { Int(fluid_synth_get_active_voice_count(synth)) }

    /// Renders `frames` frames, writing (not adding) them to the two channel pointers.
    public func render(frames: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        guard frames > 0 else { return }
        fluid_synth_write_float(synth, Int32(frames), left, 0, 1, right, 0, 1)
    }
}
