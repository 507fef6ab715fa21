#!/usr/bin/env python3
"""Compares General MIDI SoundFonts on the instruments Tunesmith plays (docs/soundfonts.md has the results).

    ../shared/tools/audio-report's venv (numpy, mido, soundfile) and the fluidsynth CLI:
    ~/.cache/tunesmith-tools-venv/bin/python scripts/soundfont-compare.py OUT_DIR BANK.sf2 [BANK.sf2 ...]

For every bank it reads the SF2 structure (velocity layers, sample length and loop at the played key) and
renders, with the engine's synthesizer settings (reverb and chorus off, gain 0.5, float output), each
instrument at four velocities: a 4 s note, then 2.5 s of silence. From the audio it measures:
  level      RMS of the first second at velocity 90, dBFS (balance across families)
  vel dB     level at velocity 120 minus velocity 30
  vel oct    spectral-centroid shift from velocity 30 to 120, octaves (timbre change, not just level)
  sustain    level at 3.5-4.0 s minus 0.3-0.8 s, dB (how a held note decays; ~0 for a good loop)
  ripple     spread of the 20 ms level steps while held, dB (loop pumping and clicks)
  hnr        harmonic-to-noise ratio of the held note at velocity 90, dB (hiss and noise in the samples)
  tail       level 1.5-2.5 s after note-off, dBFS (noise floor after the note)
Drum kits are rendered per drum key instead (same velocities, 1.5 s per hit).
Prints one CSV row per bank and instrument, and the load/render times of the bank.
"""
import csv
import os
import struct
import subprocess
import sys
import time

import mido
import numpy as np
import soundfile

RATE = 44100
VELOCITIES = [30, 60, 90, 120]
HOLD, GAP = 4.0, 2.5
DRUM_HIT, DRUM_GAP = 0.2, 1.3

# Instrument (as in Sources/SongBrief/Instrument.swift) -> (GM program, family, test key). Only those the genre
# profiles play.
MELODIC = {
    "acousticPiano": (0, "keys", 60), "electricPiano": (5, "keys", 60), "rhodes": (4, "keys", 60),
    "organ": (16, "keys", 60), "rockOrgan": (18, "keys", 60), "clavinet": (7, "keys", 60),
    "celesta": (8, "keys", 72), "musicBox": (10, "keys", 72), "marimba": (12, "keys", 72),
    "acousticGuitar": (25, "guitar", 55), "nylonGuitar": (24, "guitar", 55), "jazzGuitar": (26, "guitar", 55),
    "cleanElectricGuitar": (27, "guitar", 55), "mutedGuitar": (28, "guitar", 55),
    "overdrivenGuitar": (29, "guitar", 52), "distortionGuitar": (30, "guitar", 52),
    "acousticBass": (32, "bass", 40), "fingerBass": (33, "bass", 40), "pickBass": (34, "bass", 40),
    "fretlessBass": (35, "bass", 40), "slapBass": (36, "bass", 40), "synthBass": (38, "bass", 40),
    "synthBass2": (39, "bass", 40),
    "strings": (48, "strings", 60), "slowStrings": (49, "strings", 60), "violin": (40, "strings", 72),
    "cello": (42, "strings", 48), "contrabass": (43, "strings", 36), "timpani": (47, "strings", 45),
    "choir": (52, "strings", 60),
    "trumpet": (56, "brass", 65), "frenchHorn": (60, "brass", 55), "brassSection": (61, "brass", 60),
    "synthBrass": (62, "brass", 60), "altoSax": (65, "reed", 65), "tenorSax": (66, "reed", 58),
    "flute": (73, "reed", 72), "harmonica": (22, "reed", 67), "accordion": (21, "reed", 60),
    "squareLead": (80, "synth", 72), "sawLead": (81, "synth", 72), "synthPad": (88, "synth", 60),
    "warmPad": (89, "synth", 60), "polySynth": (90, "synth", 60), "haloPad": (94, "synth", 60),
    "banjo": (105, "ethnic", 60), "kalimba": (108, "ethnic", 72),
}
KITS = {"drumKit": 0, "roomKit": 8, "electronicKit": 24, "jazzKit": 32, "orchestraKit": 48}
DRUM_KEYS = {"kick": 36, "snare": 38, "clap": 39, "closedHat": 42, "openHat": 46, "crash": 49, "ride": 51,
             "midTom": 45, "shaker": 70}


