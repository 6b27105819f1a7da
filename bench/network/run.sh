#!/usr/bin/env bash
# The OVN network plane benchmark (bench/network/bench.ts): port writes over the persistent OVSDB
# connection vs ovn-nbctl, security-group change → enforced, EIP associate → reachable, and 100
# ports on 3 chassis → all up, in a namespace lab it builds and removes (kovn-bench-*).
# Usage: bash bench/network/run.sh   (env: ROUNDS=20 PORTS=100 WRITES=200)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 900 node --import ./bench/run-ts.mjs bench/network/bench.ts
