#!/usr/bin/env bash
# Scale-out benchmark (not a test; run by hand, prints figures). Starts its own throwaway PostgreSQL cluster
# (scripts/test-postgres.sh) and measures:
#   1. queue throughput: claims+completions per second with 1, 4 and 16 worker loops across processes
#      (1x1, 2x2, 4x4 DrillNode workers whose engine sleeps 0 ms) draining a pre-filled queue; figures from the
#      database's own timestamps (started_at .. updated_at);
#   2. claim latency: creates at a steady pace below capacity, p50/p99 of created_at -> started_at (the NOTIFY
#      wake-up plus the FOR UPDATE SKIP LOCKED claim), with 16 worker loops;
#   3. create latency under 200 concurrent clients on 2 API nodes (serve --no-workers) on PostgreSQL, and on
#      SQLite with one serve process for comparison (scripts/bench/create_load.py: create + DELETE pairs);
#   4. real renders: songs per hour with 1 and 2 `tunesmith worker` processes (30-second instrumentals).
# Goals from issue 12: >= 500 jobs/s at 16 loops, p99 claim latency <= 20 ms.
#
# Tunables: BENCH_JOBS (jobs per throughput run, 2000), BENCH_CLAIM_JOBS (paced creates, 300), BENCH_SECONDS
# (create load duration, 10), BENCH_CLIENTS (200), BENCH_SONGS (real songs per run, 4; 0 skips the renders),
# BENCH_CONFIGURATION (release, or debug for a quick smoke run with the test build).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${BENCH_JOBS:-2000}"
claim_jobs="${BENCH_CLAIM_JOBS:-300}"
seconds="${BENCH_SECONDS:-10}"
clients="${BENCH_CLIENTS:-200}"
songs="${BENCH_SONGS:-4}"
configuration="${BENCH_CONFIGURATION:-release}"
soundfont="${TUNESMITH_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"

if [ "$configuration" = release ]; then
  echo "Building release tunesmith and DrillNode..." >&2
  swift build -c release --product tunesmith 2>&1 | tail -1 >&2
  swift build -c release --product DrillNode 2>&1 | tail -1 >&2
fi
bin="$(swift build -c "$configuration" --show-bin-path)"
[ -x "$bin/DrillNode" ] && [ -x "$bin/tunesmith" ] || { echo "build $bin/tunesmith and $bin/DrillNode first" >&2; exit 1; }

eval "$(bash scripts/test-postgres.sh start)"
work="$(mktemp -d)"
pids=()
stop_nodes() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_nodes; bash scripts/test-postgres.sh stop "$TUNESMITH_TEST_POSTGRES_DIR"; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # $1 = port, $2 = pid, $3 = log
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.05
  done
  echo "nothing listened on $1" >&2; cat "$3" >&2; exit 1
}

server_url="${TUNESMITH_TEST_DATABASE_URL%%\?*}"
server_url="${server_url%/*}"
fresh_database() { # $1 = name; prints its URL
  psql_server "DROP DATABASE IF EXISTS $1 WITH (FORCE)" && psql_server "CREATE DATABASE $1"
  echo "$server_url/$1?sslmode=disable"
}
psql_server() { PGOPTIONS="-c client_min_messages=warning" psql -q -X "$server_url/postgres" -c "$1" >/dev/null; }
sql() { PGOPTIONS="-c client_min_messages=warning" psql -q -X -t -A "${database%%\?*}" -c "$1"; }

export TUNESMITH_LOG_LEVEL=warning TUNESMITH_ALLOW_PRIVATE_CALLBACKS=1 TUNESMITH_SOUNDFONT="$soundfont"

# $1 = role (serve|worker), $2 = name, $3 = loops (workers), rest: extra env assignments. Sets node_port.
start_drill_node() {
  local role="$1" name="$2" loops="$3"; shift 3
  node_port="$(free_port)"
  local port_variable=TUNESMITH_PORT
  [ "$role" = worker ] && port_variable=TUNESMITH_ADMIN_PORT
  env TUNESMITH_DATABASE_URL="$database" TUNESMITH_DATA_DIR="$work/$name" TUNESMITH_WORKERS="$loops" \
    "$port_variable=$node_port" TUNESMITH_DRILL_SLEEP_MS=0 "$@" \
    "$bin/DrillNode" "$role" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  wait_port "$node_port" "$!" "$work/$name.err"
}

# One API node on a fresh database; sets base, token.
start_api() { # $1 = database name
  database="$(fresh_database "$1")"
  start_drill_node serve api-"$1" 0
  base="http://127.0.0.1:$node_port"
  for _ in $(seq 1 100); do
    token="$(grep -o 'user:[a-z0-9]*-[A-Za-z0-9]\{32\}' "$work/api-$1.out" | head -n 1 || true)"
    [ -n "$token" ] && return 0
    sleep 0.05
  done
  echo "no admin token" >&2; exit 1
}

create() { # prints the audio id
  curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"prompt": "A 30 second calm piano piece", "instrumental": true}' "$base/v2/pixverse/music/create" |
    sed -n 's/.*"audio_id" *: *"\([^"]*\)".*/\1/p'
}

