#!/usr/bin/env bash
# Runs the scheduler benchmark: builds @kumo/scheduler and @kumo/store, then bench.mjs against an
# embedded PostgreSQL (or DATABASE_URL). Knobs: BENCH_HOSTS, BENCH_PLACEMENTS, BENCH_INFLIGHT,
# BENCH_POOL, BENCH_AZS. Uses the root install only; nothing is downloaded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
(cd "$root" && npx tsc -b packages/scheduler packages/store)
cd "$here"
# Bounded: the bench does a fixed number of placements; this only stops a wedged database.
timeout 900 node --import ../run-ts.mjs bench.ts
