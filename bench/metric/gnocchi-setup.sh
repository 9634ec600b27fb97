#!/usr/bin/env bash
# Debian's Gnocchi 4.4 on loopback for bench/metric/run.sh, as upstream runs it:
# `gnocchi-api` (which execs uwsgi with 1.5 x CPUs processes x CPUs threads)
# and `gnocchi-metricd` (CPUs workers), file storage and file incoming under
# $GN_BASE, the PostgreSQL indexer on a throw-away cluster (127.0.0.1:$GN_PG_PORT,
# its socket under $GN_BASE/run, trust auth), `[api] auth_mode = basic`
# (user `admin`, no password: Gnocchi gives that user the admin role).
# Differences from the package: own config file, no systemd units, metricd's
# metric_processing_delay $GN_DELAY s (Gnocchi's default 60; Nimbus's loop runs
# every 2 s, so both get the same chance).
#   gnocchi-setup.sh start|stop|status
# Env: GN_BASE (/tmp/gnocchi-bench), GN_PORT (8041), GN_PG_PORT (5499), GN_DELAY (2)
# Needs root (apt-get on first use; PostgreSQL runs as the postgres user).
set -euo pipefail
BASE=${GN_BASE:-/tmp/gnocchi-bench}
PORT=${GN_PORT:-8041}
PG_PORT=${GN_PG_PORT:-5499}
DELAY=${GN_DELAY:-2}
RUN=$BASE/run LOG=$BASE/log PGDATA=$BASE/pg CONF=$BASE/gnocchi.conf
PG_BIN=/usr/lib/postgresql/15/bin
CMD=${1:-start}

log() { printf 'gnocchi-setup: %s\n' "$*" >&2; }

need_pkgs() {
    local missing=()
    for p in gnocchi-api gnocchi-metricd python3-psycopg2 uwsgi-plugin-python3 postgresql-15; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    # noninteractive: dbconfig-common and the Keystone registration are skipped;
    # the image's policy-rc.d keeps the packaged services from starting.
    ((${#missing[@]} == 0)) || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
}

# Stops the PID recorded in $RUN/$1.pid (TERM, KILL after 15 s).
stop_pid() {
    local file=$RUN/$1.pid pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop_all() {
    stop_pid api
    stop_pid metricd
    if [ -f "$PGDATA/postmaster.pid" ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true; fi
}

start_pg() {
    mkdir -p "$RUN" "$LOG"
    chown postgres "$RUN" "$LOG"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        install -d -o postgres "$PGDATA"
        runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
    fi
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -w -l "$LOG/postgresql.log" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $RUN" start >/dev/null
    runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = 'gnocchi'" | grep -q 1 ||
        runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres gnocchi
}

write_config() {
    mkdir -p "$BASE/storage"
    cat > "$CONF" <<EOF
[DEFAULT]
log_dir = $LOG
[api]
auth_mode = basic
# uwsgi's own HTTP parser: Debian's uwsgi-core lacks the http router plugin that --http needs
uwsgi_mode = http-socket
host = 127.0.0.1
port = $PORT
[indexer]
url = postgresql://postgres@127.0.0.1:$PG_PORT/gnocchi
[storage]
driver = file
file_basepath = $BASE/storage
[incoming]
driver = file
file_basepath = $BASE/storage
[metricd]
metric_processing_delay = $DELAY
EOF
}

wait_api() {
    for _ in $(seq 600); do
        curl -fsS -o /dev/null --max-time 2 -u admin: "http://127.0.0.1:$PORT/v1/archive_policy" 2>/dev/null && return 0
        kill -0 "$(cat "$RUN/api.pid")" 2>/dev/null || { log "gnocchi-api exited; see $LOG/api.out"; return 1; }
        sleep 0.1
    done
    log "gnocchi-api gave no answer on :$PORT in 60 s; see $LOG/api.out"
    return 1
}

start() {
    need_pkgs
    stop_all
    start_pg
    write_config
    gnocchi-upgrade --config-file "$CONF" > "$LOG/upgrade.out" 2>&1
    gnocchi-api --config-file "$CONF" > "$LOG/api.out" 2>&1 < /dev/null &
    echo $! > "$RUN/api.pid"
    gnocchi-metricd --config-file "$CONF" > "$LOG/metricd.out" 2>&1 < /dev/null &
    echo $! > "$RUN/metricd.pid"
    wait_api
    log "gnocchi-api pid $(cat "$RUN/api.pid") on http://127.0.0.1:$PORT, metricd pid $(cat "$RUN/metricd.pid")"
}

status() {
    for name in api metricd; do
        [ -f "$RUN/$name.pid" ] && echo "$name pid $(cat "$RUN/$name.pid")" || echo "$name not running"
    done
}

case $CMD in
    start) start ;;
    stop) stop_all ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
