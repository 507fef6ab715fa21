// Measures rendered audio: tempo, key, loudness, silence.
