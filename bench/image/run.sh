#!/usr/bin/env bash
# bench/image/run.sh - Nimbus image upload and download of a large image vs a
# plain `cp` of the same file on the same disk, in ONE run.
#
#   bash bench/image/run.sh            (no root needed; ~2 min; see bench/README.md)
#
# The peer is the physical limit, not another server: `cp` of the image file
# to the same directory Nimbus keeps images in (then `sync` of the copy, as
# Nimbus fsyncs every image before it answers). Nimbus: a fresh server (temp
# data dir on the same file system as the image file), admin token, then per
# run: create an image and PUT its data with curl (Content-Length known, as
# the openstack CLI sends it), GET it back with curl into a file on the same
# disk (checked against the source's sha256 once), and GET it to /dev/null
# (the server's own read path). The server's RSS is sampled every 50 ms during
# each transfer; its peak shows whether memory stays flat however large the
# image is.
#
# Env: SIZE_MIB [1024] RUNS [3] OUT [bench/results/image-<date>.md]
#      (raw JSON lines: same name .jsonl)  WORK [mktemp -d under /var/tmp]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIZE_MIB=${SIZE_MIB:-1024}; RUNS=${RUNS:-3}
DATE=$(date +%F)
OUT=${OUT:-$ROOT/bench/results/image-$DATE.md}
RAW=${OUT%.md}.jsonl
META=${OUT%.md}.meta.json
ADMIN_PW=bench-admin-pw

# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=bench
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"

log() { printf 'bench: %s\n' "$*" >&2; }
command -v curl >/dev/null || { log "curl is needed"; exit 2; }

WORK=${WORK:-$(mktemp -d /var/tmp/nimbus-bench-image.XXXXXX)}
mkdir -p "$WORK"
SAMPLER_PID=
cleanup() {
    [ -z "$SAMPLER_PID" ] || kill "$SAMPLER_PID" 2>/dev/null || true
    nimbus_stop
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}'; }
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

# Samples the server's RSS into $1 every 50 ms until killed.
start_sampler() {
    : > "$1"
    ( while :; do rss_kib "$NB_PID" >> "$1" 2>/dev/null || true; sleep 0.05; done ) &
    SAMPLER_PID=$!
}
stop_sampler() {
    kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
    sort -n "$1" | tail -n 1
}

# record LABEL SECONDS [PEAK_RSS_KIB]: one JSON line.
record() {
    local mbps
    mbps=$(awk -v s="$SIZE_MIB" -v t="$2" 'BEGIN{printf "%.1f", s*1.048576/t}')
    printf '{"label":"%s","seconds":%s,"MBps":%s,"peak_rss_kib":%s,"loadavg1_before":%s}\n' \
        "$1" "$2" "$mbps" "${3:-null}" "$LOAD_BEFORE" | tee -a "$RAW"
}

# --- the image file and the server -------------------------------------------------
log "writing a ${SIZE_MIB} MiB random image file in $WORK"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/image.raw"
SRC_SHA=$(sha256sum "$WORK/image.raw" | cut -d' ' -f1)

nimbus_ensure_built
NB_PORT=$(nimbus_free_port)
nimbus_start "$WORK/data" "$NB_PORT" "" "$ADMIN_PW" "$WORK/nimbus.log"
nimbus_wait_healthy "$NB_PORT" 60 "$WORK/nimbus.log"
NB_PID=$NIMBUS_PID
NB=http://127.0.0.1:$NB_PORT
RSS_IDLE=$(rss_kib "$NB_PID")
TOKEN=$(curl -fsS -i -H 'Content-Type: application/json' "$NB/identity/v3/auth/tokens" --data \
    "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"name\":\"Default\"},\"password\":\"$ADMIN_PW\"}}},\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"name\":\"Default\"}}}}}" \
    | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r')
[ -n "$TOKEN" ] || { log "no token (log: $WORK/nimbus.log)"; exit 3; }
STORE_DIR="$WORK/data/images"
[ "$(stat -c %d "$WORK/image.raw")" = "$(stat -c %d "$WORK/data")" ] || log "warning: the image file and the data dir are on different file systems"

mkdir -p "$(dirname "$OUT")"
: > "$RAW"
for r in $(seq 1 "$RUNS"); do
    log "run $r/$RUNS"
    LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

    # The physical limit: cp to the store's directory, then make the copy durable.
    t0=$(now); cp "$WORK/image.raw" "$STORE_DIR/cp-copy"; sync "$STORE_DIR/cp-copy"; record "cp r$r" "$(elapsed "$t0")"
    t0=$(now); cp "$STORE_DIR/cp-copy" "$WORK/cp-back"; record "cp back r$r" "$(elapsed "$t0")"
    rm -f "$STORE_DIR/cp-copy" "$WORK/cp-back"

    id=$(curl -fsS -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' "$NB/image/v2/images" \
        --data "{\"name\":\"bench-$r\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}" \
        | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')
    start_sampler "$WORK/rss-up"
    t0=$(now)
    curl -fsS -X PUT -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/octet-stream' -T "$WORK/image.raw" "$NB/image/v2/images/$id/file"
    up=$(elapsed "$t0"); record "nimbus upload r$r" "$up" "$(stop_sampler "$WORK/rss-up")"

    start_sampler "$WORK/rss-down"
    t0=$(now)
    curl -fsS -H "X-Auth-Token: $TOKEN" -o "$WORK/download.raw" "$NB/image/v2/images/$id/file"
    down=$(elapsed "$t0"); record "nimbus download r$r" "$down" "$(stop_sampler "$WORK/rss-down")"
    if [ "$r" = 1 ]; then
        [ "$(sha256sum "$WORK/download.raw" | cut -d' ' -f1)" = "$SRC_SHA" ] || { log "downloaded bytes differ from the source"; exit 4; }
        log "download matches the source (sha256)"
    fi
    rm -f "$WORK/download.raw"

    start_sampler "$WORK/rss-null"
    t0=$(now)
    curl -fsS -H "X-Auth-Token: $TOKEN" -o /dev/null "$NB/image/v2/images/$id/file"
    record "nimbus download to /dev/null r$r" "$(elapsed "$t0")" "$(stop_sampler "$WORK/rss-null")"
    curl -fsS -X DELETE -H "X-Auth-Token: $TOKEN" "$NB/image/v2/images/$id"
done

cat > "$META" <<EOF
{"date":"$DATE","cores":$(nproc),"kernel":"$(uname -r)","size_mib":$SIZE_MIB,"runs":$RUNS,
 "fs":"$(df -T "$WORK" | awk 'NR==2{print $2}')","node":"$(node -v)","curl":"$(curl --version | head -n 1 | cut -d' ' -f2)",
 "git":"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)","rss_idle_kib":$RSS_IDLE,
 "rss_hwm_kib":$(awk '/^VmHWM:/{print $2}' "/proc/$NB_PID/status")}
EOF
node "$HERE/report.mjs" "$RAW" "$META" > "$OUT"
cat "$OUT"
log "wrote $OUT (raw: $RAW, $META)"
