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
#        redis-topology.sh start-node PORT   (a cluster node or Sentinel-managed data node that a
#                                             failover test killed: it rejoins as a replica of the
#                                             primary that replaced it)
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
  # a replica syncs at once (the default waits 5 s for more replicas before a diskless sync, and
  # until it has synced, a revocation's WAIT cannot be acknowledged)
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
    --protected-mode no --repl-diskless-sync-delay 0 "$@"
}

info_field() { # port section field: the value of one INFO (or CLUSTER INFO) field
  local port=$1 section=$2 field=$3
  if [[ $section == cluster ]]; then
    cli "$port" cluster info 2>/dev/null
  else
    cli "$port" info "$section" 2>/dev/null
  fi | tr -d '\r' | sed -n "s/^$field://p"
}

# The cluster is ready when every node answers and, in its own view, the cluster is ok with all
# 16384 slots served and all six nodes known; when three primaries and three replicas are up with
# no node flagged failing; and when every replica's link to its primary is up (synced). Only then
# do clients that join find a complete, stable topology, and does a WAIT get its acknowledgement.
cluster_ok() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do
    [[ $(info_field "$port" cluster cluster_state) == ok ]] || return 1
    [[ $(info_field "$port" cluster cluster_slots_ok) == 16384 ]] || return 1
    [[ $(info_field "$port" cluster cluster_known_nodes) == "${#CLUSTER_PORTS[@]}" ]] || return 1
  done
  local flags # the third field of CLUSTER NODES: myself,master / slave / master,fail? ...
  flags=$(cli "${CLUSTER_PORTS[0]}" cluster nodes 2>/dev/null | awk '{print $3}') || return 1
  [[ $(grep -c master <<<"$flags") -eq 3 && $(grep -c slave <<<"$flags") -eq 3 ]] || return 1
  ! grep -qE 'fail|handshake|noaddr' <<<"$flags" || return 1
  replicas_synced
}

replicas_synced() {
  local port primaries=0 replicas=0
  for port in "${CLUSTER_PORTS[@]}"; do
    case $(info_field "$port" replication role) in
      master) primaries=$((primaries + 1)) ;;
      slave)
        [[ $(info_field "$port" replication master_link_status) == up ]] || return 1
        [[ $(info_field "$port" replication master_sync_in_progress) == 0 ]] || return 1
        replicas=$((replicas + 1)) ;;
      *) return 1 ;;
    esac
  done
  [[ $primaries -eq 3 && $replicas -eq 3 ]]
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
  # all slots served, every node agreeing, every replica synced (a failover test finds one to
  # promote, a revocation's WAIT its acknowledgement)
  wait_until "cluster ready (state ok on every node, replicas synced)" cluster_ok
  echo "redis-topology: cluster is up on ${CLUSTER_PORTS[*]}"
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

# Removes the working directory once neither topology uses it.
remove_root() {
  rmdir "$ROOT" 2>/dev/null || true
}

stop_cluster() {
  stop_ports "$ROOT/cluster" "${CLUSTER_PORTS[@]}"
  rm -rf "$ROOT/cluster"
  remove_root
  [[ ${1:-} == quiet ]] || echo "redis-topology: cluster stopped"
}

# The Sentinel setup is ready when both data nodes answer, one is the primary and the other its
# synced replica, and every Sentinel names that primary, knows the replica and the two other
# Sentinels (so that they can agree on a failover).
sentinel_ok() {
  local port primary
  up "$SENTINEL_PRIMARY" && up "$SENTINEL_REPLICA" || return 1
  primary=$(cli "${SENTINEL_PORTS[0]}" sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null |
    sed -n 2p) || return 1
  [[ $primary == "$SENTINEL_PRIMARY" || $primary == "$SENTINEL_REPLICA" ]] || return 1
  replica_linked "$primary" || return 1
  for port in "${SENTINEL_PORTS[@]}"; do
    [[ $(cli "$port" sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | sed -n 2p) \
      == "$primary" ]] || return 1
    sentinel_sees "$port" || return 1
  done
}

replica_linked() { # primary port: the other data node replicates it, synced
  local replica=$SENTINEL_REPLICA
  [[ $1 == "$SENTINEL_REPLICA" ]] && replica=$SENTINEL_PRIMARY
  [[ $(info_field "$replica" replication role) == slave &&
    $(info_field "$replica" replication master_port) == "$1" &&
    $(info_field "$replica" replication master_link_status) == up ]]
}

sentinel_sees() { # sentinel port: it knows the replica and the two other Sentinels
  local master
  master=$(cli "$1" sentinel master "$MASTER_NAME" 2>/dev/null | tr -d '\r') || return 1
  [[ $(sed -n '/^num-slaves$/{n;p}' <<<"$master") -ge 1 &&
    $(sed -n '/^num-other-sentinels$/{n;p}' <<<"$master") -ge 2 ]]
}

start_sentinel() {
  if sentinel_ok; then echo "redis-topology: sentinel is up on ${SENTINEL_PORTS[*]}"; return 0; fi
  stop_sentinel quiet
  server "$SENTINEL_PRIMARY" "$ROOT/sentinel/$SENTINEL_PRIMARY"
  server "$SENTINEL_REPLICA" "$ROOT/sentinel/$SENTINEL_REPLICA" \
    --replicaof 127.0.0.1 "$SENTINEL_PRIMARY"
  wait_until "replica linked" replica_linked "$SENTINEL_PRIMARY"
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
  wait_until "sentinels watching the primary, its replica and each other" sentinel_ok
  echo "redis-topology: sentinel is up on ${SENTINEL_PORTS[*]} (primary $SENTINEL_PRIMARY)"
}

stop_sentinel() {
  stop_ports "$ROOT/sentinel" "${SENTINEL_PORTS[@]}" "$SENTINEL_PRIMARY" "$SENTINEL_REPLICA"
  rm -rf "$ROOT/sentinel"
  remove_root
  [[ ${1:-} == quiet ]] || echo "redis-topology: sentinel stopped"
}

start_node() { # port: restart a node a failover test killed; it rejoins as a replica
  local port=$1
  if [[ -d "$ROOT/cluster/$port" ]]; then # with its own nodes.conf
    local dir="$ROOT/cluster/$port"
    up "$port" || server "$port" "$dir" --cluster-enabled yes \
      --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 2000
    wait_until "node $port answering" up "$port"
    wait_until "cluster ready (state ok on every node, replicas synced)" cluster_ok
  elif [[ -d "$ROOT/sentinel/$port" && ($port == "$SENTINEL_PRIMARY" || $port == "$SENTINEL_REPLICA") ]]
  then # empty, as a primary: the Sentinels make it a replica of the promoted one
    up "$port" || server "$port" "$ROOT/sentinel/$port"
    wait_until "node $port answering" up "$port"
    wait_until "sentinel setup ready (replica $port synced)" sentinel_ok
  else
    echo "redis-topology: no cluster or sentinel data node on $port" >&2
    return 1
  fi
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
