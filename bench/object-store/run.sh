#!/usr/bin/env bash
# bench/object-store/run.sh - Nimbus object store vs Debian's Swift 2.30 (SAIO), in ONE run.
#
#   sudo bash bench/object-store/run.sh       (root: the SAIO runs as the swift user; ~10 min)
#
# Peer: the team's swift-saio.sh (../shared/peers/, override SWIFT_SAIO=) — proxy :8080
# with tempauth, account/container/object servers, 3 device dirs, 3 replicas. Nimbus: a
# fresh server (temp data dir, free port) with its default ring: 3 device dirs, 3 replicas.
# Per run, alternating the two stacks, on a new container each: PUT 4 KiB x PUT_N at c16,
# GET 4 KiB x GET_N at c16 over those objects, PUT 64 MiB x 3 at c1, GET 64 MiB x 3 at c1,
# with the loadgen's server CPU-ms per request (SAIO: every swift server; Nimbus: its one
# process); and per run `cp` of the same 64 MiB file on the same disk (BIG_N copies: to a new
# file with and without an fsync, and from that file to /dev/null), the yardstick of the
# 64 MiB lines. Writes bench/results/object-store-<date>.md with medians and ratios.
#
# Env: RUNS [3] C [16] PUT_N [2000] GET_N [5000] BIG_MB [64] OUT [bench/results/object-store-<date>.md]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SWIFT_SAIO=${SWIFT_SAIO:-$ROOT/../shared/peers/swift-saio.sh}
RUNS=${RUNS:-3}; C=${C:-16}; PUT_N=${PUT_N:-2000}; GET_N=${GET_N:-5000}; BIG_MB=${BIG_MB:-64}
DATE=$(date +%F)
OUT=${OUT:-$ROOT/bench/results/object-store-$DATE.md}
RAW=${OUT%.md}.jsonl
ADMIN_PW=bench-admin-pw

# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=bench
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"
log() { printf 'bench: %s\n' "$*" >&2; }
[ -f "$SWIFT_SAIO" ] || { log "no $SWIFT_SAIO (set SWIFT_SAIO=)"; exit 2; }

