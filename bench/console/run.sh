#!/usr/bin/env bash
# Console bench: builds kumod and the tiny image (cached), starts libvirtd in the test network
# namespace, then times describeInstanceVncUrl → first frame in Chromium (p50 of 10) and keystroke →
# echo through kumod's proxy against a direct connection to the guest's VNC socket.
# Usage: bash bench/console/run.sh   (env: FRAME_RUNS=10 ECHO_ROUNDS=30)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/server packages/client
if [ -e /dev/kvm ] && [ "$(stat -c %G /dev/kvm)" != kvm ]; then chgrp kvm /dev/kvm && chmod 660 /dev/kvm; fi
bash scripts/libvirtd-up.sh
tiny=$(bash images/build.sh tiny)
exec timeout 900 bash scripts/in-test-env.sh node --import ./bench/run-ts.mjs bench/console/bench.ts "$tiny"
