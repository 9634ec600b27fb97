#!/usr/bin/env bash
# run-tempest.sh - run an OpenStack interop (RefStack-style) Tempest test list
# against any cloud reachable through a Keystone v3 URL (Nimbus or a real one).
# Adapted from the team's shared run-interop.sh; self-contained, needs nothing
# outside this repository at run time. scripts/conformance.sh wraps it with a
# freshly started Nimbus server.
#
# usage:  conformance/run-tempest.sh LIST [--list-only]
#
# LIST: a file with one test per line, "tempest.api....test_x[id-<uuid>]" or
#       just the dotted name (see conformance/lists/<guideline>/*.txt), or a
#       package or class followed by ".*" ("tempest.api.identity.*": every
#       test under it; scripts/conformance.sh --full writes these), or a
#       short name resolved under conformance/lists/: "identity" (guideline
#       2022.11) or "2020.06/identity".
# --list-only (or LIST_ONLY=1): no cloud needed; only resolve the list against
#       the installed Tempest (test discovery) and report what is missing.
#
# Required env (not needed with --list-only):
#   OS_AUTH_URL        Keystone v3 URL, e.g. http://127.0.0.1:5000/v3
#   OS_USERNAME OS_PASSWORD OS_PROJECT_NAME   admin credentials
# Optional env (defaults in brackets):
#   OS_USER_DOMAIN_NAME [Default]  OS_PROJECT_DOMAIN_NAME [Default]
#   OS_REGION_NAME [RegionOne]     OS_INTERFACE [public]  OS_CACERT / OS_INSECURE
#   IMAGE_REF IMAGE_REF_ALT[=IMAGE_REF]  FLAVOR_REF FLAVOR_REF_ALT[=FLAVOR_REF]
#   NETWORK_NAME         shared tenant network servers are booted on
#   PUBLIC_NETWORK_ID    external network (router gateway / floating IP tests)
#   FLOATING_NETWORK_NAME
#   SERVICES [compute,image,network,volume,object-storage,orchestration,alarming,metric]
#            (set SERVICES= (empty) for an identity-only cloud)
#            which services exist besides identity; others are marked
#            unavailable and their tests skip
#   COMPUTE_MAX_MICROVERSION [latest]  VOLUME_MAX_MICROVERSION [latest]
#   NETWORK_API_EXTENSIONS [all]  VOLUME_API_EXTENSIONS [all]
#   COMPUTE_API_EXTENSIONS [all]  SWIFT_DISCOVERABLE_APIS [all]
#   IDENTITY_SECURITY_COMPLIANCE [false]  (password history / lockout tests)
#   IDENTITY_LOCKOUT_FAILURE_ATTEMPTS [2]  IDENTITY_LOCKOUT_DURATION [5]
#   IDENTITY_UNIQUE_LAST_PASSWORD_COUNT [2]  IDENTITY_MINIMUM_PASSWORD_AGE [0]
#            must equal the cloud's [security_compliance] values
#   IPV6_SUBNET_ATTRIBUTES [true]   RESIZE [true]  RUN_VALIDATION [false]
#   SWAP_VOLUME [true]  (admin swap of an attached volume, PUT os-volume_attachments)
#   CREATE_ISOLATED_NETWORKS [false]  VOLUME_SIZE [1]
#   BUILD_TIMEOUT [300]  CONCURRENCY [2]
#   HEAT_USERNAME/HEAT_PASSWORD/HEAT_PROJECT_NAME [= OS_*]  (heat plugin
#            does not use dynamic credentials)
#   WORKDIR  [mktemp -d]  workspace location; kept after the run. Holds
#            ws/etc/tempest.conf, run.log, results.subunit, {passed,failed,
#            skipped,notrun,missing}.txt and failures.log (each failed test's
#            traceback and its HTTP requests and responses)
#   EXTRA_CONF  file appended verbatim to tempest.conf (overrides)
#   PYTHON   interpreter with subunit/testtools [the one tempest runs under]
#
# Output: last line "N passed, N failed, N skipped" (+ ", N not run").
# Exit status: 0 if nothing failed, 1 if something failed (or the list had
# tests but none ran at all, e.g. tempest could not start), 2 on usage error.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LISTS_DIR="$HERE/lists"
DEFAULT_GUIDELINE=2022.11

