#!/usr/bin/env bash
# Runs every test. Tests render real audio with a small SoundFont and use real SQLite files and loopback HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
export TUNESMITH_TEST_SOUNDFONT="${TUNESMITH_TEST_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
