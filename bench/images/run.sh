#!/usr/bin/env bash
# Image benchmarks. createImage (bench.ts): flatten + stream into the store vs qemu-img convert + cp,
# and a first launch's upload vs the cached base; runs in the test network namespace beside its
# libvirtd. Store throughput (store.ts): local and (with CEPH_S3_* set, as in-test-env.sh exports
# when the environment runs Ceph) s3 put/get vs plain file copy and a raw SDK PutObject/GetObject.
# Usage: bash bench/images/run.sh   (env: ROUNDS=3 BENCH_DATA_MB=1024 STORE_MB=256 IMPORT_MB=1024)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/hypervisor packages/server
debian=$(bash images/build.sh debian)
bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/images/bench.ts "$debian"
bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/images/store.ts
# importImage from a loopback URL vs curl + sha256sum + sync of the same file (IMPORT_MB=1024).
bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/images/import.ts
