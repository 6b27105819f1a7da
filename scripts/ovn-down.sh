#!/usr/bin/env bash
# Stops the OVS/OVN daemons that scripts/ovn-up.sh or ovn-chassis-up.sh started under each ROOT
# (by the pid files in ROOT/run, never by name), then removes ROOT when --purge is given.
set -uo pipefail
purge=0
[ "${1:-}" = --purge ] && { purge=1; shift; }
[ $# -gt 0 ] || { echo "usage: ovn-down.sh [--purge] ROOT…" >&2; exit 2; }
for root in "$@"; do
  [ -d "$root/run" ] || continue
  pids=()
  for f in "$root"/run/*.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    kill -0 "$p" 2>/dev/null && kill "$p" && pids+=("$p")
  done
  # Bounded wait, then force.
  for _ in $(seq 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p"; done
  if grep -qs " /run/openvswitch " /proc/self/mounts && [ "$(findmnt -no SOURCE /run/openvswitch 2>/dev/null)" != "" ]; then
    # Only a bind of this root's run dir (ovn-chassis-up.sh --bind-default-run) is undone.
    if [ "$(stat -c %i /run/openvswitch)" = "$(stat -c %i "$root/run")" ]; then umount /run/openvswitch; fi
  fi
  [ $purge = 1 ] && rm -rf "$root"
done
exit 0
