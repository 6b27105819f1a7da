#!/usr/bin/env bash
# Starts the test environment's own virtlogd and libvirtd: inside network namespace NS (default
# kumo-test, created if absent) and over private copies of libvirt's state directories under ROOT
# (default /var/lib/NS/libvirt), so they never meet the machine's own libvirtd (which the
# quickstart uses) nor its guests. Run commands against them with `bash scripts/in-test-env.sh CMD`:
# there qemu:///system is this daemon. Idempotent: a daemon of this environment that answers is
# left alone; nothing outside ROOT and NS is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ns=${KUMO_TEST_NETNS:-kumo-test}
root=${KUMO_TEST_LIBVIRT_ROOT:-/var/lib/$ns/libvirt}
# Exact name: `ip netns list | grep` would also match kumo-test when asked for kumo.
[ -e "/run/netns/$ns" ] || ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
# Without udev, /dev/kvm stays root-only; libvirt then sees its QEMU capability cache as stale and
# re-probes QEMU on every domain start (80–90 s each). The kvm group is what udev would give it.
if [ -e /dev/kvm ] && getent group kvm >/dev/null; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi

# The environment's OVN: a central (NB, SB, northd) in NS, and one chassis (OVS on the userspace
# datapath, br-int, ovn-controller, a provider bridge br-ex) in libvirtd's own mount namespace,
# where /run/openvswitch is the chassis' so libvirt's ovs-vsctl plugs guests into its br-int.
ovn_root=${KUMO_TEST_OVN_ROOT:-/var/lib/$ns/ovn}
mkdir -p "$ovn_root"
ip netns exec "$ns" bash "$here/ovn-up.sh" "$ovn_root/central" >/dev/null 2>>"$ovn_root/up.log"
# The environment's Ceph (mon, mgr, one OSD, radosgw on 127.0.0.1:KUMO_TEST_RGW_PORT) in NS, shared
# by every test of the run; its client exports land in ROOT/env, which in-test-env.sh sources.
# KUMO_TEST_CEPH=0 leaves it out.
if [ "${KUMO_TEST_CEPH:-1}" != 0 ]; then
  ceph_root=${KUMO_TEST_CEPH_ROOT:-/var/lib/$ns/ceph}
  mkdir -p "$ceph_root"
  # On an address of NS that test hosts route to (test/support/hosts.ts), so guests on them open
  # rbd disks too, as guests on real hosts reach a cluster on the storage network.
  ceph_addr=${KUMO_TEST_CEPH_ADDR:-10.99.254.1}
  ip netns exec "$ns" ip addr replace "$ceph_addr/32" dev lo
  KUMO_CEPH_ADDR=$ceph_addr ip netns exec "$ns" bash "$here/ceph-up.sh" "$ceph_root" --rgw "${KUMO_TEST_RGW_PORT:-7480}" \
    >"$ceph_root/env.tmp" 2>>"$ceph_root/up.log"
  mv "$ceph_root/env.tmp" "$ceph_root/env"
fi
chassis_up() { [ -f "$ovn_root/chassis/run/ovn-controller.pid" ] && kill -0 "$(cat "$ovn_root/chassis/run/ovn-controller.pid")" 2>/dev/null; }
# The chassis' address on the provider network (br-ex), set on every run so a changed value applies
# to a running environment too. 198.18.0.0/15 is reserved for benchmarking and lies apart from
# every subnet block the tests give kumod (10.x), so libvirt's NAT networks never collide with it.
provider_cidr=198.18.246.1/24
# The chassis' Geneve endpoint: an address of NS that test hosts (scripts/test-host, over their
# veths into NS, which forwards between them) reach, unlike 127.0.0.1.
underlay_ip=10.99.255.1
provider_addr() {
  # The userspace datapath tunnels only through its own bridges: the underlay address lives on the
  # chassis' br-phy, whose ports are the test hosts' veths (test/support/hosts.ts adds them).
  ovs-vsctl --db="unix:$ovn_root/chassis/run/db.sock" --timeout=10 \
    --may-exist add-br br-phy -- set Bridge br-phy datapath_type=netdev
  ip netns exec "$ns" ip addr del "$underlay_ip/32" dev lo 2>/dev/null || true
  ip netns exec "$ns" ip addr replace "$underlay_ip/32" dev br-phy
  ip netns exec "$ns" ip link set br-phy up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  ovs-vsctl --db="unix:$ovn_root/chassis/run/db.sock" --timeout=10 set Open_vSwitch . \
    external_ids:ovn-encap-ip="$underlay_ip"
  ovs-vsctl --db="unix:$ovn_root/chassis/run/db.sock" --timeout=10 set Open_vSwitch . external_ids:ovn-set-local-ip=true
  ip netns exec "$ns" ip addr flush dev br-ex
  # Packets from this namespace leave on br-ex (a tap of the userspace datapath), which cannot
  # complete checksums left to offload once they cross a tunnel to another chassis.
  ip netns exec "$ns" ethtool -K br-ex tx off >/dev/null
  ip netns exec "$ns" ip addr add "$provider_cidr" dev br-ex
  ip netns exec "$ns" ip link set br-ex up
}

answers() { bash "$here/in-test-env.sh" virsh -c qemu:///system version >/dev/null 2>&1; }
if answers && chassis_up; then
  provider_addr
  exit 0
fi

# A daemon of ours that no longer answers is stopped before a new one starts (the chassis with
# it: it lives in the same mount namespace).
bash "$here/ovn-down.sh" "$ovn_root/chassis" >/dev/null 2>&1 || true
for pidfile in "$root/run/libvirtd.pid" "$root/run/virtlogd.pid"; do
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; sleep 1; fi
done
# 0755 throughout: qemu runs as libvirt-qemu and must traverse the bind-mounted roots.
mkdir -p "$root"
chmod 0755 "$root"
rm -rf "$root/run"
for d in run lib cache log etc etc/qemu/networks/autostart etc/qemu/autostart etc/storage/autostart log/qemu; do
  mkdir -p -m 0755 "$root/$d"
done
mkdir -p -m 0700 "$root/etc/secrets"
if [ ! -f "$root/etc/.kumo-prepared" ]; then
  # The package's daemon configs and nwfilters, but none of the machine daemon's objects.
  for f in /etc/libvirt/*.conf; do cp "$f" "$root/etc/"; done
  for d in nwfilter hooks; do [ -d "/etc/libvirt/$d" ] && cp -r "/etc/libvirt/$d" "$root/etc/"; done
  cat >"$root/etc/libvirtd.conf" <<'CONF'
# The test environment's libvirtd: its unix socket only (no TCP, no TLS).
listen_tls = 0
listen_tcp = 0
unix_sock_dir = "/run/libvirt"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  touch "$root/etc/.kumo-prepared"
fi
# Owner pid 1: this environment lives until it is stopped, not until this script exits.
ip netns exec "$ns" unshare --mount --propagation private \
  env KUMO_OVN_CHASSIS_ROOT="$ovn_root/chassis" KUMO_OVN_SB="unix:$ovn_root/central/run/sb.sock" \
  KUMO_OVN_ENCAP_IP="$underlay_ip" \
  bash "$here/test-host/libvirtd-in-ns.sh" "$root" 1
for _ in $(seq 1 100); do
  answers && provider_addr && exit 0
  sleep 0.2
done
echo "libvirtd-up: the test libvirtd in $ns did not answer; see $root/log/libvirtd.log" >&2
exit 1