# ---- SF2 structure -------------------------------------------------------------------------------------------

def read_chunks(data, offset, end):
    while offset + 8 <= end:
        tag, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        yield tag, offset + 8, size
        offset += 8 + size + (size & 1)


def parse_sf2(path):
    """Preset headers, bags and generators of an SF2/SF3 (sample data is not read)."""
    with open(path, "rb") as f:
        head = f.read(12)
        assert head[:4] == b"RIFF" and head[8:12] == b"sfbk", path
        chunks = {}
        while True:
            header = f.read(8)
            if len(header) < 8:
                break
            tag, size = header[:4], struct.unpack("<I", header[4:])[0]
            kind = f.read(4)
            if tag == b"LIST" and kind == b"pdta":
                body = f.read(size - 4)
                for sub, start, length in read_chunks(body, 0, len(body)):
                    chunks[sub] = body[start:start + length]
            else:
                f.seek(size - 4 + (size & 1), os.SEEK_CUR)

    def records(tag, fmt):
        size = struct.calcsize(fmt)
        raw = chunks[tag]
        return [struct.unpack(fmt, raw[i:i + size]) for i in range(0, len(raw) - size + 1, size)]

    phdr = records(b"phdr", "<20sHHHIII")
    pbag, ibag = records(b"pbag", "<HH"), records(b"ibag", "<HH")
    pgen, igen = records(b"pgen", "<HH"), records(b"igen", "<HH")
    inst = records(b"inst", "<20sH")
    shdr = records(b"shdr", "<20sIIIIIBbHH")

    def zones(bags, gens, first, last):
        result = []
        for b in range(first, last):
            zone = {}
            for oper, amount in gens[bags[b][0]:bags[b + 1][0]]:
                zone[oper] = amount
            result.append(zone)
        return result

    def in_range(zone, oper, value):
        if oper not in zone:
            return True
        lo, hi = zone[oper] & 0xFF, zone[oper] >> 8
        return lo <= value <= hi

    presets = {}
    for i in range(len(phdr) - 1):
        name, program, bank, bag = phdr[i][:4]
        presets[(bank, program)] = (name.split(b"\0")[0].decode("latin-1"), zones(pbag, pgen, bag, phdr[i + 1][3]))
    instruments = [zones(ibag, igen, inst[i][1], inst[i + 1][1]) for i in range(len(inst) - 1)]

    def samples(bank, program, key, velocity):
        """(sample index, sample modes) of every sample a note starts."""
        _, pzones = presets[(bank, program)]
        found = []
        for pz in pzones:
            if 41 not in pz or not in_range(pz, 43, key) or not in_range(pz, 44, velocity):
                continue
            izones = instruments[pz[41]]
            global_modes = izones[0].get(54, 0) if izones and 53 not in izones[0] else 0
            for iz in izones:
                if 53 in iz and in_range(iz, 43, key) and in_range(iz, 44, velocity):
                    found.append((iz[53], iz.get(54, global_modes)))
        return found

    def describe(bank, program, key):
        if (bank, program) not in presets:
            return None
        layers = {frozenset(s for s, _ in samples(bank, program, key, v)) for v in range(1, 128)}
        layers.discard(frozenset())
        at90 = samples(bank, program, key, 90)
        if not at90:
            return {"name": presets[(bank, program)][0], "layers": len(layers)}
        # The longest of the samples the note starts (some presets layer a short attack over a looped body).
        index, modes = max(at90, key=lambda found: shdr[found[0]][2] - shdr[found[0]][1])
        _, start, end, loop_start, loop_end, sample_rate = shdr[index][:6]
        compressed = shdr[index][9] & 0x10
        info = {"name": presets[(bank, program)][0], "layers": len(layers), "looped": modes & 1 == 1}
        if not compressed:
            info["sample_s"] = (end - start) / sample_rate
            info["loop_ms"] = (loop_end - loop_start) / sample_rate * 1000 if modes & 1 else 0
        return info

    return presets, describe


# ---- Rendering -------------------------------------------------------------------------------------------------

