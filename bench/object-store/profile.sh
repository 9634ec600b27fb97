#!/usr/bin/env bash
# bench/object-store/profile.sh - CPU profiles (node --cpu-prof) of one fresh Nimbus
# server per phase under a bounded object-store load; prints the top self-time frames.
#   put: 4 KiB PUTs at c16 for LOAD_S seconds
#   get: PREFILL 4 KiB objects, then 4 KiB GETs over them at c16 for LOAD_S seconds
#        (only the GET seconds are counted)
#
#   bash bench/object-store/profile.sh [OUT_DIR]    (default /tmp/nimbus-swift-profile.XXXXXX)
#
# Env: LOAD_S [15] TOP [15] PREFILL [500] PHASES ["put get"]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOAD_S=${LOAD_S:-15}; TOP=${TOP:-15}; PREFILL=${PREFILL:-500}; PHASES=${PHASES:-put get}
OUT=${1:-$(mktemp -d /tmp/nimbus-swift-profile.XXXXXX)}
mkdir -p "$OUT"
# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=profile
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"
nimbus_ensure_built
PW=secret
printf 'log:\n  level: warn\nobject_store:\n  replicator_interval: 0\n' > "$OUT/nimbus.yaml"
printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"name":"Default"},"password":"%s"}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}' "$PW" > "$OUT/auth.json"
LG="node $ROOT/bench/lib/loadgen.mjs"

profile() {
    local name=$1 port resp token project base
    port=$(nimbus_free_port)
    mkdir -p "$OUT/$name"
    NIMBUS_ADMIN_PASSWORD=$PW node --cpu-prof --cpu-prof-dir "$OUT/$name" "$ROOT/dist/nimbus.mjs" start \
        --host 127.0.0.1 --port "$port" --data-dir "$OUT/$name/data" --config "$OUT/nimbus.yaml" \
        > "$OUT/$name/server.log" 2>&1 < /dev/null &
    NIMBUS_PID=$!
    nimbus_wait_healthy "$port" 180 "$OUT/$name/server.log"
    resp=$(curl -fsS -i -H 'Content-Type: application/json' --data @"$OUT/auth.json" "http://127.0.0.1:$port/identity/v3/auth/tokens")
    token=$(printf '%s' "$resp" | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r')
    project=$(printf '%s' "$resp" | tail -n 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token.project.id))')
    base=/object-store/v1/AUTH_$project/prof
    curl -fsS -o /dev/null -X PUT -H "X-Auth-Token: $token" "http://127.0.0.1:$port$base"
    if [ "$name" = get ]; then
        $LG --url "http://127.0.0.1:$port" -m PUT --path "$base/o-{i}" --size 4096 -n "$PREFILL" -c 16 -H "X-Auth-Token: $token" --label prefill
        $LG --url "http://127.0.0.1:$port" -m GET --path "$base/o-{i}" --mod "$PREFILL" --duration "$LOAD_S" -c 16 \
            -H "X-Auth-Token: $token" --warmup 100 --expect 200 --label "profile get4k"
    else
        $LG --url "http://127.0.0.1:$port" -m PUT --path "$base/o-{i}" --size 4096 --duration "$LOAD_S" -c 16 \
            -H "X-Auth-Token: $token" --warmup 50 --expect 201 --label "profile put4k"
    fi
    kill -TERM "$NIMBUS_PID"; wait "$NIMBUS_PID" || true
    printf '== %s (load average %s)\n' "$name" "$(cut -d' ' -f1-3 /proc/loadavg)"
    node "$ROOT/bench/keystone/profile-top.mjs" "$OUT/$name"/*.cpuprofile "$TOP" "$LOAD_S"
}
for phase in $PHASES; do profile "$phase"; done
echo "profiles in $OUT"
