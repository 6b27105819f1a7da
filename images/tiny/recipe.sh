#!/usr/bin/env bash
# Recipe for the tiny fast-boot test image: Debian's cloud kernel, an initramfs holding static
# busybox, dropbear, the virtio/iso9660 modules and a small NoCloud reader (init), and a tiny ext4
# root disk; emits root.qcow2, vmlinuz, initrd.img and manifest.json into $OUT. Run by build.sh only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"
dl="$WORK/dl" x="$WORK/x" ird="$WORK/initramfs" rootdir="$WORK/rootdir"
# Kernel messages on the screen (tty0) and the serial port; the last console= is /dev/console.
cmdline="console=tty0 console=ttyS0 quiet"

# Download (not install) the packages and their dependencies; the .debs are unpacked by hand below,
# so no maintainer script runs and no chroot is needed.
debootstrap --download-only --variant=minbase --cache-dir="$KUMO_DEB_CACHE" \
  --include=linux-image-cloud-amd64,busybox-static,dropbear-bin \
  "$KUMO_SUITE" "$dl" "$KUMO_DEBIAN_MIRROR"
mkdir -p "$x"
for pkg in linux-image-6 busybox-static dropbear-bin libc6 libcrypt1 libgmp10 libtomcrypt1 libtommath1 zlib1g; do
  for deb in "$KUMO_DEB_CACHE/${pkg}"*_amd64.deb "$dl/var/cache/apt/archives/${pkg}"*_amd64.deb; do
    [ -f "$deb" ] && dpkg-deb -x "$deb" "$x"
  done
done
kver=$(ls "$x/lib/modules" | grep cloud | sort -V | tail -n1)

mkdir -p "$ird"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,seed,mnt/root,lib/modules,usr/sbin,usr/bin,var/log,etc/acpi/PWRF,etc/dropbear}
cp "$x/bin/busybox" "$ird/bin/busybox"
cp "$x/usr/sbin/dropbear" "$ird/usr/sbin/dropbear"
cp "$x/usr/bin/dropbearkey" "$ird/usr/bin/dropbearkey"
# Copy the shared libraries dropbear needs, following DT_NEEDED through the unpacked packages.
copy_libs() {
  local lib path
  for lib in $(readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    [ -e "$ird/lib/x86_64-linux-gnu/$lib" ] && continue
    path=$(find "$x/lib/x86_64-linux-gnu" "$x/usr/lib/x86_64-linux-gnu" -name "$lib" 2>/dev/null | head -n1)
    [ -n "$path" ] || { echo "missing library $lib" >&2; exit 1; }
    mkdir -p "$ird/lib/x86_64-linux-gnu"
    cp -L "$path" "$ird/lib/x86_64-linux-gnu/$lib"
    copy_libs "$ird/lib/x86_64-linux-gnu/$lib"
  done
}
copy_libs "$ird/usr/sbin/dropbear"
copy_libs "$ird/usr/bin/dropbearkey"
mkdir -p "$ird/lib64" && cp -L "$x/lib64/ld-linux-x86-64.so.2" "$ird/lib64/"

# Kernel modules the cloud kernel leaves out, with their dependencies, in load order. The host may
# lack kmod, so dependencies come from each module's own modinfo "depends=" string.
: >"$ird/lib/modules/load-order"
moddir="$x/lib/modules/$kver"
add_module() {
  local name=$1 path file dep
  path=$(find "$moddir/kernel" -regextype posix-extended -regex ".*/$(echo "$name" | sed 's/[-_]/[-_]/g')\\.ko(\\.xz|\\.zst)?" | head -n1)
  [ -n "$path" ] || return 0 # built in
  file=$(basename "$path"); file=${file%.xz}; file=${file%.zst}
  grep -qx "$file" "$ird/lib/modules/load-order" && return 0
  case "$path" in
    *.xz) xz -dc "$path" >"$ird/lib/modules/$file" ;;
    *.zst) zstd -qdc "$path" >"$ird/lib/modules/$file" ;;
    *) cp "$path" "$ird/lib/modules/$file" ;;
  esac
  for dep in $(tr '\0' '\n' <"$ird/lib/modules/$file" | sed -n 's/^depends=//p' | tr ',' ' '); do
    add_module "$dep"
  done
  echo "$file" >>"$ird/lib/modules/load-order"
}
for m in virtio_pci virtio_blk virtio_net isofs button evdev; do add_module "$m"; done

install -m 0755 "$here/tiny/init" "$ird/init"
printf '#!/bin/sh\npoweroff\n' >"$ird/etc/acpi/PWRF/00000080"
install -m 0644 "$here/tiny/inittab" "$ird/etc/inittab"
install -m 0755 "$here/tiny/udhcpc.script" "$ird/etc/udhcpc.script"
install -m 0755 "$here/tiny/nic-watch" "$ird/sbin/nic-watch"
chmod 0755 "$ird/etc/acpi/PWRF/00000080"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$ird/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$ird/etc/shadow"
printf 'root:x:0:\n' >"$ird/etc/group"
printf '/bin/sh\n' >"$ird/etc/shells"
echo "tiny $KUMO_RECIPE_HASH" >"$ird/etc/kumo-initramfs"
(cd "$ird" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --reproducible) | gzip -9n >"$OUT/initrd.img"
cp "$x/boot/vmlinuz-$kver" "$OUT/vmlinuz"

# The root disk only carries the image's identity, so a rebuild is visible from inside the guest.
mkdir -p "$rootdir/etc"
printf 'NAME="Kumo tiny"\nID=kumo-tiny\nVERSION_ID=1\nKUMO_IMAGE=tiny\n' >"$rootdir/etc/os-release"
mkfs.ext4 -q -F -L rootfs -d "$rootdir" "$WORK/root.raw" 64M
qemu-img convert -c -O qcow2 "$WORK/root.raw" "$OUT/root.qcow2"

cat >"$OUT/manifest.json" <<JSON
{
  "name": "tiny",
  "os": "kumo-tiny",
  "version": "1",
  "arch": "x86_64",
  "kernelVersion": "$kver",
  "rootDevice": "virtio-blk",
  "minDiskBytes": $((64 * 1024 * 1024)),
  "boot": { "mode": "direct", "cmdline": "$cmdline" },
  "defaultUser": "root",
  "sshPasswordAuth": false,
  "recipeHash": "$KUMO_RECIPE_HASH",
  "files": {
    "root": $(file_entry "$OUT/root.qcow2"),
    "kernel": $(file_entry "$OUT/vmlinuz"),
    "initrd": $(file_entry "$OUT/initrd.img")
  }
}
JSON
