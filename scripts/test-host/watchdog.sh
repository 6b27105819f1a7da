#!/usr/bin/env bash
# Kills every process of this test host's network namespace once the test process that owns the
# host is gone, so a crashed or SIGKILLed test run (where no afterAll runs) leaks nothing.
# Started by libvirtd-in-ns.sh inside the host namespace. It removes no files and no names: a
# later start of the same name may already own them; that start cleans up what is left.
set -uo pipefail
owner=${1:?usage: watchdog.sh OWNER_PID}
mine=/proc/$$/ns/net
# Never act in the machine's (kthreadd's; pid 1's is unreadable here) or the owner's namespace.
# `-ef` compares the namespaces' inodes without forking (a fork would be one more process here).
if [ "$mine" -ef /proc/2/ns/net ] || [ "$mine" -ef "/proc/$owner/ns/net" ]; then
  echo "watchdog.sh: not inside a test host namespace" >&2
  exit 1
fi
while kill -0 "$owner" 2>/dev/null; do sleep 1; done

# Fills `pids` with this namespace's processes other than this shell, using builtins only, so
# the scan never sees (and never kills) short-lived helpers of its own.
scan() {
  local p
  pids=()
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if [ "$p" != "$$" ] && [ "/proc/$p/ns/net" -ef "$mine" ]; then pids+=("$p"); fi
  done
}
for sig in TERM TERM TERM KILL KILL; do
  scan
  [ ${#pids[@]} -gt 0 ] || exit 0
  kill -s "$sig" "${pids[@]}" 2>/dev/null
  sleep 1
done
