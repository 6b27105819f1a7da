#!/usr/bin/env bash
# Starts a test host's virtlogd and libvirtd over private copies of libvirt's state directories.
# Run it as `ip netns exec NS unshare --mount --propagation private THIS ROOT OWNER_PID`: the
# bind mounts below then exist only in this new mount namespace, so the daemons it leaves running
# see ROOT/* as /run/libvirt, /var/lib/libvirt, … while the main libvirtd (and everyone else)
# keeps its own. OWNER_PID is the test process; the watchdog cleans up if it dies.
# Everything the daemons write (sockets, pid files, qemu and dnsmasq pid files, logs) lands in
# ROOT, so the caller can find and kill it from outside. Never touches the real directories.
set -euo pipefail
root=${1:?usage: libvirtd-in-ns.sh ROOT OWNER_PID}
owner=${2:?usage: libvirtd-in-ns.sh ROOT OWNER_PID}

bind_dir() {
  mkdir -p "$2"
  mount --bind "$1" "$2"
}

bind_dir "$root/run" /run/libvirt
bind_dir "$root/lib" /var/lib/libvirt
bind_dir "$root/cache" /var/cache/libvirt
bind_dir "$root/log" /var/log/libvirt
bind_dir "$root/etc" /etc/libvirt

# Optional OVN chassis of this host (KUMO_OVN_CHASSIS_ROOT, KUMO_OVN_SB): its OVS becomes this mount
# namespace's /run/openvswitch, so libvirt plugs guest NICs into its br-int. A provider bridge br-ex
# (bridge mapping `provider`) carries KUMO_OVN_PROVIDER_CIDR, this host's address on the external
# network that elastic IPs and VPC gateways live on.
if [ -n "${KUMO_OVN_CHASSIS_ROOT:-}" ]; then
  here_ns=$(ip netns identify $$)
  bash "$(dirname "$0")/../ovn-chassis-up.sh" --bind-default-run --bridge-mappings provider:br-ex \
    "$here_ns" "$KUMO_OVN_CHASSIS_ROOT" "$KUMO_OVN_SB" "${KUMO_OVN_ENCAP_IP:-127.0.0.1}" >/dev/null 2>>"$KUMO_OVN_CHASSIS_ROOT.log"
  if [ -n "${KUMO_OVN_PROVIDER_CIDR:-}" ]; then
    ip addr replace "$KUMO_OVN_PROVIDER_CIDR" dev br-ex
    ip link set br-ex up
  fi
  # The underlay NIC (KUMO_OVN_UNDERLAY_DEV, address KUMO_OVN_UNDERLAY_CIDR, route
  # KUMO_OVN_UNDERLAY_ROUTE): the userspace datapath sends and receives Geneve only through its own
  # ports, so the NIC becomes a port of br-phy and its address moves onto br-phy (OVS's
  # br-phy layout for netdev tunnels). Transmit checksum offload off: the userspace datapath does
  # not complete checksums a veth left to "hardware".
  if [ -n "${KUMO_OVN_UNDERLAY_DEV:-}" ]; then
    ovs-vsctl --db="unix:$KUMO_OVN_CHASSIS_ROOT/run/db.sock" --timeout=10 \
      --may-exist add-br br-phy -- set Bridge br-phy datapath_type=netdev \
      -- --may-exist add-port br-phy "$KUMO_OVN_UNDERLAY_DEV"
    ethtool -K "$KUMO_OVN_UNDERLAY_DEV" tx off >/dev/null
    ip addr flush dev "$KUMO_OVN_UNDERLAY_DEV"
    ip addr replace "$KUMO_OVN_UNDERLAY_CIDR" dev br-phy
    ip link set br-phy up
    # shellcheck disable=SC2086 # "PREFIX via GATEWAY" is several words on purpose
    ip route replace $KUMO_OVN_UNDERLAY_ROUTE dev br-phy
  fi
fi

# Detached, with no stdio of ours, so the caller's exec returns and the watchdog outlives this shell.
setsid "$(dirname "$0")/watchdog.sh" "$owner" </dev/null >/dev/null 2>&1 &

# Explicit pid files: the defaults (/run/libvirtd.pid, /run/virtlogd.pid) sit outside the
# private mounts and are locked by the main daemons, which would make these refuse to start.
virtlogd -d -f /etc/libvirt/virtlogd.conf -p /run/libvirt/virtlogd.pid
# Optional sshd for qemu+ssh URIs: started in this mount namespace, so the sessions (and their
# streamlocal forwards to /run/libvirt/libvirt-sock) see this host's libvirt, not the machine's.
if [ -f "$root/ssh/sshd_config" ]; then
  [ -d /run/sshd ] || mkdir -m 0755 /run/sshd # sshd's privilege separation directory
  /usr/sbin/sshd -f "$root/ssh/sshd_config" -E /var/log/libvirt/sshd.log
fi
# -l: no systemd socket activation here, so TCP listening must be asked for explicitly.
exec libvirtd -d -l -f /etc/libvirt/libvirtd.conf -p /run/libvirt/libvirtd.pid
