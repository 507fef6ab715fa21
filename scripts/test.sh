#!/usr/bin/env bash
# Runs every test: schemathesis against a live server and its OpenAPI document, the studio page's browser tests
# (headless Chromium against the real binary; screenshots in .build/browser-tests/), then the Swift tests (unit,
# store-contract, router, audio-measuring and live end-to-end). The Swift tests run last so that their summary
# closes the output.
# Tests render real audio with a small SoundFont, use real SQLite files and real HTTP on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
export TUNESMITH_TEST_SOUNDFONT="${TUNESMITH_TEST_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"
# Build everything first (the live tests and schemathesis start the real `tunesmith` binary).
swift build --build-tests
bash scripts/schemathesis.sh
python3 Tests/Browser/studio_test.py --binary "$(swift build --show-bin-path)/tunesmith" --out .build/browser-tests
swift test --skip-build
# Once more with every model routed to its (loopback) fake cloud provider: the public API and the live server
# must behave the same whichever backend makes the songs.
TUNESMITH_TEST_ENGINES=cloud swift test --skip-build --filter APITests --filter LiveTests
