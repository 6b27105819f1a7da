#!/usr/bin/env bash
# Runs CMD… inside the test environment that scripts/libvirtd-up.sh starts: its network namespace
# and a private mount namespace in which libvirt's directories are that environment's copies, so
# qemu:///system (and virsh, and every test) reaches the test libvirtd, never the machine's own.
set -euo pipefail
ns=${KUMO_TEST_NETNS:-kumo-test}
root=${KUMO_TEST_LIBVIRT_ROOT:-/var/lib/$ns/libvirt}
[ $# -gt 0 ] || { echo "usage: in-test-env.sh CMD [ARG…]" >&2; exit 2; }
[ -e "/run/netns/$ns" ] && [ -d "$root/run" ] || {
  echo "in-test-env: no test environment $ns (start it with scripts/libvirtd-up.sh)" >&2
  exit 1
}
# The environment's Ceph clients (CEPH_CONF, the S3 endpoint and keys), when it runs one.
ceph_env=${KUMO_TEST_CEPH_ROOT:-$(dirname "$root")/ceph}/env
if [ -f "$ceph_env" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$ceph_env"
  set +a
fi
exec ip netns exec "$ns" unshare --mount --propagation private bash -c '
  set -e
  root=$1; shift
  mount --bind "$root/run" /run/libvirt
  mount --bind "$root/lib" /var/lib/libvirt
  mount --bind "$root/cache" /var/cache/libvirt
  mount --bind "$root/log" /var/log/libvirt
  mount --bind "$root/etc" /etc/libvirt
  # The environment'"'"'s OVN chassis, as libvirtd sees it (scripts/libvirtd-up.sh).
  ovs=$(dirname "$root")/ovn/chassis/run
  if [ -S "$ovs/db.sock" ]; then mkdir -p /run/openvswitch && mount --bind "$ovs" /run/openvswitch; fi
  exec "$@"' in-test-env "$root" "$@"
