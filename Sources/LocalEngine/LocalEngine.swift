// The built-in engine: Composer + AudioEngine behind TunesmithCore.MusicEngine.
