#!/usr/bin/env python3
"""Arrangement dynamics and contract defaults over every genre, measured on the final MP3 the way reviewers do.

    python3 scripts/dynamics-report.py [--bin .build/release/tunesmith] [--out /tmp/dynamics] [--seed 1]
                                       [--genres pop,rock] [--modes vocal,instrumental] [--jobs 2]

For each of the 26 genres, once as a vocal song (the engine writes the words) and once as an instrumental, with
no length or key in the prompt, it runs `tunesmith generate` and then `../shared/tools/audio-report SONG.mp3
--sheet SONG.json --json` (per-section RMS loudness from the song sheet's section times). It prints per song
chorus minus verse (dB), chorus minus the quietest bridge/breakdown (dB), the length, and the key the analyser
hears against the key the song sheet says; then the averages and the shares that meet the targets
(chorus - verse >= 2.5 dB on average, bridge >= 3 dB below the chorus, 120-300 s, key heard = key written).
A report, not a test: the figures go in the docs and the lead's notes.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

GENRES = ["pop", "rock", "synthwave", "house", "techno", "drum and bass", "hip hop", "trap", "lo-fi hip hop",
          "jazz", "blues", "funk", "R&B", "country", "reggae", "bossa nova", "orchestral", "ambient", "metal",
          "disco", "indie", "folk", "gospel", "afrobeat", "dubstep", "chiptune"]

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FLATS = {'Db': 'C#', 'Eb': 'D#', 'Gb': 'F#', 'Ab': 'G#', 'Bb': 'A#', 'Cb': 'B', 'Fb': 'E', 'E#': 'F', 'B#': 'C'}


def norm_key(text):
    root, mode = text.strip().split()[:2]
    root = root[0].upper() + root[1:].replace('♯', '#').replace('♭', 'b')
    return f'{FLATS.get(root, root)} {mode.lower()}'


def default_binary():
    for kind in ("release", "debug"):
        path = os.path.join(ROOT, ".build", kind, "tunesmith")
        if os.path.exists(path):
            return path
    sys.exit("no tunesmith binary: run `swift build` (or pass --bin)")


def measure(binary, report_tool, out, genre, mode, seed, reuse):
    slug = f"{genre.replace(' ', '-').replace('&', 'n').lower()}-{mode}"
    mp3, sheet = os.path.join(out, slug + ".mp3"), os.path.join(out, slug + ".json")
    prompt = f"a {genre} song"
    command = [binary, "generate", prompt, "--seed", str(seed), "--out", mp3, "--sheet", sheet]
    if mode == "instrumental":
        command.append("--instrumental")
    if not (reuse and os.path.exists(mp3) and os.path.exists(sheet)):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.loads(subprocess.run([report_tool, mp3, "--sheet", sheet, "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    written = json.load(open(sheet))
    return {
        "genre": genre, "mode": mode, "seconds": report["seconds"],
        "chorus_verse": report.get("chorus_minus_verse_db"), "chorus_bridge": report.get("chorus_minus_bridge_db"),
        "key_written": written["key"], "key_heard": report["key"],
        "key_ok": norm_key(written["key"]) == norm_key(report["key"]),
        "sections": " ".join(f"{label}:{db}" for label, _, db in report["sections"]),
    }


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=None)
    parser.add_argument("--out", default="/tmp/tunesmith-dynamics")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--genres", default=",".join(GENRES), help="comma-separated prompt words")
    parser.add_argument("--modes", default="vocal,instrumental")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="also print every section's level")
    parser.add_argument("--reuse", action="store_true", help="measure songs already in --out instead of rendering")
    args = parser.parse_args()
    binary = args.bin or default_binary()
    report_tool = os.path.join(ROOT, "..", "shared", "tools", "audio-report")
    os.makedirs(args.out, exist_ok=True)
    jobs = [(g, m) for g in args.genres.split(",") for m in args.modes.split(",")]
    print(f"{'genre':<15} {'mode':<12} {'seconds':>7} {'ch-verse':>8} {'ch-bridge':>9}  key written / heard", flush=True)
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(measure, binary, report_tool, args.out, g, m, args.seed, args.reuse) for g, m in jobs]
        for future in concurrent.futures.as_completed(futures):
            row = future.result()
            rows.append(row)
            cv = "-" if row["chorus_verse"] is None else f"{row['chorus_verse']:.1f}"
            cb = "-" if row["chorus_bridge"] is None else f"{row['chorus_bridge']:.1f}"
            mark = "" if row["key_ok"] else "  (differs)"
            print(f"{row['genre']:<15} {row['mode']:<12} {row['seconds']:>7.1f} {cv:>8} {cb:>9}  "
                  f"{row['key_written']} / {row['key_heard']}{mark}", flush=True)
            if args.verbose:
                print(f"    {row['sections']}", flush=True)
    print()
    for mode in args.modes.split(",") + ["all"]:
        chosen = [r for r in rows if mode == "all" or r["mode"] == mode]
        bridges = [r["chorus_bridge"] for r in chosen if r["chorus_bridge"] is not None]
        print(f"{mode:<12} songs {len(chosen):>2}: chorus-verse mean {mean(r['chorus_verse'] for r in chosen):.2f} dB, "
              f"chorus-bridge mean {mean(bridges):.2f} dB ({sum(b >= 3 for b in bridges)}/{len(bridges)} >= 3 dB), "
              f"length {min(r['seconds'] for r in chosen):.0f}-{max(r['seconds'] for r in chosen):.0f} s "
              f"({sum(120 <= r['seconds'] <= 300 for r in chosen)}/{len(chosen)} in 120-300 s), "
              f"key heard = written {sum(r['key_ok'] for r in chosen)}/{len(chosen)}")


if __name__ == "__main__":
    main()