echo "== Queue throughput (sleeping engine, 0 ms per song; $jobs jobs per run)"
for layout in "1 1" "2 2" "4 4"; do
  set -- $layout
  processes="$1" loops="$2"
  start_api "bench_queue_$((processes * loops))"
  [ -n "$(create)" ] || { echo "create failed" >&2; exit 1; }
  # Clone the one queued job into a deep queue (the API's slots would cap a real backlog at 8 per account).
  sql "INSERT INTO tracks (asset_id, user_id, email, request, credits, status, progress, created_at, updated_at)
       SELECT t.asset_id / 2 + n, user_id, email, request, credits, 5, 0, created_at, updated_at
       FROM tracks t, generate_series(1, $((jobs - 1))) AS n" >/dev/null
  for index in $(seq 1 "$processes"); do start_drill_node worker "worker-$index-$loops" "$loops"; done
  for _ in $(seq 1 6000); do
    [ "$(sql "SELECT count(*) FROM tracks WHERE status IN (5, 10)")" = 0 ] && break
    sleep 0.1
  done
  sql "SELECT format('  %s loops (%s x %s): %s jobs in %s s = %s jobs/s', $((processes * loops)), $processes, $loops,
         count(*), round(extract(epoch FROM max(updated_at) - min(started_at))::numeric, 2),
         round(count(*) / greatest(extract(epoch FROM max(updated_at) - min(started_at)), 0.001)))
       FROM tracks WHERE status = 1"
  stop_nodes
done

echo "== Claim latency (16 loops idle-waiting; $claim_jobs creates at ~50/s; created_at -> started_at)"
start_api bench_claim
for index in 1 2 3 4; do start_drill_node worker "claim-worker-$index" 4; done
for account in $(seq 1 4); do
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"maxJobs\": 8}" "$base/v2/pixverse/accounts/claim$account@bench.local"
done
for _ in $(seq 1 "$claim_jobs"); do create >/dev/null; sleep 0.02; done
for _ in $(seq 1 600); do
  [ "$(sql "SELECT count(*) FROM tracks WHERE status IN (5, 10)")" = 0 ] && break
  sleep 0.1
done
sql "SELECT format('  %s claims: p50 %s ms, p99 %s ms, max %s ms', count(*),
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY w)::numeric, 1),
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY w)::numeric, 1), round(max(w)::numeric, 1))
     FROM (SELECT extract(epoch FROM started_at - created_at) * 1000 AS w FROM tracks WHERE started_at IS NOT NULL) s"
stop_nodes

# 26 accounts x 8 slots: each of the 200 clients holds at most one queued job at a time.
add_accounts() {
  for account in $(seq 1 26); do
    curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"maxJobs": 8}' "$1/v2/pixverse/accounts/load$account@bench.local"
  done
}

echo "== Create latency, $clients concurrent clients, ${seconds} s, PostgreSQL, 2 API nodes (serve --no-workers)"
start_api bench_create
first="$base"
start_drill_node serve api-bench-create-2 0
second="http://127.0.0.1:$node_port"
add_accounts "$first"
python3 scripts/bench/create_load.py "$token" "$seconds" "$clients" "$first" "$second"
stop_nodes

echo "== Create latency, $clients concurrent clients, ${seconds} s, SQLite, 1 serve process (no workers)"
port="$(free_port)"
"$bin/tunesmith" serve --data-dir "$work/sqlite" --port "$port" --no-workers >"$work/sqlite.out" 2>"$work/sqlite.err" &
pids+=($!)
wait_port "$port" "$!" "$work/sqlite.err"
token="$(grep -o 'user:[a-z0-9]*-[A-Za-z0-9]\{32\}' "$work/sqlite.out" | head -n 1)"
add_accounts "http://127.0.0.1:$port"
python3 scripts/bench/create_load.py "$token" "$seconds" "$clients" "http://127.0.0.1:$port"
stop_nodes

if [ "$songs" -gt 0 ]; then
  echo "== Real renders: $songs songs of 30 s per run, tunesmith worker processes (1 song at a time each)"
  for processes in 1 2; do
    start_api "bench_render_$processes"
    for _ in $(seq 1 "$songs"); do [ -n "$(create)" ] || { echo "create failed" >&2; exit 1; }; done
    for index in $(seq 1 "$processes"); do
      port="$(free_port)"
      TUNESMITH_DATABASE_URL="$database" "$bin/tunesmith" worker --workers 1 --admin-port "$port" \
        --data-dir "$work/render-$processes-$index" >"$work/render-$index.out" 2>"$work/render-$index.err" &
      pids+=($!)
      wait_port "$port" "$!" "$work/render-$index.err"
    done
    for _ in $(seq 1 36000); do
      [ "$(sql "SELECT count(*) FROM tracks WHERE status IN (5, 10)")" = 0 ] && break
      sleep 0.1
    done
    sql "SELECT format('  %s worker process(es): %s songs (%s failed) in %s s = %s songs/hour', $processes,
           count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status = 8),
           round(extract(epoch FROM max(updated_at) - min(started_at))::numeric, 1),
           round(count(*) FILTER (WHERE status = 1) * 3600 / greatest(extract(epoch FROM max(updated_at) - min(started_at)), 0.001)))
         FROM tracks"
    stop_nodes
  done
fi