usage() { sed -n '2,50p' "$0" >&2; exit 2; }

# A LIST argument may be a path, or a short name under conformance/lists/.
resolve_list() {
    local arg=$1
    if [ -f "$arg" ]; then readlink -f "$arg"; return; fi
    local cand
    for cand in "$LISTS_DIR/$arg" "$LISTS_DIR/$arg.txt" "$LISTS_DIR/$DEFAULT_GUIDELINE/$arg.txt"; do
        if [ -f "$cand" ]; then readlink -f "$cand"; return; fi
    done
    return 1
}

[ $# -ge 1 ] || usage
[ "${2:-}" = "--list-only" ] && LIST_ONLY=1
LIST_ONLY=${LIST_ONLY:-0}
LIST=$(resolve_list "$1") || { echo "no such test list: $1" >&2; usage; }
[ -r "$LIST" ] || usage
command -v tempest >/dev/null || { echo "tempest not installed (apt-get install tempest)" >&2; exit 2; }
# Use the interpreter Tempest itself runs under: PATH's python3 may be a pyenv
# shim without subunit/testtools.
PY=${PYTHON:-$(sed -n '1s/^#! *//p' "$(command -v tempest)")}
[ -x "${PY%% *}" ] || PY=/usr/bin/python3
if [ "$LIST_ONLY" != 1 ]; then
    for v in OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_PROJECT_NAME; do
        [ -n "${!v:-}" ] || { echo "missing env $v" >&2; exit 2; }
    done
fi

WORKDIR=${WORKDIR:-$(mktemp -d /tmp/interop-tempest.XXXXXX)}
mkdir -p "$WORKDIR"
WORKDIR=$(readlink -f "$WORKDIR")
WS="$WORKDIR/ws"
NAME="interop-$(basename "$WORKDIR")"
# A re-used WORKDIR: start from a clean tempest workspace.
tempest workspace remove --name "$NAME" >/dev/null 2>&1 || true
rm -rf "$WS"
tempest init --name "$NAME" "$WS" >/dev/null
# Keep ~/.tempest/workspace.yaml tidy; the directory itself stays for reading.
trap 'tempest workspace remove --name "$NAME" >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SERVICES=${SERVICES-compute,image,network,volume,object-storage,orchestration,alarming,metric}
has() { case ",${SERVICES}," in *",$1,"*) echo true;; *) echo false;; esac; }
AUTH_URL=${OS_AUTH_URL:-http://127.0.0.1:5000/v3}
INSECURE=false; case "${OS_INSECURE:-}" in 1|true|True|yes) INSECURE=true;; esac

cat > "$WS/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $WS/logs
log_file = tempest.log
debug = true

[auth]
use_dynamic_credentials = true
create_isolated_networks = ${CREATE_ISOLATED_NETWORKS:-false}
admin_username = ${OS_USERNAME:-admin}
admin_password = ${OS_PASSWORD:-x}
admin_project_name = ${OS_PROJECT_NAME:-admin}
admin_domain_name = ${OS_USER_DOMAIN_NAME:-Default}

[identity]
auth_version = v3
uri_v3 = $AUTH_URL
region = ${OS_REGION_NAME:-RegionOne}
v3_endpoint_type = ${OS_INTERFACE:-public}
disable_ssl_certificate_validation = $INSECURE
${OS_CACERT:+ca_certificates_file = $OS_CACERT}
default_domain_id = default
user_lockout_failure_attempts = ${IDENTITY_LOCKOUT_FAILURE_ATTEMPTS:-2}
user_lockout_duration = ${IDENTITY_LOCKOUT_DURATION:-5}
user_unique_last_password_count = ${IDENTITY_UNIQUE_LAST_PASSWORD_COUNT:-2}
user_minimum_password_age = ${IDENTITY_MINIMUM_PASSWORD_AGE:-0}

[identity-feature-enabled]
api_v2 = false
api_v3 = true
security_compliance = ${IDENTITY_SECURITY_COMPLIANCE:-false}
application_credentials = true

[service_available]
nova = $(has compute)
glance = $(has image)
neutron = $(has network)
cinder = $(has volume)
swift = $(has object-storage)
heat = $(has orchestration)
heat_plugin = $(has orchestration)
aodh = $(has alarming)
gnocchi = $(has metric)
placement = false

