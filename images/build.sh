#!/usr/bin/env bash
# Builds Kumo's guest images from Debian's package mirror (debootstrap, no loop devices) into a cache
# outside the repo keyed by a hash of the recipe, and prints each output directory; it never boots
# anything and never touches libvirt.
# Usage: images/build.sh [tiny|debian|all]   (default: all)
# Env:   KUMO_IMAGE_CACHE (default /var/cache/kumo/images), KUMO_DEBIAN_MIRROR, KUMO_DEB_CACHE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

what=${1:-all}
case "$what" in
  tiny) names=(tiny) ;;
  debian) names=(debian) ;;
  all) names=(tiny debian) ;;
  *) echo "usage: $0 [tiny|debian|all]" >&2; exit 2 ;;
esac
for name in "${names[@]}"; do
  build_cached "$name"
done
