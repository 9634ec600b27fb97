#!/usr/bin/env bash
# bench/orchestration/run.sh - Nimbus orchestration vs Debian's Heat 19, in ONE run.
#
#   bash bench/orchestration/run.sh        (as root; see bench/README.md)
#
# Peer: peer-heat.sh (heat-api and heat-engine with one worker each, RabbitMQ,
# MariaDB, Keystone; all on 127.0.0.1). Nimbus: a fresh server from dist/nimbus.mjs
# (temp data dir, free loopback port). stacks.mjs then alternates the two per case
# and writes bench/results/orchestration-<date>.json and .md.
#
# Env: TARGETS ["heat nimbus"]   e.g. TARGETS=heat to measure the peer alone
#      KEEP_PEER=1               leave Heat running afterwards (default: stop it)
#      OUT [bench/results/orchestration-<date>.json]
#      NIMBUS_ROOT [this repository]  the checkout whose dist/nimbus.mjs is measured
#      CASES RUNS C TIMEOUT_S DEADLINE_S SKIP   passed to stacks.mjs (see there)
#      and peer-heat.sh's HEAT_* / KS_* knobs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATE=$(date +%F)
OUT=${OUT:-$ROOT/bench/results/orchestration-$DATE.json}
TARGETS=${TARGETS:-heat nimbus}
export KS_ADMIN_PW=${KS_ADMIN_PW:-secret} KS_PORT=${KS_PORT:-5000}
has() { case " $TARGETS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=${NIMBUS_ROOT:-$ROOT} NIMBUS_LOG_PREFIX=bench
# shellcheck source=../../scripts/lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"

log() { printf 'bench: %s\n' "$*" >&2; }

WORK=$(mktemp -d /tmp/nimbus-bench-orchestration.XXXXXX)
PEER_STARTED=0
cleanup() {
    nimbus_stop
    if [ "$PEER_STARTED" = 1 ] && [ "${KEEP_PEER:-0}" != 1 ]; then bash "$HERE/peer-heat.sh" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TARGET_JSON=() META_JSON=("\"uptime_start\":\"$(uptime)\"")

if has heat; then
    [ "$(id -u)" = 0 ] || { log "peer-heat.sh needs root (apt, MariaDB, service users)"; exit 2; }
    log "starting Debian's Heat (peer-heat.sh start)"
    PEER_STARTED=1
    t0=$(date +%s.%N)
    PEER=$(bash "$HERE/peer-heat.sh" start | tail -n 1)
    META_JSON+=("\"heat_setup\":$PEER" "\"heat_setup_total_s\":$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')")
    pid() { node -e 'console.log(JSON.parse(process.argv[1]).pids[process.argv[2]])' "$PEER" "$1"; }
    TARGET_JSON+=("{\"name\":\"heat\",\"auth_url\":\"http://127.0.0.1:$KS_PORT/v3\",\"username\":\"admin\",\"password\":\"$KS_ADMIN_PW\",\"project\":\"admin\",
  \"cpu_groups\":{\"heat-api\":[$(pid heat-api)],\"heat-engine\":[$(pid heat-engine)]},
  \"support_groups\":{\"keystone\":[$(pid keystone)],\"mariadb\":[$(pid mariadb)],\"rabbitmq\":[$(pid rabbitmq)]},\"engine_group\":\"heat-engine\"}")
fi

if has nimbus; then
    nimbus_ensure_built
    NB_PORT=$(nimbus_free_port)
    NB_PW=$(nimbus_random_password)
    : > "$WORK/nimbus.yaml"
    nimbus_start "$WORK/data" "$NB_PORT" "$WORK/nimbus.yaml" "$NB_PW" "$WORK/nimbus.log"
    nimbus_wait_healthy "$NB_PORT" 60 "$WORK/nimbus.log"
    META_JSON+=("\"nimbus\":{\"root\":\"$NIMBUS_ROOT\",\"git\":\"$(git -C "$NIMBUS_ROOT" rev-parse --short HEAD)\",\"node\":\"$(node -v)\",\"startup_s\":$NIMBUS_STARTUP_SECS}")
    TARGET_JSON+=("{\"name\":\"nimbus\",\"auth_url\":\"http://127.0.0.1:$NB_PORT/identity/v3\",\"username\":\"admin\",\"password\":\"$NB_PW\",\"project\":\"admin\",
  \"cpu_groups\":{\"nimbus\":[$NIMBUS_PID]},\"support_groups\":{},\"engine_group\":\"nimbus\"}")
fi

((${#TARGET_JSON[@]})) || { log "no target in TARGETS='$TARGETS'"; exit 2; }
(
    IFS=,
    printf '{"meta":{%s},\n "targets":[%s]}\n' "${META_JSON[*]}" "${TARGET_JSON[*]}"
) > "$WORK/targets.json"
mkdir -p "$(dirname "$OUT")"
node "$HERE/stacks.mjs" "$WORK/targets.json" "$OUT"
log "wrote $OUT and ${OUT%.json}.md; uptime at the end: $(uptime)"
