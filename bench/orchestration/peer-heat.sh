#!/usr/bin/env bash
# Debian's Heat 19 (Zed) on loopback as the orchestration bench's peer:
# heat-engine (num_engine_workers = 1), heat-api (workers = 1) and heat-api-cfn,
# RabbitMQ (guest, loopback only), MariaDB and Keystone from the team's
# keystone-setup.sh (Heat's database lives in that MariaDB, on its unix socket).
# Every daemon is started here as a plain process (no systemd), its PID recorded
# under $HEAT_BASE/run, and stopped by that PID.
#   peer-heat.sh start|stop|status|reset      (root: apt, MariaDB, users)
# start is re-runnable: it stops what it recorded, then starts again; Keystone
# objects and databases are kept. It prints one JSON line with the setup times.
# Env: HEAT_BASE (/tmp/heat-bench), HEAT_PORT (8004), HEAT_CFN_PORT (8000),
#      HEAT_MQ_PORT (5672), KS_PORT (5000), KS_ADMIN_PW (secret), KS_BASE (/tmp/keystone-bench),
#      KS_PROCESSES (2) KS_THREADS (8): Keystone only authenticates here, so it gets less than
#      keystone-setup.sh's default 8 x 32; KEYSTONE_SETUP (../shared/peers/keystone-setup.sh
#      next to the repository).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BASE=${HEAT_BASE:-/tmp/heat-bench}
ETC=$BASE/etc LOG=$BASE/log RUN=$BASE/run MQ=$BASE/rabbitmq
HEAT_PORT=${HEAT_PORT:-8004} CFN_PORT=${HEAT_CFN_PORT:-8000} MQ_PORT=${HEAT_MQ_PORT:-5672}
export KS_PORT=${KS_PORT:-5000} KS_ADMIN_PW=${KS_ADMIN_PW:-secret} KS_BASE=${KS_BASE:-/tmp/keystone-bench}
export KS_PROCESSES=${KS_PROCESSES:-2} KS_THREADS=${KS_THREADS:-8}
KEYSTONE_SETUP=${KEYSTONE_SETUP:-$ROOT/../shared/peers/keystone-setup.sh}
KS_URL=http://127.0.0.1:$KS_PORT/v3
HEAT_PW=heat-bench-pw DOMAIN_ADMIN_PW=heat-domain-pw DB_PW=heat-db-pw
DAEMONS="heat-api-cfn heat-api heat-engine rabbitmq epmd"

