#!/usr/bin/env bash
# Installs the Debian packages a Kumo development/CI machine needs (idempotent) and starts libvirtd
# directly, because these machines have no systemd.
set -euo pipefail
pkgs=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients genisoimage debootstrap
      e2fsprogs openssh-client openssh-server iproute2 busybox-static dropbear-bin cpio xz-utils
      dnsmasq-base nftables iptables openssl
      binutils # readelf: images/tiny resolves dropbear's shared libraries
      openvswitch-switch ovn-central ovn-host ethtool # the OVN network plane's tests start their own daemons
      ceph-mon ceph-mgr ceph-osd ceph-common radosgw curl uuid-runtime # the test run's single-node Ceph (scripts/ceph-up.sh)
      libvirt-daemon-driver-storage-rbd qemu-block-extra # libvirt rbd pools, QEMU's rbd driver
      prometheus # test/api/prometheus.test.ts scrapes kumod's /metrics with a real Prometheus
      chromium) # the console tests drive noVNC in a real browser (playwright-core)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
