#!/usr/bin/env bash
# Runs every test: unit, store-contract, router, audio-measuring and live end-to-end tests, then the studio page's
# browser tests (headless Chromium against the real binary; screenshots in .build/browser-tests/).
# Tests render real audio with a small SoundFont, use real SQLite files and real HTTP on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
export TUNESMITH_TEST_SOUNDFONT="${TUNESMITH_TEST_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"
# Build everything first (the live tests start the real `tunesmith` binary).
swift build --build-tests
swift test --skip-build
python3 Tests/Browser/studio_test.py --binary "$(swift build --show-bin-path)/tunesmith" --out .build/browser-tests
