#!/usr/bin/env bash
# One command for the describeInstances benchmark: build kumod, then run bench.mjs (kumod with
# 10,000 instance rows vs the same query mix issued directly as SQL through pg).
# Usage: bash bench/describe-instances/run.sh   (env: BENCH_DURATION_S=20 BENCH_NODE_ARGS=--cpu-prof …)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/server packages/client
exec node --import ./bench/run-ts.mjs bench/describe-instances/bench.ts "$@"
