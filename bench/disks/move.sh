#!/usr/bin/env bash
# Moving a local disk between two hosts (bench/disks/move.ts): Kumo's move (libvirt download from
# one host, upload to the other, read back and compared) against piping the same file over SSH
# through the same process, in the same run. Needs the test environment (scripts/libvirtd-up.sh),
# whose namespace the two test hosts join.
# Usage: bash bench/disks/move.sh   (env: ROUNDS=3 GIB=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 1800 bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/disks/move.ts
