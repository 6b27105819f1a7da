#!/usr/bin/env bash
# Starts an OVN chassis (a hypervisor's ovn-host) inside network namespace NS with its state under
# ROOT: ovsdb-server (conf.db), ovs-vswitchd, the integration bridge br-int on the userspace
# datapath (these kernels have no openvswitch module), and ovn-controller connected to SB_REMOTE,
# tunnelling Geneve from ENCAP_IP. The chassis name (system-id) is NS. Idempotent.
#   --bridge-mappings PHYSNET:BRIDGE,…  provider networks on this chassis (bridges are created)
#   --bind-default-run                  bind ROOT/run over /run/openvswitch in the current mount
#                                       namespace, for a libvirtd there (it always runs ovs-vsctl on
#                                       the default socket); only inside a private mount namespace
#   --run-dir DIR                       sockets and pid files in DIR instead of ROOT/run (e.g.
#                                       /run/openvswitch, where a libvirtd of this mount namespace
#                                       looks)
# NS `-` is the current network namespace; the chassis is then named after the host name.
# Prints `export OVS_DB=unix:RUN/db.sock`. Stop with scripts/ovn-down.sh ROOT.
set -euo pipefail
mappings='' bind=0 run=''
while [ $# -gt 0 ]; do
  case $1 in
    --bridge-mappings) mappings=$2; shift 2 ;;
    --bind-default-run) bind=1; shift ;;
    --run-dir) run=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 4 ] || { echo "usage: ovn-chassis-up.sh [--bridge-mappings M] [--bind-default-run] NS ROOT SB_REMOTE ENCAP_IP" >&2; exit 2; }
ns=$1 root=$2 sb=$3 encap=$4
mkdir -p "$root/db" "$root/log"
root=$(cd "$root" && pwd)
if [ -n "$run" ]; then
  # ROOT/run names the run directory either way, so scripts/ovn-down.sh ROOT finds the pid files.
  mkdir -p "$run"
  [ "$(readlink -f "$root/run" 2>/dev/null)" = "$(readlink -f "$run")" ] || { rm -rf "$root/run"; ln -s "$run" "$root/run"; }
else
  run=$root/run
  mkdir -p "$run"
fi
name=$ns
if [ "$ns" = - ]; then
  in_ns=() name=$(hostname)
else
  [ -e "/run/netns/$ns" ] || { echo "ovn-chassis-up: no network namespace $ns" >&2; exit 1; }
  # Already inside NS (e.g. in a host's own mount namespace): run directly, so a bind mount below
  # is made in this mount namespace and not in a throwaway one of `ip netns exec`.
  if [ "$(ip netns identify $$ 2>/dev/null)" = "$ns" ]; then in_ns=(); else in_ns=(ip netns exec "$ns"); fi
fi
export OVS_RUNDIR=$run OVS_DBDIR=$root/db OVS_LOGDIR=$root/log OVN_RUNDIR=$run
db=unix:$run/db.sock
vsctl() { ovs-vsctl --db="$db" --timeout=10 "$@"; }
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [ $bind = 1 ]; then
  # kthreadd (pid 2) is always in the machine's mount namespace (pid 1 may be unreadable here);
  # when it cannot be read, refuse rather than guess.
  machine_mnt=$(readlink /proc/2/ns/mnt 2>/dev/null || true)
  if [ -z "$machine_mnt" ] || [ "$(readlink /proc/self/ns/mnt)" = "$machine_mnt" ]; then
    echo "ovn-chassis-up: --bind-default-run outside a private mount namespace would hide the machine's OVS" >&2
    exit 1
  fi
  mkdir -p /run/openvswitch
  [ "$(stat -c %i /run/openvswitch)" = "$(stat -c %i "$run")" ] || mount --bind "$run" /run/openvswitch
fi
"${in_ns[@]}" ip link set lo up
# The userspace datapath reads guest taps as ordinary kernel interfaces, so this kernel sees their
# ARP too, and by Linux's default answers for any address of its own on any interface: a guest
# asking for its gateway could get this kernel's MAC (say, where a NAT-era libvirt network holds
# the same gateway address). Answer only for the receiving interface's own addresses.
[ "$ns" = - ] || "${in_ns[@]}" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.default.arp_ignore=1
if ! running "$run/ovsdb-server.pid"; then
  [ -f "$root/db/conf.db" ] || ovsdb-tool create "$root/db/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  "${in_ns[@]}" ovsdb-server "$root/db/conf.db" --remote="punix:$run/db.sock" \
    --pidfile="$run/ovsdb-server.pid" --log-file="$root/log/ovsdb-server.log" \
    --unixctl="$run/ovsdb-server.ctl" --detach --no-chdir
  vsctl --no-wait init
fi
if ! running "$run/ovs-vswitchd.pid"; then
  # --monitor restarts it after a crash (an abort, not a SIGTERM), as ovs-ctl does on real hosts:
  # OVS 3.1.0's userspace conntrack can abort under NAT (see docs/ARCHITECTURE.md, Tests).
  "${in_ns[@]}" ovs-vswitchd "$db" --pidfile="$run/ovs-vswitchd.pid" \
    --log-file="$root/log/ovs-vswitchd.log" --unixctl="$run/ovs-vswitchd.ctl" --detach --monitor --no-chdir
fi
vsctl --may-exist add-br br-int -- set Bridge br-int datapath_type=netdev fail-mode=secure other-config:disable-in-band=true
ext=(external_ids:system-id="$name" external_ids:ovn-remote="$sb" external_ids:ovn-encap-type=geneve
  external_ids:ovn-encap-ip="$encap" external_ids:ovn-bridge-datapath-type=netdev
  external_ids:ovn-set-local-ip=true) # tunnels leave from ENCAP_IP even where several addresses route
if [ -n "$mappings" ]; then
  ext+=(external_ids:ovn-bridge-mappings="$mappings")
  IFS=, read -ra pairs <<<"$mappings"
  for p in "${pairs[@]}"; do vsctl --may-exist add-br "${p#*:}" -- set Bridge "${p#*:}" datapath_type=netdev; done
fi
vsctl set Open_vSwitch . "${ext[@]}"
if ! running "$run/ovn-controller.pid"; then
  # --monitor for the same reason as ovs-vswitchd: a crash mid-run must not leave every later
  # port down for the rest of the run (systemd restarts it on real hosts).
  "${in_ns[@]}" ovn-controller "$db" --pidfile="$run/ovn-controller.pid" \
    --log-file="$root/log/ovn-controller.log" --detach --monitor --no-chdir
fi
echo "export OVS_DB=$db"
