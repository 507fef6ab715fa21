// The rendering pipeline: FluidSynth, mixing, mastering and the file writers.
