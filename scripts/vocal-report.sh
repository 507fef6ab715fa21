#!/usr/bin/env bash
# Sings every lyric sheet in scripts/lyrics/ with the female and the male voice and reports, per song, the
# recogniser's word recall on the vocal stem (scripts/intelligibility.py) and, when the reviewers' audio-report
# is beside the project (../shared/tools), the share of voiced frames within 50 cents of the written melody.
#
#   bash scripts/vocal-report.sh [OUT_DIR]        (TUNESMITH=path/to/tunesmith, default .build/release or debug)
#
# Needs `pip install pocketsphinx`. A report, not a test: one run moves by a few points.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
binary="${TUNESMITH:-}"
if [ -z "$binary" ]; then
  for candidate in .build/release/tunesmith .build/debug/tunesmith; do
    [ -x "$candidate" ] && binary="$candidate" && break
  done
fi
[ -x "$binary" ] || { echo "build tunesmith first (swift build)" >&2; exit 1; }
report="../shared/tools/audio-report"

declare -A prompts=(
  [harbour]="a slow folk ballad with acoustic guitar"
  [city]="an upbeat pop song at 118 bpm"
  [garden]="a warm soul song with piano"
  [highway]="a driving country rock song"
)
printf '%-8s %-6s %7s %9s\n' sheet voice recall in-tune
for sheet in scripts/lyrics/*.txt; do
  name="$(basename "$sheet" .txt)"
  prompt="${prompts[$name]:-a pop song}"
  for voice in female male; do
    dir="$out/$name-$voice"
    mkdir -p "$dir"
    "$binary" generate "$prompt" --lyrics "$sheet" --voice "$voice" --seed 11 --out "$dir/song.mp3" --stems "$dir" \
      >"$dir.log" 2>&1 || { echo "$name $voice: generate failed (see $dir.log)" >&2; continue; }
    recall="$(python3 scripts/intelligibility.py "$dir/vocals.wav" "$sheet" | tee "$dir/recall.txt" | sed -n 's/.*word recall: \([0-9.]*\) %.*/\1/p')"
    tune="-"
    if [ -x "$report" ]; then
      tune="$("$report" "$dir/song.mp3" --melody-midi "$dir/vocals.mid" --vocal-stem "$dir/vocals.wav" 2>/dev/null \
        | tee "$dir/audio-report.txt" | awk '/^vocal_pitch_within_50c:/ { printf "%.1f", $2 * 100 }')"
    fi
    printf '%-8s %-6s %6s%% %8s%%\n' "$name" "$voice" "$recall" "${tune:--}"
  done
done
echo "songs, stems and reports in $out"
