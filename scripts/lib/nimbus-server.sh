# shellcheck shell=bash
# scripts/lib/nimbus-server.sh - sourced (not run) by scripts/conformance.sh and
# bench/*/run.sh: build if needed, start a fresh Nimbus on loopback, wait for
# /healthcheck, stop it by its PID. Needs NIMBUS_ROOT (the repository root).
#
#   nimbus_ensure_built                    npm run build if dist/ is stale
#   nimbus_free_port                       prints a free 127.0.0.1 TCP port
#   nimbus_random_password                 prints a fresh admin password
#   nimbus_start DATA_DIR PORT CONFIG PW LOG   sets NIMBUS_PID
#   nimbus_wait_healthy PORT TIMEOUT LOG   0 once GET /healthcheck gives 200
#   nimbus_stop                            SIGTERM, SIGKILL after 15 s; idempotent
# Messages go to stderr so that callers' stdout stays theirs.

NIMBUS_PID=

_nimbus_log() { printf '%s: %s\n' "${NIMBUS_LOG_PREFIX:-nimbus}" "$*" >&2; }

nimbus_ensure_built() {
    local main="$NIMBUS_ROOT/dist/nimbus.mjs"
    if [ -f "$main" ] && [ -z "$(find "$NIMBUS_ROOT/src" "$NIMBUS_ROOT/package.json" "$NIMBUS_ROOT/tsconfig.json" \
            -newer "$main" \( -name '*.ts' -o -name '*.json' \) -print -quit 2>/dev/null)" ]; then
        return 0
    fi
    _nimbus_log "building (dist/ missing or older than src/)"
    (cd "$NIMBUS_ROOT" && npm run --silent build) >&2 || return 1
    [ -f "$main" ] || { _nimbus_log "build gave no $main"; return 1; }
}

nimbus_free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

nimbus_random_password() {
    node -e 'console.log("Nb-"+require("crypto").randomBytes(12).toString("base64url"))'
}

nimbus_start() {
    local data=$1 port=$2 config=$3 pw=$4 log=$5
    mkdir -p "$data"
    NIMBUS_ADMIN_PASSWORD="$pw" node "$NIMBUS_ROOT/dist/nimbus.mjs" start \
        --host 127.0.0.1 --port "$port" --data-dir "$data" ${config:+--config "$config"} \
        > "$log" 2>&1 < /dev/null &
    NIMBUS_PID=$!
    _nimbus_log "server pid $NIMBUS_PID on http://127.0.0.1:$port (log $log)"
}

nimbus_wait_healthy() {
    local port=$1 timeout=$2 log=$3 t0
    t0=$(date +%s.%N)
    while awk -v a="$t0" -v b="$(date +%s.%N)" -v t="$timeout" 'BEGIN{exit !(b-a < t)}'; do
        if ! kill -0 "$NIMBUS_PID" 2>/dev/null; then
            _nimbus_log "server exited during startup; last log lines:"; tail -n 30 "$log" >&2
            return 1
        fi
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthcheck" 2>/dev/null; then
            NIMBUS_STARTUP_SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
            _nimbus_log "healthy after ${NIMBUS_STARTUP_SECS}s"
            return 0
        fi
        sleep 0.1
    done
    _nimbus_log "no 200 on /healthcheck after ${timeout}s; last log lines:"; tail -n 30 "$log" >&2
    return 1
}

nimbus_stop() {
    [ -n "$NIMBUS_PID" ] || return 0
    local pid=$NIMBUS_PID; NIMBUS_PID=
    if ! kill -0 "$pid" 2>/dev/null; then
        _nimbus_log "warning: server pid $pid had already exited"; return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        _nimbus_log "server pid $pid ignored SIGTERM for 15 s; killing"; kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
