#!/usr/bin/env bash
# conformance.sh - run the interop Tempest lists against a FRESH Nimbus server.
#
# usage:  npm run conformance -- SERVICE... | all
#         npm run conformance -- --full SERVICE... | all
#         bash scripts/conformance.sh identity
#
# --full runs Tempest's whole `tempest.api.<service>` package instead of the
# interop list, and checks it against conformance/expected/<service>.txt, the
# tests known to pass there: the run fails only if one of those does not pass
# (a regression). Tests that pass and are not listed yet are printed;
# UPDATE_EXPECTED=1 adds them to the list (it only ever grows).
#
# Starts Nimbus (built first if dist/ is missing or older than the sources) in
# a temporary data dir on a free loopback port, with a generated admin
# password and a config whose [security_compliance] matches what the identity
# list expects; waits for /healthcheck; runs conformance/run-tempest.sh on
# conformance/lists/$GUIDELINE/<service>.txt (several services: one combined
# run); stops the server by PID, also on failure or Ctrl-C.
#
# Env knobs (besides run-tempest.sh's own, e.g. CONCURRENCY, which pass through):
#   GUIDELINE [2022.11]       list directory under conformance/lists/
#   WORKDIR   [mktemp -d]     workspace: data dir, nimbus.yaml, server.log,
#                             tempest/ (the runner's workspace); kept afterwards
#   HEALTH_TIMEOUT [60]       seconds to wait for GET /healthcheck
#   NIMBUS_LOG_LEVEL          passed to the server's environment if set
#
# Output: progress on stderr, the runner's output, and as last line the
# runner's summary "N passed, N failed, N skipped[, N not run]".
# Exit status: the runner's (0 all passed, 1 failures), 2 on usage error,
# 3 if the server could not be built or started.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GUIDELINE=${GUIDELINE:-2022.11}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-60}

# --- The services Nimbus has so far --------------------------------------
# One row per service:  <list name under conformance/lists/G/>  <Tempest
# service name for run-tempest.sh's SERVICES, or - if always present>.
# SERVICES given to Tempest is every row's second column (minus "-"), whatever
# lists are run: it says what the cloud HAS (credential cleanup and the catalog
# test look at it). A service that needs fixtures before Tempest runs (an
# image, a flavor, a shared network) defines setup_<name, - as _>() below; it
# runs after the server is healthy, with OS_* set to admin, and exports the
# runner's knobs (IMAGE_REF, FLAVOR_REF, NETWORK_NAME, ...).
SERVICE_TABLE=(
    "identity        -"
    "network         network"
    "image           image"
    "compute         compute"
    "object-storage  object-storage"
    "volume          volume"
    "orchestration   orchestration"
    "alarming        alarming"
    "metric          metric"
)

# Compute's fixtures: setup_compute in scripts/lib/compute-fixtures.sh
# (sourced below; scripts/cluster-topology.sh uses them too).
# Network: the external network `public` comes from Nimbus's first-start
# content; Tempest needs its id, and the extension list the server offers.
setup_network() {
    PUBLIC_NETWORK_ID=$(openstack network show public -f value -c id)
    FLOATING_NETWORK_NAME=public
    NETWORK_API_EXTENSIONS=$(openstack extension list --network -f value -c Alias | paste -sd, -)
    export PUBLIC_NETWORK_ID FLOATING_NETWORK_NAME NETWORK_API_EXTENSIONS
}

# Volume: an image for the create-from-image tests (a small raw disk), DevStack's
# m1.nano for the attach tests' servers, and the extensions Tempest should expect
# (all of the server's).
setup_volume() {
    local disk="$WORKDIR/volume-test-image.raw"
    head -c 1048576 /dev/zero > "$disk"
    IMAGE_REF=$(openstack image create volume-test-image --disk-format raw \
        --container-format bare --public --file "$disk" -f value -c id)
    FLAVOR_REF=42
    export IMAGE_REF FLAVOR_REF
}

