#!/usr/bin/env bash
# Runs every test: unit, store-contract, router, audio-measuring, live end-to-end tests and the multi-process
# drills. Tests render real audio with a small SoundFont, use real SQLite files, a real PostgreSQL server and real
# HTTP on loopback.
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
# The drills start PostgreSQL-restart tests through pg_ctl; they find the cluster here.
export TUNESMITH_TEST_POSTGRES_DIR="${TUNESMITH_TEST_POSTGRES_DIR:-}"

# Build everything first (the live tests and drills start the real `tunesmith` and `DrillNode` binaries).
swift build --build-tests
swift test --skip-build
