#!/usr/bin/env bash
# bench/keystone/run.sh - Nimbus identity vs Debian's real Keystone, in ONE run.
#
#   bash bench/keystone/run.sh            (as root; see bench/README.md)
#
# Peer: Keystone 22.0.x (Zed) as Debian runs it (uwsgi 8 procs x 32 threads,
# fernet, MariaDB on a unix socket, bcrypt cost 12), started by the team's
# script shared/peers/keystone-setup.sh on 127.0.0.1:$KS_PORT. That script is
# found at $KEYSTONE_SETUP, default ../shared/peers/keystone-setup.sh next to
# this repository (where CI and the dev machines have shared/); it installs
# keystone + mariadb-server from Debian on first use.
# Nimbus: a fresh server (temp data dir, free port != KS_PORT, bcrypt cost 12).
#
# Both get the same load for the same time, alternating per run (so drift in
# the machine's load hits both alike): POST /v3/auth/tokens (password,
# project-scoped; for ISSUE_S seconds at concurrency C after a warm-up) and
# GET /v3/auth/tokens validate (VALIDATE_S seconds, C). A fixed time, not a
# fixed count: a count that takes Keystone a minute is over for Nimbus in a
# fraction of a second, where one stall of the shared machine swings the
# figure 4x. Reported: medians over RUNS runs of req/s and their ratio,
# p50/p99, server CPU-ms per request (utime+stime of the server processes),
# RSS after the runs, the load average before each measurement.
#
# Env: RUNS [3] C [8] ISSUE_S [20] VALIDATE_S [20]
#      KS_PORT [5000] KS_ADMIN_PW [secret] KS_BASE [/tmp/keystone-bench]
#      KEYSTONE_SETUP [../shared/peers/keystone-setup.sh]
#      KEEP_PEER=1   leave Keystone running afterwards (default: stop it)
#      TARGETS ["keystone nimbus"]  e.g. TARGETS=keystone to check the peer alone
#      OUT [bench/results/keystone-<date>.md]  (raw JSON lines: same name .jsonl)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIB="$ROOT/bench/lib"
RUNS=${RUNS:-3}; C=${C:-8}; ISSUE_S=${ISSUE_S:-20}; VALIDATE_S=${VALIDATE_S:-20}
export KS_PORT=${KS_PORT:-5000} KS_ADMIN_PW=${KS_ADMIN_PW:-secret} KS_BASE=${KS_BASE:-/tmp/keystone-bench}
KEYSTONE_SETUP=${KEYSTONE_SETUP:-$ROOT/../shared/peers/keystone-setup.sh}
DATE=$(date +%F)
OUT=${OUT:-$ROOT/bench/results/keystone-$DATE.md}
RAW=${OUT%.md}.jsonl
META=${OUT%.md}.meta.json
BCRYPT_COST=12
TARGETS=${TARGETS:-keystone nimbus}
has() { case " $TARGETS " in *" $1 "*) return 0;; *) return 1;; esac; }

# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=bench
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"

log() { printf 'bench: %s\n' "$*" >&2; }

if has keystone; then
    [ -x "$KEYSTONE_SETUP" ] || { log "peer script not found: $KEYSTONE_SETUP (set KEYSTONE_SETUP)"; exit 2; }
    [ "$(id -u)" = 0 ] || { log "keystone-setup.sh needs root (apt, mariadb, uwsgi as user keystone)"; exit 2; }
fi

WORK=$(mktemp -d /tmp/nimbus-bench-keystone.XXXXXX)
PEER_STARTED=0
cleanup() {
    nimbus_stop
    if [ "$PEER_STARTED" = 1 ] && [ "${KEEP_PEER:-0}" != 1 ]; then
        "$KEYSTONE_SETUP" stop >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# RSS in KiB of PIDs and their direct children (uwsgi workers; node workers).
rss_kib() {
    local pids=("$@") p
    for p in "$@"; do mapfile -t -O "${#pids[@]}" pids < <(pgrep -P "$p" || true); done
    ps -o rss= -p "$(IFS=,; echo "${pids[*]}")" 2>/dev/null | awk '{s+=$1} END{print s+0}'
}

# X-Subject-Token for a password auth with BODY_FILE against BASE_URL (…/v3).
token() {
    curl -fsS -i -H 'Content-Type: application/json' --data @"$2" "$1/auth/tokens" \
        | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r'
}

auth_body() {
    cat > "$1" <<EOF
{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"name":"Default"},"password":"$KS_ADMIN_PW"}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}
EOF
}

# loadgen LABEL LOADGEN_ARGS...: one measurement appended to $RAW. loadgen
# exits 1 when some responses had another status; that is data (the report
# counts errors per run; real Keystone gives an odd 403 on validation under
# load), so it does not stop the bench.
loadgen() {
    local label=$1; shift
    node "$LIB/loadgen.mjs" "$@" --label "$label" | tee -a "$RAW" \
        || log "warning: $label: not every response had the expected status"
}
# bench_issue|bench_validate NAME RUN HOST_URL V3_PATH CPU_PID [ADMIN_TOKEN SUBJECT_TOKEN]
bench_issue() {
    loadgen "$1 issue r$2" --url "$3" --cpu-pids "$5" -m POST --path "$4/auth/tokens" \
        -H 'Content-Type: application/json' --body-file "$WORK/auth.json" \
        --duration "$ISSUE_S" -c "$C" --warmup "$C" --expect 201
}
bench_validate() {
    loadgen "$1 validate r$2" --url "$3" --cpu-pids "$5" -m GET --path "$4/auth/tokens" \
        -H "X-Auth-Token: $6" -H "X-Subject-Token: $7" \
        --duration "$VALIDATE_S" -c "$C" --warmup 50 --expect 200
}