# Orchestration: heat_tempest_plugin's [heat_plugin] fixtures. Its stacks boot
# servers on DevStack's m1.nano (id 42) from the default image, unless another
# list's setup already chose an image and flavor (the plugin takes any), on
# the network its fixed_network_name/fixed_subnet_name defaults name (heat-net
# and heat-subnet, made here; a compute run's shared network instead when
# NETWORK_NAME is set), with floating IPs from `public`. The plugin runs as
# the admin user in the admin project (it has no dynamic credentials).
setup_orchestration() {
    IMAGE_REF=${IMAGE_REF:-$(openstack image show nimbus-blank-qcow2 -f value -c id)}
    FLAVOR_REF=${FLAVOR_REF:-42}
    FLOATING_NETWORK_NAME=public
    openstack network create heat-net -f value -c id >/dev/null
    openstack subnet create --network heat-net --subnet-range 10.250.0.0/24 heat-subnet -f value -c id >/dev/null
    export IMAGE_REF FLAVOR_REF FLOATING_NETWORK_NAME
    # Stacks here build in seconds; the plugin's 20-minute default wait would
    # let one stuck stack hold the whole run. Appended unless the caller
    # brings their own EXTRA_CONF.
    if [ -z "${EXTRA_CONF:-}" ]; then
        printf '[heat_plugin]\nbuild_timeout = 300\n' > "$WORKDIR/heat-plugin.conf"
        export EXTRA_CONF="$WORKDIR/heat-plugin.conf"
    fi
}

# Security compliance the identity list needs (Tempest's [identity] user_*
# defaults); written into the server's config AND passed to the runner so the
# two can never disagree.
export IDENTITY_SECURITY_COMPLIANCE=true
export IDENTITY_LOCKOUT_FAILURE_ATTEMPTS=2
export IDENTITY_LOCKOUT_DURATION=5
export IDENTITY_UNIQUE_LAST_PASSWORD_COUNT=2
export IDENTITY_MINIMUM_PASSWORD_AGE=0

log() { printf 'conformance: %s\n' "$*" >&2; }
die() { log "$1"; exit "${2:-2}"; }

# Rows are split on blanks on purpose (set -- $row).
# shellcheck disable=SC2086
table_names() { local row; for row in "${SERVICE_TABLE[@]}"; do set -- $row; echo "$1"; done; }
# shellcheck disable=SC2086
tempest_services() {
    local row out=()
    for row in "${SERVICE_TABLE[@]}"; do set -- $row; [ "$2" = - ] || out+=("$2"); done
    (IFS=,; echo "${out[*]:-}")
}

# The Tempest package of a service's whole API suite (--full).
tempest_package() {
    case "$1" in
        identity|network|image|compute|volume) echo "$1" ;;
        object-storage) echo object_storage ;;
        *) return 1 ;;
    esac
}
full_names() { local s; for s in $(table_names); do tempest_package "$s" >/dev/null && echo "$s"; done; }

usage() {
    sed -n '2,6p' "$0" >&2
    echo "services Nimbus has: $(table_names | tr '\n' ' ')" >&2
    exit 2
}

# --- which lists -----------------------------------------------------------
[ $# -ge 1 ] || usage
WANTED=() FULL=0
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage ;;
        --full) FULL=1 ;;
        all) mapfile -t -O "${#WANTED[@]}" WANTED < <(table_names) ;;
        *) table_names | grep -qx -- "$arg" || { log "unknown or not yet implemented service: $arg"; usage; }
           WANTED+=("$arg") ;;
    esac
done
# de-duplicate, keep order; --full all: the services that have an API package
mapfile -t WANTED < <(printf '%s\n' "${WANTED[@]}" | awk '!seen[$0]++')
if [ "$FULL" = 1 ]; then mapfile -t WANTED < <(for s in "${WANTED[@]}"; do tempest_package "$s" >/dev/null && echo "$s"; done); fi
[ "${#WANTED[@]}" -gt 0 ] || usage
for s in "${WANTED[@]}"; do
    if [ "$FULL" = 1 ]; then
        tempest_package "$s" >/dev/null || die "no Tempest API package for $s (--full takes: $(full_names | tr '\n' ' '))"
    else
        [ -r "$ROOT/conformance/lists/$GUIDELINE/$s.txt" ] || die "no list conformance/lists/$GUIDELINE/$s.txt"
    fi