WORK=$(mktemp -d /var/tmp/nimbus-bench-swift.XXXXXX)
cleanup() { nimbus_stop; bash "$SWIFT_SAIO" stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
head -c $((BIG_MB * 1048576)) /dev/urandom > "$WORK/big.bin"

# --- the peer ---------------------------------------------------------------------
bash "$SWIFT_SAIO" start >&2
SAIO=http://127.0.0.1:8080
hdrs=$(curl -fsS -i -H 'X-Auth-User: test:tester' -H 'X-Auth-Key: testing' "$SAIO/auth/v1.0")
SAIO_TOKEN=$(printf '%s' "$hdrs" | awk -F': ' 'tolower($1)=="x-auth-token"{print $2}' | tr -d '\r')
SAIO_URL=$(printf '%s' "$hdrs" | awk -F': ' 'tolower($1)=="x-storage-url"{print $2}' | tr -d '\r')
SAIO_PATH=${SAIO_URL#http://*/}; SAIO_PATH=/$SAIO_PATH
SAIO_PIDS=$(cat "${SAIO_BASE:-/tmp/swift-saio}"/run/*.pid 2>/dev/null | paste -sd, || true)

# --- Nimbus -------------------------------------------------------------------------
nimbus_ensure_built
NB_PORT=$(nimbus_free_port)
printf 'log:\n  level: warn\nobject_store:\n  replicator_interval: 0\n' > "$WORK/nimbus.yaml"
nimbus_start "$WORK/data" "$NB_PORT" "$WORK/nimbus.yaml" "$ADMIN_PW" "$WORK/nimbus.log"
nimbus_wait_healthy "$NB_PORT" 60 "$WORK/nimbus.log"
NB=http://127.0.0.1:$NB_PORT
resp=$(curl -fsS -i -H 'Content-Type: application/json' "$NB/identity/v3/auth/tokens" --data \
    "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"name\":\"Default\"},\"password\":\"$ADMIN_PW\"}}},\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"name\":\"Default\"}}}}}")
NB_TOKEN=$(printf '%s' "$resp" | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r')
NB_PROJECT=$(printf '%s' "$resp" | tail -n 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token.project.id))')
NB_PATH=/object-store/v1/AUTH_$NB_PROJECT

# bench_stack NAME URL PATH TOKEN PIDS RUN
bench_stack() {
    local name=$1 url=$2 path=$3 token=$4 pids=$5 r=$6 cont="bench-$r-$RANDOM"
    local lg="node $ROOT/bench/lib/loadgen.mjs --url $url ${pids:+--cpu-pids $pids}"
    curl -fsS -o /dev/null -X PUT -H "X-Auth-Token: $token" "$url$path/$cont"
    $lg -m PUT --path "$path/$cont/o-{i}" --size 4096 -n "$PUT_N" -c "$C" -H "X-Auth-Token: $token" --warmup 50 --label "$name put4k r$r" | tee -a "$RAW"
    $lg -m GET --path "$path/$cont/o-{i}" --mod "$PUT_N" -n "$GET_N" -c "$C" -H "X-Auth-Token: $token" --warmup 100 --label "$name get4k r$r" | tee -a "$RAW"
    $lg -m PUT --path "$path/$cont/big" --body-file "$WORK/big.bin" -n 3 -c 1 -H "X-Auth-Token: $token" --label "$name put${BIG_MB}m r$r" | tee -a "$RAW"
    $lg -m GET --path "$path/$cont/big" -n 3 -c 1 -H "X-Auth-Token: $token" --label "$name get${BIG_MB}m r$r" | tee -a "$RAW"
}

# bench_cp RUN: MB/s of cp of big.bin in the work dir (same disk as both stacks' devices), as loadgen-like lines.
bench_cp() {
    local r=$1 mode t0 t1 i
    for mode in put-fsync put get; do
        t0=$(date +%s.%N)
        for i in 1 2 3; do
            case $mode in
                put-fsync) cp "$WORK/big.bin" "$WORK/cp-$i.bin" && sync "$WORK/cp-$i.bin" ;;
                put) cp "$WORK/big.bin" "$WORK/cp-nosync-$i.bin" ;;
                get) cp "$WORK/cp-$i.bin" /dev/null ;;
            esac
        done
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" -v mb="$BIG_MB" -v l="cp $mode r$r" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
            'BEGIN{s=b-a; printf "{\"label\":\"%s\",\"count\":3,\"concurrency\":1,\"ok\":3,\"secs\":%.3f,\"rps\":%.2f,\"MBps\":%.1f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"loadavg1_before\":%s}\n", l, s, 3/s, 3*mb/s, 1000*s/3, 1000*s/3, la}' | tee -a "$RAW"
    done
    rm -f "$WORK"/cp-*.bin
}

mkdir -p "$(dirname "$OUT")"
: > "$RAW"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq 1 "$RUNS"); do
    log "run $r/$RUNS"
    bench_stack swift "$SAIO" "$SAIO_PATH" "$SAIO_TOKEN" "$SAIO_PIDS" "$r"
    bench_stack nimbus "$NB" "$NB_PATH" "$NB_TOKEN" "$NIMBUS_PID" "$r"
    bench_cp "$r"
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
NB_RSS=$(awk '/^VmHWM:/{print $2}' "/proc/$NIMBUS_PID/status")
node "$HERE/report.mjs" "$RAW" "{\"date\":\"$DATE\",\"cores\":$(nproc),\"load_before\":$LOAD_BEFORE,\"load_after\":$LOAD_AFTER,\"runs\":$RUNS,\"git\":\"$(git -C "$ROOT" rev-parse --short HEAD)\",\"nimbus_rss_hwm_kib\":$NB_RSS,\"big_mb\":$BIG_MB}" > "$OUT"
cat "$OUT"
log "wrote $OUT (raw: $RAW)"
