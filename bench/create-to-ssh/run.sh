#!/usr/bin/env bash
# createInstances → SSH-ready benchmark: builds kumod and the tiny image (cached), starts libvirtd in
# the test network namespace, then times createInstances through the API until SSH answers, against
# the same domain XML started with plain `virsh define` + `virsh start` (rounds interleaved).
# Usage: bash bench/create-to-ssh/run.sh   (env: ROUNDS=3)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/server packages/client
# Same host workaround as the tests (fixKvmDeviceAccess in packages/hypervisor/test/support.ts).
if [ -e /dev/kvm ] && [ "$(stat -c %G /dev/kvm)" != kvm ]; then chgrp kvm /dev/kvm && chmod 660 /dev/kvm; fi
bash scripts/libvirtd-up.sh
tiny=$(bash images/build.sh tiny)
exec timeout 600 bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/create-to-ssh/bench.ts "$tiny"
