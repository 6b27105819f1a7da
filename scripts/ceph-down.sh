#!/usr/bin/env bash
# Stops the Ceph daemons that scripts/ceph-up.sh started under each ROOT (by the pid files in
# ROOT/run, never by name), then removes ROOT when --purge is given.
set -uo pipefail
purge=0
[ "${1:-}" = --purge ] && { purge=1; shift; }
[ $# -gt 0 ] || { echo "usage: ceph-down.sh [--purge] ROOT…" >&2; exit 2; }
for root in "$@"; do
  [ -d "$root/run" ] || { [ $purge = 1 ] && rm -rf "$root"; continue; }
  pids=()
  # radosgw and the OSD first, the monitor last: clients leave before the map they report to.
  for name in client.rgw.x osd.0 mgr.x mon.a; do
    f=$root/run/$name.pid
    [ -f "$f" ] || continue
    p=$(cat "$f")
    kill -0 "$p" 2>/dev/null && kill "$p" && pids+=("$p")
  done
  # Bounded wait, then force.
  for _ in $(seq 100); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p"; done
  rm -f "$root"/run/*.pid
  [ $purge = 1 ] && rm -rf "$root"
done
exit 0