[compute]
region = ${OS_REGION_NAME:-RegionOne}
image_ref = ${IMAGE_REF:-}
image_ref_alt = ${IMAGE_REF_ALT:-${IMAGE_REF:-}}
flavor_ref = ${FLAVOR_REF:-}
flavor_ref_alt = ${FLAVOR_REF_ALT:-${FLAVOR_REF:-}}
${NETWORK_NAME:+fixed_network_name = $NETWORK_NAME}
build_timeout = ${BUILD_TIMEOUT:-300}
max_microversion = ${COMPUTE_MAX_MICROVERSION:-latest}

[compute-feature-enabled]
resize = ${RESIZE:-true}
api_extensions = ${COMPUTE_API_EXTENSIONS:-all}
live_migration = false
block_migration_for_live_migration = false
console_output = true
change_password = false
personality = false
vnc_console = $([ -e /usr/share/novnc/vnc_lite.html ] && echo true || echo false)
serial_console = false
spice_console = false
rescue = false
swap_volume = ${SWAP_VOLUME:-true}

[validation]
run_validation = ${RUN_VALIDATION:-false}
${NETWORK_NAME:+network_for_ssh = $NETWORK_NAME}

[image]
region = ${OS_REGION_NAME:-RegionOne}

[image-feature-enabled]
api_v1 = false
api_v2 = true

[network]
region = ${OS_REGION_NAME:-RegionOne}
${PUBLIC_NETWORK_ID:+public_network_id = $PUBLIC_NETWORK_ID}
${FLOATING_NETWORK_NAME:+floating_network_name = $FLOATING_NETWORK_NAME}
build_timeout = ${BUILD_TIMEOUT:-300}

[network-feature-enabled]
ipv6 = true
ipv6_subnet_attributes = ${IPV6_SUBNET_ATTRIBUTES:-true}
api_extensions = ${NETWORK_API_EXTENSIONS:-all}

[volume]
region = ${OS_REGION_NAME:-RegionOne}
catalog_type = ${VOLUME_CATALOG_TYPE:-volumev3}
volume_size = ${VOLUME_SIZE:-1}
build_timeout = ${BUILD_TIMEOUT:-300}
max_microversion = ${VOLUME_MAX_MICROVERSION:-latest}
vendor_name = Nimbus
storage_protocol = local

[volume-feature-enabled]
api_extensions = ${VOLUME_API_EXTENSIONS:-all}
backup = true
manage_snapshot = false
extend_attached_volume = false

[object-storage]
region = ${OS_REGION_NAME:-RegionOne}
operator_role = ${SWIFT_OPERATOR_ROLE:-member}

[object-storage-feature-enabled]
discoverable_apis = ${SWIFT_DISCOVERABLE_APIS:-all}
container_sync = false

[heat_plugin]
auth_url = $AUTH_URL
auth_version = 3
region = ${OS_REGION_NAME:-RegionOne}
username = ${HEAT_USERNAME:-${OS_USERNAME:-admin}}
password = ${HEAT_PASSWORD:-${OS_PASSWORD:-x}}
project_name = ${HEAT_PROJECT_NAME:-${OS_PROJECT_NAME:-admin}}
admin_username = ${OS_USERNAME:-admin}
admin_password = ${OS_PASSWORD:-x}
admin_project_name = ${OS_PROJECT_NAME:-admin}
user_domain_name = ${OS_USER_DOMAIN_NAME:-Default}
project_domain_name = ${OS_PROJECT_DOMAIN_NAME:-Default}
disable_ssl_certificate_validation = $INSECURE
image_ref = ${IMAGE_REF:-}
minimal_image_ref = ${IMAGE_REF:-}
instance_type = ${FLAVOR_REF:-}
minimal_instance_type = ${FLAVOR_REF:-}
${NETWORK_NAME:+fixed_network_name = $NETWORK_NAME}
${FLOATING_NETWORK_NAME:+floating_network_name = $FLOATING_NETWORK_NAME}
skip_scenario_tests = false
EOF
if [ -n "${EXTRA_CONF:-}" ]; then cat "$EXTRA_CONF" >> "$WS/etc/tempest.conf"; fi

