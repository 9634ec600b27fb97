#!/usr/bin/env bash
# scripts/horizon/run.sh - Debian's Horizon (openstack-dashboard) pointed at a Nimbus,
# on loopback, for a person's browser, the browser test and bench/dashboard.
#
# usage:  scripts/horizon/run.sh [--nimbus-url URL] [--port PORT] [-- COMMAND [ARG...]]
#
# Without --nimbus-url it starts a fresh Nimbus itself (built first if dist/ is
# stale; temp data dir, free loopback port, admin password $NIMBUS_ADMIN_PASSWORD
# or a random one, printed). Horizon runs under Django's runserver (one process,
# threads, no autoreload) on PORT (default: a free loopback port) with
# nimbus_horizon_settings.py: Keystone at URL/identity/v3, sessions in local memory,
# DEBUG off, static files from Debian's collected /var/lib/openstack-dashboard/static.
# Apache is not involved, no system service is started.
#
# Once Horizon answers its login page, stdout gets KEY=VALUE lines (HORIZON_URL,
# HORIZON_PID, HORIZON_LOG, NIMBUS_URL, NIMBUS_PID, NIMBUS_ADMIN_PASSWORD when it
# started Nimbus) and then "ready". With a COMMAND it runs it with those in its
# environment and exits with its status; without, it waits until interrupted.
# Horizon (and the Nimbus it started) are stopped by PID at exit.
#
# Exit 77 when openstack-dashboard is not installed (apt-get install openstack-dashboard).
# Env: HORIZON_TIMEOUT [120] seconds to wait for the login page; NIMBUS_CONFIG a
# config file for the Nimbus it starts; WORKDIR [mktemp -d] logs and data (kept).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NIMBUS_ROOT=$(cd "$HERE/../.." && pwd) NIMBUS_LOG_PREFIX=horizon
# shellcheck source=../lib/nimbus-server.sh
. "$NIMBUS_ROOT/scripts/lib/nimbus-server.sh"
PY=/usr/bin/python3
# Deprecation and policy-scope warnings of the Python libraries would drown the log.
export PYTHONWARNINGS=ignore

log() { printf 'horizon: %s\n' "$*" >&2; }
die() { log "$1"; exit "${2:-1}"; }

NIMBUS_URL='' PORT=''
while [ $# -gt 0 ]; do
    case $1 in
        --nimbus-url) NIMBUS_URL=${2%/}; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) die "unknown argument $1 (see --help)" 2 ;;
    esac
done

"$PY" -c 'import openstack_dashboard' 2>/dev/null \
    || die "openstack-dashboard is not installed for $PY (apt-get install openstack-dashboard)" 77

# Debian's local_settings.py (loaded before ours) reads or creates this key file, www-data's.
KEY_STORE=/var/lib/openstack-dashboard/secret-key/.secret_key_store
[ -r "$KEY_STORE" ] || [ -w "$(dirname "$KEY_STORE")" ] \
    || die "Debian's local_settings.py needs to read or create $KEY_STORE: run as root or as www-data"

WORKDIR=${WORKDIR:-$(mktemp -d /tmp/nimbus-horizon.XXXXXX)}
mkdir -p "$WORKDIR"
HORIZON_PID=''
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    if [ -n "$HORIZON_PID" ]; then
        kill -TERM "$HORIZON_PID" 2>/dev/null || true
        wait "$HORIZON_PID" 2>/dev/null || true
        HORIZON_PID=''
    fi
    nimbus_stop
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "$NIMBUS_URL" ]; then
    nimbus_ensure_built || die "build failed"
    NB_PORT=$(nimbus_free_port)
    NIMBUS_ADMIN_PASSWORD=${NIMBUS_ADMIN_PASSWORD:-$(nimbus_random_password)}
    nimbus_start "$WORKDIR/data" "$NB_PORT" "${NIMBUS_CONFIG:-}" "$NIMBUS_ADMIN_PASSWORD" "$WORKDIR/nimbus.log"
    nimbus_wait_healthy "$NB_PORT" 90 "$WORKDIR/nimbus.log" || die "Nimbus did not start"
    NIMBUS_URL=http://127.0.0.1:$NB_PORT
    STARTED_NIMBUS=1
fi
curl -fsS -o /dev/null --max-time 10 "$NIMBUS_URL/identity/v3" || die "no identity API at $NIMBUS_URL/identity/v3"

PORT=${PORT:-$(nimbus_free_port)}
HORIZON_URL=http://127.0.0.1:$PORT/
HORIZON_LOG=$WORKDIR/horizon.log
log "starting Horizon on $HORIZON_URL against $NIMBUS_URL (log $HORIZON_LOG)"
PYTHONPATH=$HERE DJANGO_SETTINGS_MODULE=nimbus_horizon_settings \
NIMBUS_HORIZON_KEYSTONE_URL=$NIMBUS_URL/identity/v3 \
NIMBUS_HORIZON_SECRET_KEY=$(nimbus_random_password) \
    "$PY" -m django runserver --noreload 127.0.0.1:"$PORT" > "$HORIZON_LOG" 2>&1 < /dev/null &
HORIZON_PID=$!

t0=$SECONDS
until curl -fsS -o /dev/null --max-time 10 "${HORIZON_URL}auth/login/" 2>/dev/null; do
    if ! kill -0 "$HORIZON_PID" 2>/dev/null; then
        tail -n 30 "$HORIZON_LOG" >&2; HORIZON_PID=''; die "Horizon exited during startup"
    fi
    [ $((SECONDS - t0)) -lt "${HORIZON_TIMEOUT:-120}" ] || { tail -n 30 "$HORIZON_LOG" >&2; die "no login page after ${HORIZON_TIMEOUT:-120}s"; }
    sleep 0.5
done
log "Horizon ready after $((SECONDS - t0))s"

export HORIZON_URL HORIZON_PID HORIZON_LOG NIMBUS_URL
echo "HORIZON_URL=$HORIZON_URL"
echo "HORIZON_PID=$HORIZON_PID"
echo "HORIZON_LOG=$HORIZON_LOG"
echo "NIMBUS_URL=$NIMBUS_URL"
if [ "${STARTED_NIMBUS:-0}" = 1 ]; then
    export NIMBUS_PID NIMBUS_ADMIN_PASSWORD
    echo "NIMBUS_PID=$NIMBUS_PID"
    echo "NIMBUS_ADMIN_PASSWORD=$NIMBUS_ADMIN_PASSWORD"
fi
echo ready

if [ $# -gt 0 ]; then
    "$@"
else
    log "log in as admin at $HORIZON_URL (domain Default); Ctrl-C stops"
    wait "$HORIZON_PID"
fi
