#!/usr/bin/env bash
# Installs the Debian packages Tunesmith needs, only those that are missing (idempotent).
# Run as root (or with sudo available) on Debian 12.
set -euo pipefail

packages=(
  pkg-config libsqlite3-dev                 # SQLite for GRDB
  libfluidsynth-dev fluid-soundfont-gm      # instrument rendering + the fallback General MIDI SoundFont
  musescore-general-soundfont-lossless      # the default General MIDI SoundFont (docs/soundfonts.md says why)
  timgm6mb-soundfont                        # a small GM SoundFont for fast tests
  libmp3lame-dev                            # MP3 encoding
  libebur128-dev                            # loudness measurement (mastering to -14 LUFS)
  libaubio-dev                              # tempo analysis in tests and the benchmark
  festlex-cmu                               # CMU pronouncing dictionary: syllables, stress, rhymes of lyrics
  libstb-dev libwebp-dev                    # reference-image decoders: stb_image (PNG/JPEG/GIF), libwebp (WebP)
  flite1-dev                                # the singing voice: Flite's clustergen voices (slt, rms) from recorded speech
  python3-venv                              # the test suite installs schemathesis from PyPI into .build/venv
)
if [ "${TUNESMITH_TEST_DEPS:-0}" = 1 ]; then
  packages+=(chromium fonts-dejavu-core)    # headless browser and a font for the studio page's browser tests
  packages+=(postgresql)                    # PostgreSQL 15: the tests' throwaway server (the store runs on both backends)
fi
if [ "${TUNESMITH_BENCH_DEPS:-0}" = 1 ]; then
  packages+=(fluidsynth lame wrk)           # the CLI floor and the HTTP load generator for benchmarks
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "Installing: ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
