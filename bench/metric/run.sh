#!/usr/bin/env bash
# bench/metric/run.sh - Nimbus's metric API against Debian's Gnocchi 4.4 in one
# run (see bench/README.md, "metric"). Root: the peer is installed and run by
# gnocchi-setup.sh. Writes bench/results/metric-<date>.md and .jsonl beside it.
# Env: METRICS POINTS ROUNDS CHUNK C QUERY_METRICS QUERIES TIMEOUT_S (telemetry.mjs),
#      TARGETS ["gnocchi nimbus"], KEEP_PEER (1 = leave Gnocchi running), OUT
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NIMBUS_ROOT=$(cd "$HERE/../.." && pwd)
export NIMBUS_ROOT METRICS=${METRICS:-10000} POINTS=${POINTS:-10} ROUNDS=${ROUNDS:-1} QUERIES=${QUERIES:-5} TIMEOUT_S=${TIMEOUT_S:-900}
TARGETS=${TARGETS:-gnocchi nimbus}
DAY=$(date -u +%F)
OUT=${OUT:-$NIMBUS_ROOT/bench/results/metric-$DAY.md}
RAW=${OUT%.md}.jsonl
WORK=$(mktemp -d /tmp/nimbus-bench-metric.XXXXXX)
GN_PORT=${GN_PORT:-8041}
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$NIMBUS_ROOT/scripts/lib/nimbus-server.sh"

cleanup() {
    nimbus_stop
    [ "${KEEP_PEER:-0}" = 1 ] || bash "$HERE/gnocchi-setup.sh" stop || true
}
trap cleanup EXIT
has() { [[ " $TARGETS " == *" $1 "* ]]; }
: > "$RAW"
LOAD_BEFORE=$(uptime)

if has gnocchi; then
    GN_PORT=$GN_PORT bash "$HERE/gnocchi-setup.sh" start
    run=${GN_BASE:-/tmp/gnocchi-bench}/run
    TARGET=gnocchi BASE=http://127.0.0.1:$GN_PORT AUTH="Authorization: Basic $(printf admin: | base64)" \
        PIDS="$(cat "$run/api.pid"),$(cat "$run/metricd.pid")" node "$HERE/telemetry.mjs" | tee -a "$RAW"
fi

if has nimbus; then
    nimbus_ensure_built
    port=$(nimbus_free_port)
    password=$(nimbus_random_password)
    nimbus_start "$WORK/data" "$port" "" "$password" "$WORK/nimbus.log"
    nimbus_wait_healthy "$port" 120 "$WORK/nimbus.log"
    auth="{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"$password\"}}},
      \"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}"
    token=$(curl -fsS -i -X POST "http://127.0.0.1:$port/identity/v3/auth/tokens" -H 'content-type: application/json' -d "$auth" |
        awk -F': ' 'tolower($1) == "x-subject-token" { print $2 }' | tr -d '\r')
    TARGET=nimbus BASE=http://127.0.0.1:$port/metric AUTH="X-Auth-Token: $token" PIDS=$NIMBUS_PID node "$HERE/telemetry.mjs" | tee -a "$RAW"
fi

node "$HERE/report.mjs" "$RAW" "$LOAD_BEFORE" "$(uptime)" > "$OUT"
echo "wrote $OUT" >&2
