#!/usr/bin/env bash
# Starts virtlogd and libvirtd (no systemd here) inside the network namespace NS (default
# kumo-test), creating the namespace first. Guests on libvirt's NAT networks are then reachable
# only from inside that namespace, which is where tests that SSH into guests must run.
# Idempotent: a daemon that already answers is left alone.
set -euo pipefail
ns=${KUMO_TEST_NETNS:-kumo-test}
if ! ip netns list | grep -qw "$ns"; then
  ip netns add "$ns"
fi
ip netns exec "$ns" ip link set lo up
# Without udev, /dev/kvm stays root-only; libvirt then sees its QEMU capability cache as stale and
# re-probes QEMU on every domain start (80–90 s each). The kvm group is what udev would give it.
if [ -e /dev/kvm ] && getent group kvm >/dev/null; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi
# Decided by the main daemons' pid files, not by process names: test hosts run their own
# virtlogd/libvirtd in other namespaces and must be neither counted nor killed here.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
alive /var/run/virtlogd.pid || virtlogd -d
if ! virsh -c qemu:///system version >/dev/null 2>&1; then
  if alive /var/run/libvirtd.pid; then kill "$(cat /var/run/libvirtd.pid)"; sleep 1; fi
  rm -f /var/run/libvirtd.pid
  ip netns exec "$ns" libvirtd -d
  for _ in $(seq 1 50); do
    virsh -c qemu:///system version >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
virsh -c qemu:///system version >/dev/null
