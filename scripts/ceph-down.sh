#!/usr/bin/env bash
# Stops the Ceph daemons that scripts/ceph-up.sh started under each ROOT (by the pid files in
# ROOT/run, never by name), then removes ROOT when --purge is given.
set -uo pipefail
. "$(dirname "$0")/lib/stop-pidfiles.sh"
purge=0
[ "${1:-}" = --purge ] && { purge=1; shift; }
[ $# -gt 0 ] || { echo "usage: ceph-down.sh [--purge] ROOT…" >&2; exit 2; }
for root in "$@"; do
  [ -d "$root/run" ] || { [ $purge = 1 ] && rm -rf "$root"; continue; }
  # radosgw and the OSD first, the monitor last: clients leave before the map they report to.
  stop_pidfiles 100 "$root"/run/{client.rgw.x,osd.0,mgr.x,mon.a}.pid
  rm -f "$root"/run/*.pid
  [ $purge = 1 ] && rm -rf "$root"
done
exit 0