done

# --- helpers ---------------------------------------------------------------
# shellcheck disable=SC2034  # read by the sourced library
NIMBUS_ROOT=$ROOT NIMBUS_LOG_PREFIX=conformance
# shellcheck source=lib/nimbus-server.sh
. "$ROOT/scripts/lib/nimbus-server.sh"
# shellcheck source=lib/compute-fixtures.sh
. "$ROOT/scripts/lib/compute-fixtures.sh"

write_config() {
    cat > "$1" <<EOF
# generated by scripts/conformance.sh for one Tempest run
identity:
  security_compliance:
    lockout_failure_attempts: $IDENTITY_LOCKOUT_FAILURE_ATTEMPTS
    lockout_duration: $IDENTITY_LOCKOUT_DURATION
    unique_last_password_count: $IDENTITY_UNIQUE_LAST_PASSWORD_COUNT
    minimum_password_age: $IDENTITY_MINIMUM_PASSWORD_AGE
# Tempest's container sync test names //realm1/name1 (its realm_name and cluster_name defaults).
object_store:
  container_sync_realms:
    realm1:
      key: "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  container_sync_cluster: name1
  container_sync_interval: 2
EOF
}

# The runner goes in its own session (setsid) so that an interrupt can end it
# and the Tempest workers under it as one process group we created.
RUNNER_PID='' TAIL_PID=''
# shellcheck disable=SC2317  # called from the EXIT trap
stop_runner() {
    if [ -n "$TAIL_PID" ]; then kill "$TAIL_PID" 2>/dev/null || true; TAIL_PID=; fi
    [ -n "$RUNNER_PID" ] || return 0
    local pid=$RUNNER_PID; RUNNER_PID=
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
cleanup() { stop_runner; nimbus_stop; }
trap cleanup EXIT
# bash runs traps only between commands; the runner is waited for with the
# interruptible `wait`, so these fire at once.
trap 'exit 130' INT
trap 'exit 143' TERM

# --full: each service's passes against its expected list. Prints the new
# passes and the regressions, and as last line "H passed, R failed, S
# skipped" counting expected passes held (H) and regressed (R); exit 1 on any
# regression.
check_expected() {
    local tempest_said=$1 held=0 regressed=0 s pkg expected dir="$WORKDIR/expected"
    mkdir -p "$dir"
    sed -E 's/\[.*\]$//' "$WORKDIR/tempest/passed.txt" | sort -u > "$dir/passed.txt"
    for s in "${WANTED[@]}"; do
        pkg=$(tempest_package "$s") expected="$ROOT/conformance/expected/$s.txt"
        grep -F "tempest.api.$pkg." "$dir/passed.txt" > "$dir/$s.passed" || true
        { [ -r "$expected" ] && grep -v '^#' "$expected" | grep . || true; } | sort -u > "$dir/$s.expected"
        comm -23 "$dir/$s.expected" "$dir/$s.passed" > "$dir/$s.regressed"
        comm -13 "$dir/$s.expected" "$dir/$s.passed" > "$dir/$s.new"
        held=$(( held + $(comm -12 "$dir/$s.expected" "$dir/$s.passed" | grep -c . || true) ))
        regressed=$(( regressed + $(grep -c . "$dir/$s.regressed" || true) ))
        sed 's/^/REGRESSED /' "$dir/$s.regressed"
        log "$s: $(grep -c . "$dir/$s.passed" || true) passed, $(grep -c . "$dir/$s.expected" || true) expected," \
            "$(grep -c . "$dir/$s.regressed" || true) regressed, $(grep -c . "$dir/$s.new" || true) newly passing ($dir/$s.new)"
        if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
            mkdir -p "$(dirname "$expected")"
            sort -u "$dir/$s.expected" "$dir/$s.passed" > "$expected"
            log "$s: $expected now lists $(grep -c . "$expected") tests"
        fi
    done
    log "Tempest said: $tempest_said"
    echo "$held passed, $regressed failed, 0 skipped"
    [ "$regressed" -eq 0 ]
}

# --- main ------------------------------------------------------------------
nimbus_ensure_built || die "build failed" 3
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/nimbus-conformance.XXXXXX)}
mkdir -p "$WORKDIR"
WORKDIR=$(readlink -f "$WORKDIR")
log "workspace: $WORKDIR"
PORT=$(nimbus_free_port)
ADMIN_PW=$(nimbus_random_password)
write_config "$WORKDIR/nimbus.yaml"
nimbus_start "$WORKDIR/data" "$PORT" "$WORKDIR/nimbus.yaml" "$ADMIN_PW" "$WORKDIR/server.log"
nimbus_wait_healthy "$PORT" "$HEALTH_TIMEOUT" "$WORKDIR/server.log" || exit 3