def write_midi(path, blocks):
    """blocks: (channel, bank, program, [(key, velocity, hold, gap)]), played one after another."""
    midi = mido.MidiFile(ticks_per_beat=480)  # 120 bpm: 960 ticks per second
    track = mido.MidiTrack()
    midi.tracks.append(track)
    pending = 0
    for channel, bank, program, notes in blocks:
        if channel != 9:
            track.append(mido.Message("control_change", channel=channel, control=0, value=bank, time=pending))
            pending = 0
        track.append(mido.Message("program_change", channel=channel, program=program, time=pending))
        pending = 0
        for key, velocity, hold, gap in notes:
            track.append(mido.Message("note_on", channel=channel, note=key, velocity=velocity, time=pending))
            track.append(mido.Message("note_off", channel=channel, note=key, velocity=0, time=round(hold * 960)))
            pending = round(gap * 960)
    track.append(mido.MetaMessage("end_of_track", time=pending))
    midi.save(path)


def render(bank, midi_path, wav_path):
    command = ["fluidsynth", "-ni", "-q", "-r", str(RATE), "-R", "0", "-C", "0", "-g", "0.5", "-O", "float",
               "-o", "synth.dynamic-sample-loading=1", "-F", wav_path, bank, midi_path]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


# ---- Measurements ----------------------------------------------------------------------------------------------

def db(x):
    return 20 * np.log10(max(x, 1e-10))


def rms(x):
    return float(np.sqrt(np.mean(x ** 2))) if len(x) else 0.0


def centroid(x):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    return float((spectrum * freqs).sum() / max(spectrum.sum(), 1e-12))