cd "$WS"
# --- test discovery: resolve list entries to this Tempest's full test ids
tempest run --list-tests 2>/dev/null | grep -E '^[a-z_]+\.' > "$WORKDIR/all-tests.txt" || true
"$PY" - "$LIST" "$WORKDIR/all-tests.txt" "$WORKDIR/normalized.txt" "$WORKDIR/missing.txt" <<'PY'
import re, sys
want, have, out, miss = sys.argv[1:5]
by_name, by_uuid = {}, {}
for full in open(have):
    full = full.strip()
    by_name[re.sub(r'\[.*?\]', '', full)] = full
    for u in re.findall(r'id-([0-9a-f-]{36})', full):
        by_uuid[u] = full
found, missing, seen = [], [], set()
for line in open(want):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    if line.endswith('.*'):
        # a whole package or class: every test under that prefix
        prefix = line[:-1]
        under = sorted(full for name, full in by_name.items() if name.startswith(prefix))
        found.extend(full for full in under if full not in seen)
        seen.update(under)
        if not under:
            missing.append(line)
        continue
    name = re.sub(r'\[.*?\]', '', line)
    uuids = re.findall(r'(?:id-)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', line)
    full = by_name.get(name) or next((by_uuid[u] for u in uuids if u in by_uuid), None)
    if full:
        if full not in seen:
            seen.add(full); found.append(full)
    else:
        missing.append(line)
open(out, 'w').write(''.join(f + '\n' for f in found))
open(miss, 'w').write(''.join(m + '\n' for m in missing))
print('discovery: %d listed, %d resolved in installed tempest (%d known tests), %d missing'
      % (len(found) + len(missing), len(found), len(by_name), len(missing)), file=sys.stderr)
for m in missing:
    print('  MISSING ' + m, file=sys.stderr)
PY
echo "workspace: $WS" >&2
if [ "$LIST_ONLY" = 1 ]; then
    cat "$WORKDIR/normalized.txt"
    exit 0
fi

# --- run (a failing run is the normal case to report, not a reason to stop)
set +e
tempest run --load-list "$WORKDIR/normalized.txt" --concurrency "${CONCURRENCY:-2}" \
    > "$WORKDIR/run.log" 2>&1
set -e
"$PY" -m stestr last --subunit > "$WORKDIR/results.subunit" 2>/dev/null || true
"$PY" - "$WORKDIR/results.subunit" "$WORKDIR/normalized.txt" "$WORKDIR" <<'PY'
import re, sys, subunit, testtools
res, norm, wd = sys.argv[1:4]
status = {}
flog = open('%s/failures.log' % wd, 'w')
def cb(t):
    status[t['id']] = t['status']
    if t['status'] in ('fail', 'uxsuccess'):
        # traceback and Tempest's request/response log of each failed test
        flog.write('=' * 78 + '\n%s\n' % t['id'])
        for name, content in sorted(t['details'].items(), key=lambda kv: kv[0] != 'traceback'):
            try:
                flog.write('--- %s\n%s\n' % (name, content.as_text()))
            except Exception as e:
                flog.write('--- %s (unreadable: %s)\n' % (name, e))
r = testtools.StreamToDict(cb)
r.startTestRun()
with open(res, 'rb') as f:
    subunit.ByteStreamToStreamResult(f, non_subunit_name='stdout').run(r)
r.stopTestRun()
flog.close()
P = [t for t, s in status.items() if s in ('success', 'xfail')]
F = [t for t, s in status.items() if s in ('fail', 'uxsuccess')]
S = [t for t, s in status.items() if s == 'skip']
ran = {re.sub(r'\[.*?\]', '', t) for t in status}
listed = open(norm).read().split()
notrun = [t for t in listed if re.sub(r'\[.*?\]', '', t) not in ran]
for name, lst in (('passed', P), ('failed', F), ('skipped', S), ('notrun', notrun)):
    open('%s/%s.txt' % (wd, name), 'w').write(''.join(sorted(x + '\n' for x in lst)))
for t in sorted(F):
    print('FAIL ' + t)
if listed and not status:
    print('nothing ran: see %s/run.log' % wd)
print('%d passed, %d failed, %d skipped%s' % (len(P), len(F), len(S),
      ', %d not run' % len(notrun) if notrun else ''))
sys.exit(1 if F or (listed and not status) else 0)
PY
