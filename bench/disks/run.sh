#!/usr/bin/env bash
# The storage plane's numbers: attach → visible in a running guest and detach → gone (p50/p99) on
# rbd and on the local backend, and create-from-snapshot time against disk size on rbd. They come
# from the timing tests of the guest tier's disk tests (test/guest/api/disks.test.ts for rbd,
# data-disks.test.ts for local), run here with more rounds, inside the test environment
# (scripts/libvirtd-up.sh: its libvirtd and Ceph); it prints one summary line per backend. The
# local disk move between hosts is bench/disks/move.sh.
# Usage: bash bench/disks/run.sh   (env: ROUNDS=20)
set -euo pipefail
cd "$(dirname "$0")/../.."
export KSTOR_BENCH_ROUNDS=${ROUNDS:-20}
timeout 1200 bash scripts/in-test-env.sh node --experimental-vm-modules node_modules/jest/bin/jest.js \
  test/guest/api/disks.test.ts test/guest/api/data-disks.test.ts --selectProjects guest -t timings 2>&1 |
  grep -E 'rbd, |local, |Tests:'
