#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Starts and stops the local Redis topologies the session-redis tests run on, on loopback ports
# that stay clear of 6379:
#   cluster   3 primaries and 3 replicas, ports 7101-7106 (redis-server --cluster-enabled yes,
#             then redis-cli --cluster create ... --cluster-replicas 1)
#   sentinel  a primary on 7201, its replica on 7202, three sentinels on 7211-7213 watching it
#             under the name "sessionkit"
#
# Usage: redis-topology.sh start|stop|status cluster|sentinel|all
#        redis-topology.sh start-node PORT   (a cluster node a failover test killed: it rejoins as
#                                             a replica of the primary that replaced it)
# "start" does nothing for a topology that is already up and healthy. "stop" shuts down every
# process it started (by port) and removes its working directory: nothing is left behind.
# Used by .ci/run and, when the tests are run by hand, by the tests' own setup.
set -euo pipefail

ROOT=${SESSIONKIT_REDIS_TOPOLOGY_DIR:-${TMPDIR:-/tmp}/sessionkit-redis-topology}
CLUSTER_PORTS=(7101 7102 7103 7104 7105 7106)
SENTINEL_PRIMARY=7201
SENTINEL_REPLICA=7202
SENTINEL_PORTS=(7211 7212 7213)
MASTER_NAME=sessionkit

cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }
up() { [[ "$(cli "$1" ping 2>/dev/null)" == PONG ]]; }

wait_until() {
  local what=$1; shift
  for _ in $(seq 1 150); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  echo "redis-topology: $what did not happen in 30 s" >&2
  return 1
}

server() { # port dir extra-args...
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
    --protected-mode no "$@"
}

cluster_ok() {
  cli "${CLUSTER_PORTS[0]}" cluster info 2>/dev/null | grep -q '^cluster_state:ok' &&
    [[ $(cli "${CLUSTER_PORTS[0]}" cluster nodes 2>/dev/null | grep -c 'master' ) -ge 3 ]]
}

all_cluster_nodes_up() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do up "$port" || return 1; done
}

start_cluster() {
  if cluster_ok; then echo "redis-topology: cluster is up on ${CLUSTER_PORTS[0]}"; return 0; fi
  stop_cluster quiet
  local port hosts=()
  for port in "${CLUSTER_PORTS[@]}"; do
    server "$port" "$ROOT/cluster/$port" --cluster-enabled yes \
      --cluster-config-file "$ROOT/cluster/$port/nodes.conf" --cluster-node-timeout 2000
    hosts+=("127.0.0.1:$port")
  done
  wait_until "cluster nodes answering" all_cluster_nodes_up
  redis-cli --cluster create "${hosts[@]}" --cluster-replicas 1 --cluster-yes >"$ROOT/cluster/create.log"
  wait_until "cluster state ok" cluster_ok
  # every replica attached, so that a failover test finds one to promote
  wait_until "replicas in sync" replicas_synced
  echo "redis-topology: cluster is up on ${CLUSTER_PORTS[*]}"
}

replicas_synced() {
  [[ $(cli "${CLUSTER_PORTS[0]}" cluster nodes 2>/dev/null | grep -c 'slave' ) -ge 3 ]]
}

stop_ports() { # dir ports...
  local dir=$1 port; shift
  for port in "$@"; do
    if up "$port"; then cli "$port" shutdown nosave >/dev/null 2>&1 || true; fi
  done
  for port in "$@"; do
    local pidfile="$dir/$port/redis.pid"
    if [[ -f "$pidfile" ]]; then
      local pid; pid=$(cat "$pidfile")
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

stop_cluster() {
  stop_ports "$ROOT/cluster" "${CLUSTER_PORTS[@]}"
  rm -rf "$ROOT/cluster"
  [[ ${1:-} == quiet ]] || echo "redis-topology: cluster stopped"
}

sentinel_ok() {
  local port
  up "$SENTINEL_PRIMARY" || return 1
  for port in "${SENTINEL_PORTS[@]}"; do
    cli "$port" sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | grep -q . || return 1
  done
}

replica_linked() {
  cli "$SENTINEL_REPLICA" info replication 2>/dev/null | grep -q '^master_link_status:up'
}

sentinels_see_replica() {
  cli "${SENTINEL_PORTS[0]}" sentinel replicas "$MASTER_NAME" 2>/dev/null | grep -q "$SENTINEL_REPLICA"
}

start_sentinel() {
  if sentinel_ok; then echo "redis-topology: sentinel is up on ${SENTINEL_PORTS[*]}"; return 0; fi
  stop_sentinel quiet
  server "$SENTINEL_PRIMARY" "$ROOT/sentinel/$SENTINEL_PRIMARY"
  server "$SENTINEL_REPLICA" "$ROOT/sentinel/$SENTINEL_REPLICA" \
    --replicaof 127.0.0.1 "$SENTINEL_PRIMARY"
  wait_until "replica linked" replica_linked
  local port
  for port in "${SENTINEL_PORTS[@]}"; do
    local dir="$ROOT/sentinel/$port"
    mkdir -p "$dir"
    cat >"$dir/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir
sentinel monitor $MASTER_NAME 127.0.0.1 $SENTINEL_PRIMARY 2
sentinel down-after-milliseconds $MASTER_NAME 1000
sentinel failover-timeout $MASTER_NAME 5000
CONF
    redis-server "$dir/sentinel.conf" --sentinel
  done
  wait_until "sentinels watching" sentinel_ok
  wait_until "sentinels seeing the replica" sentinels_see_replica
  echo "redis-topology: sentinel is up on ${SENTINEL_PORTS[*]} (primary $SENTINEL_PRIMARY)"
}

stop_sentinel() {
  stop_ports "$ROOT/sentinel" "${SENTINEL_PORTS[@]}" "$SENTINEL_PRIMARY" "$SENTINEL_REPLICA"
  rm -rf "$ROOT/sentinel"
  [[ ${1:-} == quiet ]] || echo "redis-topology: sentinel stopped"
}

start_node() { # port: restart a killed cluster node with its own nodes.conf
  local port=$1 dir="$ROOT/cluster/$1"
  [[ -d "$dir" ]] || { echo "redis-topology: no cluster node on $port" >&2; return 1; }
  up "$port" && return 0
  server "$port" "$dir" --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" \
    --cluster-node-timeout 2000
  wait_until "node $port answering" up "$port"
  wait_until "cluster state ok" cluster_ok
}

status() {
  if cluster_ok; then echo "cluster: up"; else echo "cluster: down"; fi
  if sentinel_ok; then echo "sentinel: up"; else echo "sentinel: down"; fi
}

case "${1:-}:${2:-all}" in
  start:cluster) start_cluster ;;
  start:sentinel) start_sentinel ;;
  start:all) start_cluster; start_sentinel ;;
  stop:cluster) stop_cluster ;;
  stop:sentinel) stop_sentinel ;;
  stop:all) stop_cluster; stop_sentinel ;;
  status:*) status ;;
  start-node:*) start_node "$2" ;;
  *) echo "usage: $0 start|stop|status [cluster|sentinel|all]" >&2; exit 2 ;;
esac
