#!/usr/bin/env bash
# Stops the OVS/OVN daemons that scripts/ovn-up.sh or ovn-chassis-up.sh started under each ROOT
# (by the pid files in ROOT/run, never by name), then removes ROOT when --purge is given.
set -uo pipefail
. "$(dirname "$0")/lib/stop-pidfiles.sh"
purge=0
[ "${1:-}" = --purge ] && { purge=1; shift; }
[ $# -gt 0 ] || { echo "usage: ovn-down.sh [--purge] ROOT…" >&2; exit 2; }
for root in "$@"; do
  [ -d "$root/run" ] || continue
  stop_pidfiles 50 "$root"/run/*.pid
  if grep -qs " /run/openvswitch " /proc/self/mounts && [ "$(findmnt -no SOURCE /run/openvswitch 2>/dev/null)" != "" ]; then
    # Only a bind of this root's run dir (ovn-chassis-up.sh --bind-default-run) is undone.
    if [ "$(stat -c %i /run/openvswitch)" = "$(stat -c %i "$root/run")" ]; then umount /run/openvswitch; fi
  fi
  [ $purge = 1 ] && rm -rf "$root"
done
exit 0
