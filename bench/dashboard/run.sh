#!/usr/bin/env bash
# bench/dashboard/run.sh - Nimbus's dashboard vs Debian's Horizon (openstack-dashboard) on the
# same views, against the same fresh Nimbus, in one run: page-ready time (median of RUNS full
# loads), server CPU per load, RSS of each side. Needs openstack-dashboard and /usr/bin/chromium.
#
#   bash bench/dashboard/run.sh        # ~5 min on the shared machine; writes bench/results/dashboard-<date>.md (+ .json)
#
# Env: SERVERS [50] (enough simulated hosts for them) VOLUMES [20] NETWORKS [10] RUNS [5], OUT [bench/results/dashboard-<date>.md].
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/results/dashboard-$(date -u +%Y-%m-%d).md}
[ -x /usr/bin/chromium ] || { echo "bench: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 77; }
HORIZON_VERSION=$(dpkg-query -W -f='${Version}' openstack-dashboard 2>/dev/null || echo '?')
# One simulated host holds about 500 m1.tiny (its RAM): enough hosts for SERVERS.
NIMBUS_CONFIG=$(mktemp /tmp/nimbus-bench-dashboard.XXXXXX.yaml)
printf 'compute:\n  fake:\n    hosts: %d\n' $(( ${SERVERS:-50} / 400 + 1 )) > "$NIMBUS_CONFIG"
export OUT HORIZON_VERSION NIMBUS_CONFIG
exec "$ROOT/scripts/horizon/run.sh" -- node "$ROOT/bench/dashboard/pages.mjs"
