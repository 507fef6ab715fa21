#!/usr/bin/env bash
# Runs every test: schemathesis against a live server and its OpenAPI document, the studio page's browser tests
# (headless Chromium against the real binary; screenshots in .build/browser-tests/), then the Swift tests (unit,
# store-contract, router, audio-measuring, live end-to-end, several server processes on one PostgreSQL database). The Swift tests run last
# so that their summary closes the output.
# Tests render real audio with a small SoundFont, use real SQLite files, a real PostgreSQL server and real HTTP on
# loopback.
#
# PostgreSQL: unless TUNESMITH_TEST_DATABASE_URL already names a server, a throwaway cluster is started in a
# temporary folder on a free loopback port (as the unprivileged `postgres` user when run as root) and removed at
# the end; every test creates and drops its own database on it.
set -euo pipefail
cd "$(dirname "$0")/.."
export TUNESMITH_TEST_SOUNDFONT="${TUNESMITH_TEST_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"

if [ -z "${TUNESMITH_TEST_DATABASE_URL:-}" ]; then
  eval "$(bash scripts/test-postgres.sh start)"
  trap 'bash scripts/test-postgres.sh stop "$TUNESMITH_TEST_POSTGRES_DIR"' EXIT
fi
export TUNESMITH_TEST_DATABASE_URL
# The drill that restarts PostgreSQL under load needs the cluster's folder; with a server of your own (no folder)
# that drill is skipped.
export TUNESMITH_TEST_POSTGRES_DIR="${TUNESMITH_TEST_POSTGRES_DIR:-}"

# Build everything first (the live tests and schemathesis start the real `tunesmith` binary).
swift build --build-tests
bash scripts/schemathesis.sh
python3 Tests/Browser/studio_test.py --binary "$(swift build --show-bin-path)/tunesmith" --out .build/browser-tests
swift test --skip-build --skip DrillTests
# The scale-out drills (several server processes on one PostgreSQL database, kill -9, SIGSTOP, a database restart)
# run on their own: one of them restarts the shared PostgreSQL server, which the other suites must not see.
swift test --skip-build --filter DrillTests
# Once more with every model routed to its (loopback) fake cloud provider: the public API and the live server
# must behave the same whichever backend makes the songs.
TUNESMITH_TEST_ENGINES=cloud swift test --skip-build --filter APITests --filter LiveTests
