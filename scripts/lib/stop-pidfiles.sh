# Sourced by the *-down.sh scripts. stop_pidfiles TICKS FILE…: sends TERM to each live process named
# in the pid FILEs, in the order given, waits up to TICKS × 0.1 s for all of them to exit, then
# kills the rest with KILL. Processes are found by their pid files only, never by name.
stop_pidfiles() {
  local ticks=$1 f p alive
  shift
  local pids=()
  for f in "$@"; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    kill -0 "$p" 2>/dev/null && kill "$p" && pids+=("$p")
  done
  for _ in $(seq "$ticks"); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p"; done
  return 0
}
