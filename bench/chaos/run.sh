#!/usr/bin/env bash
# The chaos soak: two kumods on one database and three test hosts under random lifecycle traffic,
# with kumods SIGKILLed and hosts cut off or paused; prints the counts and exits 1 on any violated
# invariant. Usage: bash bench/chaos/run.sh   (env: DURATION=360 seconds of traffic; ≤ 10 min total)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/server packages/client
bash scripts/libvirtd-up.sh
tiny=$(bash images/build.sh tiny)
exec timeout 900 bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/chaos/bench.ts "$tiny"
