#!/usr/bin/env bash
# Recipe for the Debian 12 cloud image: debootstrap a minimal bookworm with systemd, cloud-init
# (NoCloud), openssh-server and the cloud kernel, strip per-instance identity, and emit a compressed
# qcow2 root filesystem, the kernel, the initrd and manifest.json into $OUT. Run by build.sh only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"
root="$WORK/rootfs"
disk_size=2G
# Kernel messages on the screen (tty0) and the serial port; the last console= is /dev/console.
cmdline="root=LABEL=rootfs rw console=tty0 console=ttyS0 net.ifnames=0"

debootstrap --variant=minbase --cache-dir="$KUMO_DEB_CACHE" \
  --include=systemd-sysv,linux-image-cloud-amd64,cloud-init,python3-cffi-backend,openssh-server,ifupdown,isc-dhcp-client,netbase,udev,iproute2,ca-certificates,sudo,e2fsprogs,kmod \
  "$KUMO_SUITE" "$root" "$KUMO_DEBIAN_MIRROR"

mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
# debootstrap cannot pick the provider of python3-cffi-backend-api-*, so finish configuration here.
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -f install -y -q
DEBIAN_FRONTEND=noninteractive chroot "$root" dpkg --configure -a

# The NoCloud seed is the only datasource Kumo offers; probing others costs boot time under TCG.
cat >"$root/etc/cloud/cloud.cfg.d/90-kumo.cfg" <<'CFG'
datasource_list: [NoCloud, None]
# The image ships no locales package; C.UTF-8 is built into libc, so leave the locale alone.
locale: false
CFG
cat >"$root/etc/fstab" <<'FSTAB'
LABEL=rootfs / ext4 rw,errors=remount-ro 0 1
FSTAB
cat >"$root/etc/network/interfaces" <<'NET'
# cloud-init writes the instance's interfaces into interfaces.d.
auto lo
iface lo inet loopback
source /etc/network/interfaces.d/*
NET
# Per-instance identity must not be baked in: host keys, machine-id and hostname come at first boot.
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
echo localhost >"$root/etc/hostname"
# Timers that would compete with the first boot for the single emulated CPU.
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer >/dev/null 2>&1 || true
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/tmp/*
umount "$root/proc"
trap - EXIT

kver=$(ls "$root/lib/modules" | head -n1)
cp "$root/boot/vmlinuz-$kver" "$OUT/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$OUT/initrd.img"
mkfs.ext4 -q -F -L rootfs -d "$root" "$WORK/root.raw" "$disk_size"
qemu-img convert -c -O qcow2 "$WORK/root.raw" "$OUT/root.qcow2"
rm -f "$WORK/root.raw"

cat >"$OUT/manifest.json" <<JSON
{
  "name": "debian-12",
  "os": "debian",
  "version": "12",
  "arch": "x86_64",
  "kernelVersion": "$kver",
  "rootDevice": "virtio-blk",
  "minDiskBytes": $((2 * 1024 * 1024 * 1024)),
  "boot": { "mode": "direct", "cmdline": "$cmdline" },
  "defaultUser": "debian",
  "sshPasswordAuth": false,
  "recipeHash": "$KUMO_RECIPE_HASH",
  "files": {
    "root": $(file_entry "$OUT/root.qcow2"),
    "kernel": $(file_entry "$OUT/vmlinuz"),
    "initrd": $(file_entry "$OUT/initrd.img")
  }
}
JSON
