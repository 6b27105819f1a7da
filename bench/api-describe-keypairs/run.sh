#!/usr/bin/env bash
# One command for the describeKeypairs benchmark: build kumod, then run bench.mjs (kumod vs bare express).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/server packages/client
exec node --import ./bench/run-ts.mjs bench/api-describe-keypairs/bench.ts "$@"
