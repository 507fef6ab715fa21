#!/usr/bin/env bash
# Checks a live server against its own OpenAPI document (GET /openapi.json): openapi-spec-validator on the
# document, then schemathesis on every operation with a valid token: no 5xx, and every answer's status, content
# type, headers and body as documented; invalid input (per the schema) must be refused with a 4xx.
#
# The server runs API-only (`--workers 0`: queued songs are never rendered, so the run stays short) on a free
# loopback port with a temporary data directory. The tools come from PyPI, pinned, into a venv under .build/.
# Bounded: a fixed seed and a fixed number of examples per operation (about a minute on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${TUNESMITH_BIN:-.build/debug/tunesmith}
VENV=$(pwd)/.build/venv
SCHEMATHESIS=schemathesis==4.32.5
VALIDATOR=openapi-spec-validator==0.9.0
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-30}

if ! "$VENV/bin/python" -m pip freeze 2>/dev/null | grep -qx "$SCHEMATHESIS"; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$SCHEMATHESIS" "$VALIDATOR"
fi

DATA=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=$("$BIN" token create --name schemathesis --data-dir "$DATA" 2>/dev/null)
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" --workers 0 --log-level error \
  >"$DATA/server.log" 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT"
"$VENV/bin/python" - "$URL/healthz" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("the server did not answer /healthz")
PY

"$VENV/bin/python" -c 'import sys, urllib.request; open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1]).read())' \
  "$URL/openapi.json" "$DATA/openapi.json"
"$VENV/bin/openapi-spec-validator" "$DATA/openapi.json"

status=0
# From the temporary folder: schemathesis keeps a cache of its findings in the working directory.
# The event stream is left out: it stays open until the client closes it, so every call would end in the
# request timeout. Tests/LiveTests/EventStreamLiveTests.swift checks it over a real socket instead.
cd "$DATA"
"$VENV/bin/schemathesis" run "$URL/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --exclude-path /v2/pixverse/events \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection \
  --phases examples,coverage,fuzzing \
  --max-examples "$EXAMPLES" --seed 20261201 --workers 2 --request-timeout 10 \
  --generation-database none --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis failed (exit $status); the server's log:" >&2
  tail -n 50 "$DATA/server.log" >&2 || true
fi
exit "$status"
