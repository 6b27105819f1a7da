#!/usr/bin/env bash
# Cloud system disks on rbd: making an instance's root disk from an image as a copy-on-write clone
# of the image's base, against a full copy of the image per root disk, on the test environment's
# Ceph (scripts/libvirtd-up.sh). Prints one line with the ratio.
# Usage: bash bench/disks/root-clone.sh   (env: ROUNDS=5)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 1200 bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/disks/root-clone.ts
