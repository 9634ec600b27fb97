#!/usr/bin/env bash
# cluster-topology.sh - a Nimbus cluster on one machine, and Tempest's compute
# interop list run against its load balancer (docs/cluster.md, issue 18).
#
# usage:  PG_URL=postgres://USER@HOST:PORT/DB bash scripts/cluster-topology.sh [LIST]
#
# Topology (all on 127.0.0.1, each process with its own data dir):
#
#               Tempest / openstack CLI
#                        |
#                 HAProxy :LB_PORT  (roundrobin, GET /healthcheck)
#                  /            \
#     nimbus start --role api   nimbus start --role api
#                  \            /
#                   PostgreSQL (one database; tasks, LISTEN/NOTIFY)
#                  /            \
#    nimbus agent compute       nimbus agent compute
#       --host compute1            --host compute2     (fake driver)
#
# PG_URL names a PostgreSQL server and a database there to connect to; the
# script creates a database of its own next to it (nimbus_topology_<random>)
# and drops it at the end. `nimbus manage db sync` prepares it; the two API
# processes share the Fernet key directory and one data dir (image bytes,
# volume files and objects are files there, as on a shared directory); HAProxy
# (Debian's `haproxy`, run in the foreground with a generated config, never
# the system service) balances them. Then setup_compute's fixtures and
# conformance/run-tempest.sh on LIST (default: the compute interop list of
# conformance/lists/2022.11) run against the HAProxy URL. Every process is
# stopped by its PID at the end, also on failure or Ctrl-C.
#
# Env knobs (besides run-tempest.sh's own, e.g. CONCURRENCY):
#   PG_URL    (required)  see above
#   WORKDIR   [mktemp -d] data dirs, configs, logs, haproxy.cfg, tempest/; kept
#   HEALTH_TIMEOUT [120]  seconds to wait for each process / the balancer
#   KEEP_RUNNING=1        after Tempest, print the URL and wait for Ctrl-C
#
# Output: progress on stderr, the runner's output, and as last line the
# runner's summary "N passed, N failed, N skipped[, N not run]".
# Exit status: the runner's (0 all passed, 1 failures), 2 on usage error,
# 3 if the cluster could not be started.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-120}
LIST=${1:-$ROOT/conformance/lists/2022.11/compute.txt}

# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=cluster-topology
# shellcheck source=lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"
# shellcheck source=lib/compute-fixtures.sh
. "$ROOT/scripts/lib/compute-fixtures.sh"

log() { printf 'cluster-topology: %s\n' "$*" >&2; }
die() { log "$1"; exit "${2:-2}"; }

[ -n "${PG_URL:-}" ] || die "set PG_URL to a PostgreSQL database URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
command -v haproxy >/dev/null || die "haproxy is not installed (apt-get install -y haproxy)"
command -v psql >/dev/null || die "psql is not installed (apt-get install -y postgresql-client)"
[ -r "$LIST" ] || die "no test list $LIST"

# --- processes we started, stopped by PID ------------------------------------
PIDS=()
DATABASE=''
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
    if [ -n "$DATABASE" ]; then
        psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1 || log "could not drop database $DATABASE"
        DATABASE=''
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts `node dist/nimbus.mjs ARGS...` in the background, logging to LOG; sets LAST_PID.
start_nimbus() {
    local log=$1; shift
    node "$ROOT/dist/nimbus.mjs" "$@" > "$log" 2>&1 < /dev/null &
    LAST_PID=$!
    PIDS+=("$LAST_PID")
}