auth_body "$WORK/auth.json"

# --- peer: Keystone --------------------------------------------------------------
KS_META='null'
start_keystone() {
    log "starting Keystone with $KEYSTONE_SETUP on :$KS_PORT"
    PEER_STARTED=1
    local t0; t0=$(date +%s.%N)
    "$KEYSTONE_SETUP" start >&2
    KS_STARTUP=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
    KS_PID=$(cat "$KS_BASE/run/uwsgi.pid")
    KS_HOST=http://127.0.0.1:$KS_PORT KS_V3=/v3
    KS_COST=$(mariadb -S "$KS_BASE/run/mysqld.sock" -N keystone \
        -e "SELECT substr(password_hash,5,2) FROM password WHERE password_hash LIKE '\$2%' LIMIT 1" 2>/dev/null || true)
    KS_ADMIN=$(token "$KS_HOST$KS_V3" "$WORK/auth.json"); KS_SUBJ=$(token "$KS_HOST$KS_V3" "$WORK/auth.json")
    if [ -z "$KS_ADMIN" ] || [ -z "$KS_SUBJ" ]; then log "no token from Keystone"; return 1; fi
}
keystone_meta() {
    KS_META="{\"version\":\"$(dpkg-query -W -f='${Version}' keystone 2>/dev/null)\",\"port\":$KS_PORT,
   \"startup_s\":$KS_STARTUP,\"rss_kib\":$(rss_kib "$KS_PID"),\"db_rss_kib\":$(rss_kib "$(cat "$KS_BASE/run/mysqld.pid")"),\"bcrypt_cost\":\"${KS_COST:-?}\"}"
}

# --- Nimbus ----------------------------------------------------------------------
NB_META='null'
start_nimbus() {
    nimbus_ensure_built || return
    NB_PORT=$(nimbus_free_port)
    while [ "$NB_PORT" = "$KS_PORT" ]; do NB_PORT=$(nimbus_free_port); done
    cat > "$WORK/nimbus.yaml" <<EOF
# bench: same bcrypt cost as the peer (keystone.conf [identity] password_hash_rounds)
identity:
  identity:
    password_hash_rounds: $BCRYPT_COST
EOF
    nimbus_start "$WORK/data" "$NB_PORT" "$WORK/nimbus.yaml" "$KS_ADMIN_PW" "$WORK/nimbus.log"
    nimbus_wait_healthy "$NB_PORT" 60 "$WORK/nimbus.log" || return
    NB_PID=$NIMBUS_PID
    NB_HOST=http://127.0.0.1:$NB_PORT NB_V3=/identity/v3
    NB_ADMIN=$(token "$NB_HOST$NB_V3" "$WORK/auth.json"); NB_SUBJ=$(token "$NB_HOST$NB_V3" "$WORK/auth.json")
    if [ -z "$NB_ADMIN" ] || [ -z "$NB_SUBJ" ]; then log "no token from Nimbus (log: $WORK/nimbus.log)"; return 1; fi
    # The cost the stored hash says, whatever the config key is called.
    # shellcheck disable=SC2016  # a literal bcrypt prefix, not an expansion
    NB_COST=$(grep -raoh '\$2[aby]\$[0-9][0-9]\$' "$WORK/data" 2>/dev/null | head -n 1 | cut -c5-6 || true)
    [ "${NB_COST:-?}" = "$BCRYPT_COST" ] || log "warning: Nimbus stored bcrypt cost '${NB_COST:-?}', expected $BCRYPT_COST"
}
nimbus_meta() {
    NB_META="{\"version\":\"$(node -p "require('$ROOT/package.json').version")\",\"git\":\"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)\",
   \"node\":\"$(node -v)\",\"port\":$NB_PORT,\"startup_s\":$NIMBUS_STARTUP_SECS,\"rss_kib\":$(rss_kib "$NB_PID"),\"bcrypt_cost\":\"${NB_COST:-?}\"}"
}

if has keystone; then start_keystone; fi
if has nimbus; then start_nimbus; fi

# --- load, alternating -------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
: > "$RAW"
load0=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq 1 "$RUNS"); do
    log "run $r/$RUNS"
    if has keystone; then bench_issue keystone "$r" "$KS_HOST" "$KS_V3" "$KS_PID"; fi
    if has nimbus; then bench_issue nimbus "$r" "$NB_HOST" "$NB_V3" "$NB_PID"; fi
    if has keystone; then bench_validate keystone "$r" "$KS_HOST" "$KS_V3" "$KS_PID" "$KS_ADMIN" "$KS_SUBJ"; fi
    if has nimbus; then bench_validate nimbus "$r" "$NB_HOST" "$NB_V3" "$NB_PID" "$NB_ADMIN" "$NB_SUBJ"; fi
done

if has keystone; then keystone_meta; fi
if has nimbus; then nimbus_meta; fi
cat > "$META" <<EOF
{"date":"$DATE","cores":$(nproc),"kernel":"$(uname -r)","loadavg_start":$load0,
 "runs":$RUNS,"c":$C,"issue_s":$ISSUE_S,"validate_s":$VALIDATE_S,
 "keystone":$KS_META,
 "nimbus":$NB_META}
EOF
node "$HERE/report.mjs" "$RAW" "$META" > "$OUT"
cat "$OUT"
log "wrote $OUT (raw: $RAW, $META)"