export OS_AUTH_URL="http://127.0.0.1:$PORT/identity/v3"
export OS_USERNAME=admin OS_PASSWORD="$ADMIN_PW" OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne OS_IDENTITY_API_VERSION=3 OS_INTERFACE=public
export SERVICES; SERVICES=$(tempest_services)
# Per-service fixtures (none yet; see the table's comment).
for s in "${WANTED[@]}"; do
    fn="setup_${s//-/_}"
    if declare -F "$fn" >/dev/null; then log "setup: $fn"; "$fn"; fi
done

if [ "$FULL" = 1 ]; then
    LIST="$WORKDIR/list.txt"
    for s in "${WANTED[@]}"; do echo "tempest.api.$(tempest_package "$s").*"; done > "$LIST"
elif [ "${#WANTED[@]}" -eq 1 ]; then
    LIST="$ROOT/conformance/lists/$GUIDELINE/${WANTED[0]}.txt"
else
    LIST="$WORKDIR/list.txt"
    for s in "${WANTED[@]}"; do cat "$ROOT/conformance/lists/$GUIDELINE/$s.txt"; done > "$LIST"
fi
if [ "$FULL" = 1 ]; then
    log "running Tempest's whole API suite of ${WANTED[*]} with SERVICES='$SERVICES'"
else
    log "running ${WANTED[*]} ($GUIDELINE, $(grep -c . "$LIST") tests) with SERVICES='$SERVICES'"
fi

: > "$WORKDIR/runner.out"   # exists before tail opens it
WORKDIR="$WORKDIR/tempest" setsid "$ROOT/conformance/run-tempest.sh" "$LIST" \
    > "$WORKDIR/runner.out" 2>&1 < /dev/null &
RUNNER_PID=$!
# live view; tail ends by itself once the runner has exited
tail -n +1 -f --pid="$RUNNER_PID" "$WORKDIR/runner.out" &
TAIL_PID=$!
rc=0
wait "$RUNNER_PID" || rc=$?
RUNNER_PID=
wait "$TAIL_PID" || true
TAIL_PID=
nimbus_stop
log "workspace kept: $WORKDIR (server.log; tempest/failures.log: traceback + HTTP log of each failure)"
summary=$(tail -n 1 "$WORKDIR/runner.out")
if [ "$FULL" = 1 ]; then
    case "$summary" in
        *" passed, "*" failed, "*) check_expected "$summary"; exit $? ;;
        *) log "runner gave no summary (exit $rc)"; exit 1 ;;
    esac
fi
# Repeat the summary so it stays the very last line after the messages above.
case "$summary" in
    *" passed, "*" failed, "*) echo "$summary" ;;
    *) log "runner gave no summary (exit $rc)"; [ "$rc" -ne 0 ] || rc=1 ;;
esac
exit "$rc"