def hnr(x, f0):
    """Energy within +-3 % of the harmonics of f0 over the rest, 50 Hz-16 kHz."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    band = (freqs > 50) & (freqs < 16000)
    ratio = freqs / f0
    harmonic = np.abs(ratio - np.round(ratio)) * f0 < np.maximum(0.03 * freqs, 3)
    h, n = spectrum[band & harmonic].sum(), spectrum[band & ~harmonic].sum()
    return 10 * np.log10(max(h, 1e-20) / max(n, 1e-20))


def frame_levels(x, frame):
    count = len(x) // frame
    return np.array([db(rms(x[i * frame:(i + 1) * frame])) for i in range(count)])


def measure_melodic(audio, start, key):
    f0 = 440 * 2 ** ((key - 69) / 12)
    notes = {}
    t = start
    for v in VELOCITIES:
        s = int(t * RATE)
        note = audio[s:s + int(HOLD * RATE)]
        after = audio[s + int(HOLD * RATE):s + int((HOLD + GAP) * RATE)]
        notes[v] = (note, after)
        t += HOLD + GAP
    n90, after90 = notes[90]
    sec = lambda a, b: n90[int(a * RATE):int(b * RATE)]
    held = frame_levels(sec(0.5, 3.9), int(0.02 * RATE))
    steps = np.diff(held[held > -90])
    return {
        "level": db(rms(n90[:RATE])),
        "vel_db": db(rms(notes[120][0][:RATE])) - db(rms(notes[30][0][:RATE])),
        "vel_oct": np.log2(centroid(notes[120][0][int(0.05 * RATE):int(0.5 * RATE)])
                           / max(centroid(notes[30][0][int(0.05 * RATE):int(0.5 * RATE)]), 1)),
        "sustain": db(rms(sec(3.5, 4.0))) - db(rms(sec(0.3, 0.8))),
        "ripple": float(np.std(steps)) if len(steps) > 2 else float("nan"),
        "hnr": hnr(sec(1.0, 2.0), f0),
        "tail": db(rms(after90[int(1.5 * RATE):int(2.5 * RATE)])),
    }


def measure_drum(audio, start):
    hits = []
    t = start
    for v in VELOCITIES:
        s = int(t * RATE)
        hits.append(audio[s:s + int((DRUM_HIT + DRUM_GAP) * RATE)])
        t += DRUM_HIT + DRUM_GAP
    peak = lambda x: db(float(np.max(np.abs(x[:int(0.2 * RATE)]))) if len(x) else 0)
    levels = frame_levels(hits[2], int(0.01 * RATE))
    above = np.nonzero(levels > levels.max() - 40)[0]
    return {
        "level": db(rms(hits[2][:int(0.3 * RATE)])),
        "peak": peak(hits[2]),
        "vel_db": db(rms(hits[3][:int(0.3 * RATE)])) - db(rms(hits[0][:int(0.3 * RATE)])),
        "vel_oct": np.log2(centroid(hits[3][:int(0.1 * RATE)]) / max(centroid(hits[0][:int(0.1 * RATE)]), 1)),
        "decay_ms": (above[-1] + 1) * 10 if len(above) else 0,
        "tail": db(rms(hits[2][int(1.2 * RATE):])),
    }


def main():
    out, banks = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    melodic_blocks = [(0, 0, program, [(key, v, HOLD, GAP) for v in VELOCITIES])
                      for program, _, key in MELODIC.values()]
    hits = [(key, v, DRUM_HIT, DRUM_GAP) for key in DRUM_KEYS.values() for v in VELOCITIES]
    drum_blocks = [(9, 128, kit, hits) for kit in KITS.values()]
    # A drum-only bank (avldrums) holds one kit as melodic preset 0:0, so it is played on a melodic channel.
    kit_bank_blocks = [(0, 0, 0, hits)]
    write_midi(f"{out}/melodic.mid", melodic_blocks)
    write_midi(f"{out}/drums.mid", drum_blocks)
    write_midi(f"{out}/kitbank.mid", kit_bank_blocks)
    write_midi(f"{out}/empty.mid", [(0, 0, 0, [])])
    write_midi(f"{out}/piano.mid", [(0, 0, 0, [(60, 90, 1.0, 0.1)])])
    writer = csv.writer(sys.stdout)
    writer.writerow(["bank", "family", "instrument", "preset", "layers", "looped", "sample_s", "loop_ms",
                     "level", "vel_db", "vel_oct", "sustain", "ripple", "hnr", "tail", "peak", "decay_ms"])
    for bank in banks:
        label = os.path.basename(bank)
        presets, describe = parse_sf2(bank)
        kit_bank = (128, 0) not in presets and (0, 0) in presets and len(presets) == 1
        # Warm the page cache, then time an empty render (load only) and one piano note (load + one preset).
        render(bank, f"{out}/empty.mid", f"{out}/empty.wav")
        load = min(render(bank, f"{out}/empty.mid", f"{out}/empty.wav") for _ in range(3))
        piano = min(render(bank, f"{out}/piano.mid", f"{out}/piano.wav") for _ in range(3))
        print(f"# {label}: {os.path.getsize(bank) / 1e6:.0f} MB, load {load * 1000:.0f} ms, "
              f"load + first piano note {piano * 1000:.0f} ms", file=sys.stderr)
        parts = (("kitbank", kit_bank_blocks),) if kit_bank else (("melodic", melodic_blocks), ("drums", drum_blocks))
        for name, blocks in parts:
            wav = f"{out}/{label}.{name}.wav"
            seconds = render(bank, f"{out}/{name}.mid", wav)
            print(f"# {label} {name}: rendered in {seconds:.1f} s", file=sys.stderr)
            audio, _ = soundfile.read(wav)
            audio = audio.mean(axis=1) if audio.ndim == 2 else audio
            if name == "melodic":
                t = 0.0
                for instrument, (program, family, key) in MELODIC.items():
                    info = describe(0, program, key) or {}
                    m = measure_melodic(audio, t, key)
                    t += len(VELOCITIES) * (HOLD + GAP)
                    writer.writerow([label, family, instrument, info.get("name", "-"), info.get("layers", 0),
                                     info.get("looped", ""), f"{info.get('sample_s', float('nan')):.2f}",
                                     f"{info.get('loop_ms', float('nan')):.1f}"]
                                    + [f"{m[k]:.2f}" for k in ("level", "vel_db", "vel_oct", "sustain", "ripple",
                                                               "hnr", "tail")] + ["", ""])
            else:
                t = 0.0
                kits = {"acousticKit": (0, 0)} if kit_bank else {name: (128, kit) for name, kit in KITS.items()}
                for kit_name, (kit_bank_number, kit) in kits.items():
                    for drum, key in DRUM_KEYS.items():
                        info = describe(kit_bank_number, kit, key) or describe(kit_bank_number, 0, key) or {}
                        m = measure_drum(audio, t)
                        t += len(VELOCITIES) * (DRUM_HIT + DRUM_GAP)
                        writer.writerow([label, "drums", f"{kit_name}.{drum}", info.get("name", "-"),
                                         info.get("layers", 0), info.get("looped", ""),
                                         f"{info.get('sample_s', float('nan')):.2f}", "",
                                         f"{m['level']:.2f}", f"{m['vel_db']:.2f}", f"{m['vel_oct']:.2f}", "", "",
                                         "", f"{m['tail']:.2f}", f"{m['peak']:.2f}", m["decay_ms"]])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