log() { printf 'peer-heat: %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

need_pkgs() {
    local missing=() p
    for p in heat-api heat-api-cfn heat-engine rabbitmq-server python3-pymysql; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    # The image's policy-rc.d keeps the packaged services from starting; debconf's
    # noninteractive defaults leave Heat's dbconfig and endpoint registration off.
    if ((${#missing[@]})); then
        [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit)" ] || apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
    fi
}

# A zombie (ended, not yet reaped by whoever inherited it) answers kill -0 but is gone.
running() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
alive() { [ -f "$RUN/$1.pid" ] && running "$(cat "$RUN/$1.pid")"; }

stop_one() {
    local name=$1 pid
    [ -f "$RUN/$name.pid" ] || return 0
    pid=$(cat "$RUN/$name.pid")
    if running "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 150); do running "$pid" || break; sleep 0.1; done
        if running "$pid"; then log "$name ($pid) ignored SIGTERM; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$RUN/$name.pid"
}

stop_heat() { local d; for d in $DAEMONS; do stop_one "$d"; done; }

wait_port() { # PORT SECONDS NAME
    for _ in $(seq $(($2 * 10))); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
    log "$3 not listening on 127.0.0.1:$1 after $2 s"; return 1
}

start_rabbitmq() {
    mkdir -p "$MQ/mnesia" "$MQ/log"
    echo '[].' > "$MQ/enabled_plugins"
    chown -R rabbitmq:rabbitmq "$MQ"
    # erl would start epmd itself, listening on every interface and outliving us: start it here, loopback only.
    if ! pgrep -x epmd >/dev/null; then
        setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups epmd -address 127.0.0.1 >"$LOG/epmd.log" 2>&1 &
        echo $! > "$RUN/epmd.pid"
    fi
    HOME=/var/lib/rabbitmq ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME=heatbench@localhost \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$MQ_PORT RABBITMQ_DIST_PORT=$((MQ_PORT + 20000)) \
    RABBITMQ_SERVER_START_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    RABBITMQ_MNESIA_BASE=$MQ/mnesia RABBITMQ_LOG_BASE=$MQ/log RABBITMQ_ENABLED_PLUGINS_FILE=$MQ/enabled_plugins \
        setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server >"$LOG/rabbitmq.log" 2>&1 &
    echo $! > "$RUN/rabbitmq.pid"
    wait_port "$MQ_PORT" 120 rabbitmq
}

heat_db() {
    mariadb -S "$KS_BASE/run/mysqld.sock" -e "CREATE DATABASE IF NOT EXISTS heat;
        CREATE USER IF NOT EXISTS 'heat'@'localhost' IDENTIFIED BY '$DB_PW'; GRANT ALL ON heat.* TO 'heat'@'localhost';"
}

write_config() {
    local domain_id=$1
    cat > "$ETC/heat.conf" <<EOF
[DEFAULT]
log_dir = $LOG
transport_url = rabbit://guest:guest@127.0.0.1:$MQ_PORT/
num_engine_workers = 1
# The 1,000-member group is a stack tree of 1,001 resources; Heat's default cap is 1,000.
max_resources_per_stack = 2000
heat_metadata_server_url = http://127.0.0.1:$CFN_PORT
heat_waitcondition_server_url = http://127.0.0.1:$CFN_PORT/v1/waitcondition
stack_user_domain_id = $domain_id
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $DOMAIN_ADMIN_PW
auth_encryption_key = heat-bench-encryption-key-32-chr
[database]
connection = mysql+pymysql://heat:$DB_PW@localhost/heat?unix_socket=$KS_BASE/run/mysqld.sock
[paste_deploy]
api_paste_config = /etc/heat/api-paste.ini
[heat_api]
bind_host = 127.0.0.1
bind_port = $HEAT_PORT
workers = 1
[heat_api_cfn]
bind_host = 127.0.0.1
bind_port = $CFN_PORT
workers = 1
[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = heat
password = $HEAT_PW
[trustee]
auth_type = password
auth_url = $KS_URL
username = heat
password = $HEAT_PW
user_domain_name = Default
[clients_keystone]
auth_uri = $KS_URL
[ec2authtoken]
auth_uri = $KS_URL
[oslo_messaging_notifications]
driver = noop
EOF
}

start_daemon() { # NAME: runs /usr/bin/NAME as user heat
    setpriv --reuid=heat --regid=heat --init-groups "/usr/bin/$1" --config-file "$ETC/heat.conf" >"$LOG/$1.stdout" 2>&1 &
    echo $! > "$RUN/$1.pid"
}

# 200 on GET /stacks needs heat-api, Keystone (token check) and heat-engine over RabbitMQ.
wait_engine() {
    local token project
    token=$(curl -fsS -i -H 'Content-Type: application/json' "$KS_URL/auth/tokens" --data \
        "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"$KS_ADMIN_PW\"}}},\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}" \
        | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r')
    project=$(curl -fsS -H "X-Auth-Token: $token" "$KS_URL/auth/projects" | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin)["projects"] if p["name"]=="admin"][0])')
    for _ in $(seq 1200); do
        curl -fsS -o /dev/null --max-time 5 -H "X-Auth-Token: $token" "http://127.0.0.1:$HEAT_PORT/v1/$project/stacks" 2>/dev/null && return 0
        sleep 0.1
    done
    log "no 200 from heat-api GET /stacks after 120 s (logs in $LOG)"; return 1
}

start_all() {
    local t0 t_pkgs t_ks t_mq t_heat domain_id
    t0=$(now); need_pkgs; t_pkgs=$(since "$t0")
    [ -x "$KEYSTONE_SETUP" ] || { log "Keystone setup script not found: $KEYSTONE_SETUP (set KEYSTONE_SETUP)"; exit 2; }
    stop_heat
    mkdir -p "$ETC" "$LOG" "$RUN"
    t0=$(now); "$KEYSTONE_SETUP" start >&2; heat_db
    domain_id=$(KS_URL=$KS_URL ADMIN_PW=$KS_ADMIN_PW HEAT_PW=$HEAT_PW DOMAIN_ADMIN_PW=$DOMAIN_ADMIN_PW \
        HEAT_URL=http://127.0.0.1:$HEAT_PORT CFN_URL=http://127.0.0.1:$CFN_PORT node "$HERE/keystone-heat.mjs" \
        | node -e 'process.stdin.on("data",(d)=>console.log(JSON.parse(d).stack_user_domain_id))')
    t_ks=$(since "$t0")
    t0=$(now); start_rabbitmq; t_mq=$(since "$t0")
    t0=$(now)
    write_config "$domain_id"
    chown -R heat:heat "$LOG"; chmod 0750 "$ETC"; chgrp heat "$ETC" "$ETC/heat.conf"; chmod 0640 "$ETC/heat.conf"
    setpriv --reuid=heat --regid=heat --init-groups heat-manage --config-file "$ETC/heat.conf" db_sync >"$LOG/db_sync.log" 2>&1
    start_daemon heat-engine; start_daemon heat-api; start_daemon heat-api-cfn
    wait_port "$HEAT_PORT" 120 heat-api; wait_port "$CFN_PORT" 120 heat-api-cfn; wait_engine
    t_heat=$(since "$t0")
    log "up: heat-api :$HEAT_PORT, heat-api-cfn :$CFN_PORT, rabbitmq :$MQ_PORT, keystone :$KS_PORT (logs $LOG)"
    printf '{"packages_s":%s,"keystone_s":%s,"rabbitmq_s":%s,"heat_s":%s,"heat_version":"%s","pids":{%s}}\n' \
        "$t_pkgs" "$t_ks" "$t_mq" "$t_heat" "$(dpkg-query -W -f='${Version}' heat-engine)" "$(pids_json)"
}

pids_json() {
    local d out=""
    for d in $DAEMONS; do alive "$d" && out+="\"$d\":$(cat "$RUN/$d.pid"),"; done
    [ -f "$KS_BASE/run/uwsgi.pid" ] && out+="\"keystone\":$(cat "$KS_BASE/run/uwsgi.pid"),"
    [ -f "$KS_BASE/run/mysqld.pid" ] && out+="\"mariadb\":$(cat "$KS_BASE/run/mysqld.pid"),"
    printf '%s' "${out%,}"
}

status() {
    local d
    for d in $DAEMONS; do
        if alive "$d"; then ps -o pid=,rss=,args= -p "$(cat "$RUN/$d.pid")" | awk -v n="$d" '{printf "%-13s pid %s rss %d KiB\n", n, $1, $2}'
        else echo "$d: not running"; fi
    done
    "$KEYSTONE_SETUP" status
}

case "${1:-start}" in
    start) start_all ;;
    stop) stop_heat; "$KEYSTONE_SETUP" stop >&2 ;;
    status) status ;;
    pids) printf '{%s}\n' "$(pids_json)" ;;
    reset) stop_heat; "$KEYSTONE_SETUP" reset >&2; rm -rf "$BASE" ;;
    *) echo "usage: $0 start|stop|status|pids|reset" >&2; exit 2 ;;
esac
