#!/usr/bin/env bash
# bench/keystone/profile.sh - CPU profiles (node --cpu-prof) of one Nimbus
# server: idle for IDLE_S seconds, then under token validation (c8) for
# LOAD_S seconds; prints the top self-time frames of each.
#
#   bash bench/keystone/profile.sh [OUT_DIR]    (default /tmp/nimbus-profile.XXXXXX)
#
# Env: IDLE_S [20] LOAD_S [15] TOP [12] PHASES ["idle validate"]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
IDLE_S=${IDLE_S:-20}; LOAD_S=${LOAD_S:-15}; TOP=${TOP:-12}; PHASES=${PHASES:-idle validate}
OUT=${1:-$(mktemp -d /tmp/nimbus-profile.XXXXXX)}
mkdir -p "$OUT"
# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=profile
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"
nimbus_ensure_built
PW=secret
BODY=$OUT/auth.json
printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"name":"Default"},"password":"%s"}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}' "$PW" > "$BODY"
token() { curl -fsS -i -H 'Content-Type: application/json' --data @"$BODY" "$1/identity/v3/auth/tokens" | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r'; }

# profile NAME WORK...: a fresh server profiled while WORK runs (given the base URL and the pid).
profile() {
    local name=$1; shift
    local port; port=$(nimbus_free_port)
    mkdir -p "$OUT/$name"
    NIMBUS_ADMIN_PASSWORD=$PW node --cpu-prof --cpu-prof-dir "$OUT/$name" "$ROOT/dist/nimbus.mjs" start \
        --host 127.0.0.1 --port "$port" --data-dir "$OUT/$name/data" > "$OUT/$name/server.log" 2>&1 < /dev/null &
    NIMBUS_PID=$!
    nimbus_wait_healthy "$port" 180 "$OUT/$name/server.log"
    "$@" "http://127.0.0.1:$port"
    kill -TERM "$NIMBUS_PID"; wait "$NIMBUS_PID" || true
    printf '== %s (load average %s)\n' "$name" "$(cut -d' ' -f1-3 /proc/loadavg)"
    node "$HERE/profile-top.mjs" "$OUT/$name"/*.cpuprofile "$TOP" "$PHASE_S"
}
# CPU ms (utime+stime) the server used so far.
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$NIMBUS_PID/stat"; }
idle() {
    PHASE_S=$IDLE_S
    local before; before=$(cpu_ms)
    sleep "$IDLE_S"
    echo "idle: $(( $(cpu_ms) - before )) ms of server CPU in ${IDLE_S} s after startup"
}
validate() {
    PHASE_S=$LOAD_S
    local admin subject
    admin=$(token "$1"); subject=$(token "$1")
    node "$ROOT/bench/lib/loadgen.mjs" --url "$1" -m GET --path /identity/v3/auth/tokens \
        -H "X-Auth-Token: $admin" -H "X-Subject-Token: $subject" --duration "$LOAD_S" -c 8 --warmup 200 --expect 200
}
for phase in $PHASES; do profile "$phase" "$phase"; done
echo "profiles in $OUT"
