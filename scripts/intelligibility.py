#!/usr/bin/env python3
"""Intelligibility of a sung vocal: word recall of an offline recogniser (PocketSphinx's bundled US English
model) on a vocal stem, against the lyrics that were sung.

    pip install pocketsphinx
    python3 scripts/intelligibility.py vocals.wav lyrics.txt

Prints the recognised text and the recall: the share of lyric words (multiset, case and punctuation ignored,
[section tags] dropped) that the recogniser also heard. A report, not a test: later work on the voice can show
it rising. The recogniser was trained on speech, not singing, so absolute figures are low for any singer.
"""
import re
import sys
import wave
from collections import Counter

import numpy as np
from pocketsphinx import Decoder


def load_mono_16k(path):
    with wave.open(path) as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        if width != 2:
            sys.exit(f"{path}: need 16-bit PCM, got {8 * width}-bit")
        data = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    data = data.reshape(-1, channels).mean(axis=1) / 32768
    # Band-limit to 8 kHz (FFT brick-wall) and resample to the model's 16 kHz.
    spectrum = np.fft.rfft(data)
    frequencies = np.fft.rfftfreq(len(data), 1 / rate)
    spectrum[frequencies > 7600] = 0
    filtered = np.fft.irfft(spectrum, len(data))
    times = np.arange(0, len(filtered) / rate, 1 / 16000)
    resampled = np.interp(times, np.arange(len(filtered)) / rate, filtered)
    peak = np.max(np.abs(resampled)) or 1
    return (resampled / peak * 0.9 * 32767).astype(np.int16)


def words(text):
    text = re.sub(r"\[[^\]]*\]", " ", text)
    return [w for w in re.findall(r"[a-z']+", text.lower().replace("\u2019", "'")) if w.strip("'")]


def recognise(samples):
    decoder = Decoder(samprate=16000)
    heard = []
    # Utterances of up to 20 s, split at quiet 0.5 s stretches (the decoder does better on phrase-sized input).
    frame = 8000
    energy = [np.sqrt(np.mean(samples[i:i + frame].astype(np.float64) ** 2)) for i in range(0, len(samples), frame)]
    floor = max(energy) * 0.02 if energy else 0
    start = None
    for index, level in enumerate(energy + [0]):
        if level > floor and start is None:
            start = index
        elif (level <= floor or index - (start or index) >= 40) and start is not None:
            chunk = samples[max(0, start - 1) * frame:(index + 1) * frame]
            decoder.start_utt()
            decoder.process_raw(chunk.tobytes(), full_utt=True)
            decoder.end_utt()
            if decoder.hyp() is not None:
                heard.append(decoder.hyp().hypstr)
            start = None if level <= floor else index
    return " ".join(heard)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    stem, lyrics_path = sys.argv[1], sys.argv[2]
    with open(lyrics_path, encoding="utf-8") as handle:
        lyrics = words(handle.read())
    heard_text = recognise(load_mono_16k(stem))
    heard = Counter(words(heard_text))
    expected = Counter(lyrics)
    hits = sum(min(count, heard[word]) for word, count in expected.items())
    print(f"heard: {heard_text}")
    print(f"lyric words: {sum(expected.values())}, recognised: {hits}, "
          f"word recall: {100 * hits / max(1, sum(expected.values())):.1f} %")


if __name__ == "__main__":
    main()
