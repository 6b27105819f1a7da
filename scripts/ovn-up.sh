#!/usr/bin/env bash
# Starts an OVN central under ROOT (or reuses the one running there): the northbound and southbound
# ovsdb-servers on unix sockets (ROOT/run/nb.sock, sb.sock), also on TCP at OVN_LISTEN_ADDR
# (default 127.0.0.1) when OVN_NB_PORT / OVN_SB_PORT are set, and ovn-northd between them. Every
# file stays under ROOT; nothing of the machine's own OVS/OVN is touched. Run it inside a network
# namespace (ip netns exec NS …) to listen there. Prints shell `export` lines for the endpoints.
# Stop with scripts/ovn-down.sh ROOT.
set -euo pipefail
root=${1:?usage: ovn-up.sh ROOT}
addr=${OVN_LISTEN_ADDR:-127.0.0.1}
mkdir -p "$root/db" "$root/run" "$root/log"
root=$(cd "$root" && pwd)
export OVS_RUNDIR=$root/run OVS_DBDIR=$root/db OVS_LOGDIR=$root/log OVN_RUNDIR=$root/run

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_db NAME SCHEMA PORT: one ovsdb-server, created on first use.
start_db() {
  local name=$1 schema=$2 port=$3
  running "$root/run/$name.pid" && return 0
  [ -f "$root/db/$name.db" ] || ovsdb-tool create "$root/db/$name.db" "$schema"
  local remotes=("--remote=punix:$root/run/$name.sock")
  [ -z "$port" ] || remotes+=("--remote=ptcp:$port:$addr")
  ovsdb-server "$root/db/$name.db" "${remotes[@]}" --pidfile="$root/run/$name.pid" \
    --log-file="$root/log/$name.log" --unixctl="$root/run/$name.ctl" --detach --no-chdir
}

start_db nb /usr/share/ovn/ovn-nb.ovsschema "${OVN_NB_PORT:-}"
start_db sb /usr/share/ovn/ovn-sb.ovsschema "${OVN_SB_PORT:-}"
# An empty NB_Global row is what ovn-nbctl init would write; northd needs it to report nb_cfg.
ovn-nbctl --db="unix:$root/run/nb.sock" --no-leader-only init >/dev/null
if ! running "$root/run/northd.pid"; then
  ovn-northd --ovnnb-db="unix:$root/run/nb.sock" --ovnsb-db="unix:$root/run/sb.sock" \
    --pidfile="$root/run/northd.pid" --log-file="$root/log/northd.log" \
    --unixctl="$root/run/northd.ctl" --detach --monitor --no-chdir
fi
echo "export OVN_NB_DB=unix:$root/run/nb.sock"
echo "export OVN_SB_DB=unix:$root/run/sb.sock"
[ -z "${OVN_NB_PORT:-}" ] || echo "export OVN_NB_TCP=tcp:$addr:$OVN_NB_PORT"
[ -z "${OVN_SB_PORT:-}" ] || echo "export OVN_SB_TCP=tcp:$addr:$OVN_SB_PORT"
