#!/usr/bin/env bash
# Starts a test host's virtlogd and libvirtd over private copies of libvirt's state directories.
# Run it as `ip netns exec NS unshare --mount --propagation private THIS ROOT`: the bind mounts
# below then exist only in this new mount namespace, so the daemons it leaves running see ROOT/*
# as /run/libvirt, /var/lib/libvirt, … while the main libvirtd (and everyone else) keeps its own.
# Everything the daemons write (sockets, pid files, qemu and dnsmasq pid files, logs) lands in
# ROOT, so the caller can find and kill it from outside. Never touches the real directories.
set -euo pipefail
root=${1:?usage: libvirtd-in-ns.sh ROOT}

bind() {
  mkdir -p "$2"
  mount --bind "$1" "$2"
}

bind "$root/run" /run/libvirt
bind "$root/lib" /var/lib/libvirt
bind "$root/cache" /var/cache/libvirt
bind "$root/log" /var/log/libvirt
bind "$root/etc" /etc/libvirt

# Explicit pid files: the defaults (/run/libvirtd.pid, /run/virtlogd.pid) sit outside the
# private mounts and are locked by the main daemons, which would make these refuse to start.
virtlogd -d -f /etc/libvirt/virtlogd.conf -p /run/libvirt/virtlogd.pid
# -l: no systemd socket activation here, so TCP listening must be asked for explicitly.
exec libvirtd -d -l -f /etc/libvirt/libvirtd.conf -p /run/libvirt/libvirtd.pid
