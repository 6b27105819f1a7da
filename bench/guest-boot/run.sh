#!/usr/bin/env bash
# Guest boot benchmark: builds the hypervisor package and both images (cached), then times spawn→SSH
# through packages/hypervisor against the same domain XML started with plain virsh, and overlay
# creation on 2 GiB and 20 GiB bases. Runs inside the test network namespace beside its libvirtd.
# Usage: bash bench/guest-boot/run.sh   (env: TINY_ROUNDS=3 DEBIAN_ROUNDS=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/hypervisor
# Same host workaround as the tests (fixKvmDeviceAccess in packages/hypervisor/test/support.ts).
if [ -e /dev/kvm ] && [ "$(stat -c %G /dev/kvm)" != kvm ]; then chgrp kvm /dev/kvm && chmod 660 /dev/kvm; fi
bash scripts/libvirtd-up.sh
tiny=$(bash images/build.sh tiny)
debian=$(bash images/build.sh debian)
bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/guest-boot/bench.ts "$tiny" "$debian"