# Waits until GET URL answers 200 while PID runs.
wait_ok() {
    local url=$1 pid=$2 logfile=$3 deadline=$(( $(date +%s) + HEALTH_TIMEOUT ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || { log "process $pid exited; last log lines:"; tail -n 30 "$logfile" >&2; return 1; }
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    log "no 200 from $url after ${HEALTH_TIMEOUT}s; last log lines:"; tail -n 30 "$logfile" >&2
    return 1
}

# Waits until the agent's log says it runs.
wait_agent() {
    local host=$1 pid=$2 logfile=$3 deadline=$(( $(date +%s) + HEALTH_TIMEOUT ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || { log "agent $host exited; last log lines:"; tail -n 30 "$logfile" >&2; return 1; }
        grep -q "compute agent for host $host is running" "$logfile" && return 0
        sleep 0.2
    done
    log "agent $host not running after ${HEALTH_TIMEOUT}s"; return 1
}

# --- main --------------------------------------------------------------------
nimbus_ensure_built || die "build failed" 3
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/nimbus-cluster.XXXXXX)}
mkdir -p "$WORKDIR"
WORKDIR=$(readlink -f "$WORKDIR")
log "workspace: $WORKDIR"

DATABASE="nimbus_topology_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
psql "$PG_URL" -qc "CREATE DATABASE $DATABASE" >/dev/null || { DATABASE=''; die "could not create a database with $PG_URL" 3; }
DB_URL=$(node -e 'const u=new URL(process.argv[1]);u.pathname="/"+process.argv[2];console.log(u.href)' "$PG_URL" "$DATABASE")
LB_PORT=$(nimbus_free_port) API1_PORT=$(nimbus_free_port) API2_PORT=$(nimbus_free_port)
ADMIN_PW=$(nimbus_random_password)
PUBLIC_URL="http://127.0.0.1:$LB_PORT"
mkdir -p "$WORKDIR/fernet-keys"

# One config for every process: the database, the shared keys, the balancer's URL for the catalog.
cat > "$WORKDIR/nimbus.yaml" <<EOF
# generated by scripts/cluster-topology.sh
database:
  connection: $DB_URL
server:
  public_url: $PUBLIC_URL
identity:
  fernet_tokens:
    key_repository: $WORKDIR/fernet-keys
log:
  level: warn
EOF

log "db sync into $DATABASE"
NIMBUS_ADMIN_PASSWORD="$ADMIN_PW" node "$ROOT/dist/nimbus.mjs" manage db sync \
    --data-dir "$WORKDIR/shared" --config "$WORKDIR/nimbus.yaml" > "$WORKDIR/sync.log" 2>&1 ||
    { tail -n 30 "$WORKDIR/sync.log" >&2; die "db sync failed" 3; }

# Image bytes, volume files and Swift's objects are files under the data dir, and
# an image's location names its file's path: the two API processes share the
# data dir db sync filled, as API hosts would share one directory (NFS).
start_nimbus "$WORKDIR/api1.log" start --role api --host 127.0.0.1 --port "$API1_PORT" --data-dir "$WORKDIR/shared" --config "$WORKDIR/nimbus.yaml"
API1_PID=$LAST_PID
start_nimbus "$WORKDIR/api2.log" start --role api --host 127.0.0.1 --port "$API2_PORT" --data-dir "$WORKDIR/shared" --config "$WORKDIR/nimbus.yaml"
API2_PID=$LAST_PID
for host in compute1 compute2; do
    start_nimbus "$WORKDIR/$host.log" agent compute --host "$host" --data-dir "$WORKDIR/$host" --config "$WORKDIR/nimbus.yaml"
    eval "${host}_PID=\$LAST_PID"
done
wait_ok "http://127.0.0.1:$API1_PORT/healthcheck" "$API1_PID" "$WORKDIR/api1.log" || exit 3
wait_ok "http://127.0.0.1:$API2_PORT/healthcheck" "$API2_PID" "$WORKDIR/api2.log" || exit 3
# shellcheck disable=SC2154  # set by the eval above
{ wait_agent compute1 "$compute1_PID" "$WORKDIR/compute1.log" && wait_agent compute2 "$compute2_PID" "$WORKDIR/compute2.log"; } || exit 3

cat > "$WORKDIR/haproxy.cfg" <<EOF
# generated by scripts/cluster-topology.sh
global
    maxconn 512
defaults
    mode http
    timeout connect 5s
    timeout client 300s
    timeout server 300s
frontend nimbus
    bind 127.0.0.1:$LB_PORT
    default_backend nimbus_api
backend nimbus_api
    balance roundrobin
    option httpchk GET /healthcheck
    server api1 127.0.0.1:$API1_PORT check inter 2s fall 2
    server api2 127.0.0.1:$API2_PORT check inter 2s fall 2
EOF
haproxy -c -q -f "$WORKDIR/haproxy.cfg" || die "haproxy refused its config" 3
# -db: foreground, no daemon; its PID is ours to stop.
haproxy -db -f "$WORKDIR/haproxy.cfg" > "$WORKDIR/haproxy.log" 2>&1 < /dev/null &
HAPROXY_PID=$!
PIDS+=("$HAPROXY_PID")
wait_ok "$PUBLIC_URL/healthcheck" "$HAPROXY_PID" "$WORKDIR/haproxy.log" || exit 3
log "cluster up: $PUBLIC_URL (api pids $API1_PID $API2_PID, agents $compute1_PID $compute2_PID, haproxy $HAPROXY_PID)"

export OS_AUTH_URL="$PUBLIC_URL/identity/v3"
export OS_USERNAME=admin OS_PASSWORD="$ADMIN_PW" OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne OS_IDENTITY_API_VERSION=3 OS_INTERFACE=public
# What the cloud has (as scripts/conformance.sh says it): every API process serves them all.
export SERVICES=${SERVICES:-compute,image,network,volume,object-storage,orchestration,alarming,metric}
log "setup: setup_compute"
setup_compute

log "running $(grep -c . "$LIST") tests of $LIST against $PUBLIC_URL"
rc=0
WORKDIR="$WORKDIR/tempest" "$ROOT/conformance/run-tempest.sh" "$LIST" < /dev/null | tee "$WORKDIR/runner.out" || rc=$?
# Tempest deletes its servers; the fake hypervisors' journals remember every guest they held.
for host in compute1 compute2; do
    log "$host held $(grep -o '"id":"[^"]*"' "$WORKDIR/$host/fake-hypervisor.jsonl" 2>/dev/null | sort -u | grep -c . || true) guests"
done
if [ "${KEEP_RUNNING:-0}" = 1 ]; then
    log "KEEP_RUNNING: the cluster stays up at $PUBLIC_URL (admin password $ADMIN_PW); Ctrl-C to stop"
    while kill -0 "$HAPROXY_PID" 2>/dev/null; do sleep 1; done
fi
log "workspace kept: $WORKDIR (api*.log, compute*.log, haproxy.log, tempest/failures.log)"
tail -n 1 "$WORKDIR/runner.out"
exit "$rc"
