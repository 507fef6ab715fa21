#!/usr/bin/env bash
# HTTP benchmark (not a test): a release `tunesmith serve` on loopback, loaded with wrk.
#   1. GET /healthz                 a bare route: what Hummingbird itself does on this machine
#   2. GET music/<id>               auth + track + JSON + signed media links: a finished song (from memory after
#                                   its first read) and a queued one (a database read every time)
#   3. POST music/create + DELETE   create (validation, slot/credit check, insert) paired with its cancel
# Targets: >= 10,000 GET/s with p99 <= 10 ms; create p99 <= 20 ms.
# Tunables: BENCH_SECONDS (10), BENCH_CONNECTIONS (8), BENCH_THREADS (1), BENCH_BIN (a tunesmith binary to
# measure instead of building the release one, e.g. an older build for a before/after comparison).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-8}"
threads="${BENCH_THREADS:-1}"

TUNESMITH_BENCH_DEPS=1 bash scripts/install-deps.sh
if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  echo "Building release..." >&2
  swift build -c release --product tunesmith 2>&1 | tail -1 >&2
  bin="$(swift build -c release --show-bin-path)/tunesmith"
fi

work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)"
base="http://127.0.0.1:$port"
export TUNESMITH_SOUNDFONT="${TUNESMITH_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"
export TUNESMITH_LOG_LEVEL=warning

start_server() { # $1 = workers
  "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" --workers "$1" \
    >>"$work/serve.out" 2>>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "$base/" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
    sleep 0.05
  done
  echo "server did not start" >&2; cat "$work/serve.err" >&2; exit 1
}

token="$("$bin" token create --data-dir "$work/data" --name bench)"
email="bench@tunesmith.local"
"$bin" account add --data-dir "$work/data" --user bench --email "$email" --max-jobs 8 >/dev/null

# Creates a 30-second instrumental and prints its audio id (or stops the benchmark).
create_song() {
  local id
  id="$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"prompt\": \"A 30 second calm piano piece\", \"instrumental\": true, \"email\": \"$email\"}" \
    "$base/v2/pixverse/music/create" | sed -n 's/.*"audio_id" *: *"\([^"]*\)".*/\1/p')"
  [ -n "$id" ] || { echo "create failed" >&2; cat "$work/serve.err" >&2; exit 1; }
  echo "$id"
}

# One finished song to read back: render it with one worker, then restart API-only for the load.
start_server 1
audio_id="$(create_song)"
for _ in $(seq 1 600); do
  curl -s -H "Authorization: Bearer $token" "$base/v2/pixverse/music/$audio_id" | grep -q '"audio_status_final":true' && break
  sleep 0.2
done
stop_server
start_server 0
# A second song that stays QUEUED (this server runs no workers): tracks in progress are read from the database
# on every GET, finished ones from memory after their first read (FinishedTrackCache).
queued_id="$(create_song)"

results=()
run_wrk() { # $1 = label, rest = wrk arguments
  local label="$1"; shift
  local out
  out="$(wrk --latency -t "$threads" -c "$connections" -d "${seconds}s" "$@")"
  local rps p50 p99 errors load
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' <<<"$out")"
  # Other work on the machine shares the cores with the server and wrk: say how busy it was.
  load="$(cut -d' ' -f1 /proc/loadavg)"
  echo "$out" >&2
  results+=("$(printf '%-34s %10s req/s   p50 %8s   p99 %8s   non-2xx %-5s load %s' \
    "$label" "$rps" "$p50" "$p99" "${errors:-0}" "$load")")
}

echo "wrk: $threads thread(s), $connections connections, ${seconds}s per run, server pid $server_pid" >&2
run_wrk "GET /healthz (bare route)" "$base/healthz"
run_wrk "GET music/<id> (finished)" -H "Authorization: Bearer $token" "$base/v2/pixverse/music/$audio_id"
run_wrk "GET music/<id> (queued)" -H "Authorization: Bearer $token" "$base/v2/pixverse/music/$queued_id"
# Free the queued song's slot: the pairs below may use all 8.
curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$base/v2/pixverse/scheduler/$queued_id"
TUNESMITH_TOKEN="$token" TUNESMITH_EMAIL="$email" \
  run_wrk "POST music/create + DELETE pairs" -s scripts/bench/create-cancel.lua "$base"

echo
echo "HTTP benchmark ($(nproc) cores, loopback, $bin); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${results[@]}"
echo "Targets: GET music/<id> >= 10000 req/s with p99 <= 10ms; create p99 <= 20ms (the pairs' p99 covers"
echo "creates and cancels alike: both are one write transaction)."
