#!/usr/bin/env bash
# The test command (`npm test`): build, lint, then every tier (unit, integration, api, guest)
# inside the test environment (scripts/libvirtd-up.sh): a network namespace and a libvirtd of its
# own, apart from the machine's libvirtd and the quickstart's cloud.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
npm run lint
bash scripts/libvirtd-up.sh
# The guest tier runs its files one at a time (package.json): their kumods share the environment's
# OVN northbound database, whose reconciler treats every row it does not know as an orphan.
for tier in unit integration api guest; do
  echo "== test tier: $tier =="
  bash scripts/in-test-env.sh npm run --silent "test:$tier"
done
# Last, from the machine's own shell: the quickstart and the commands it prints, as a user runs them.
echo "== test tier: session =="
npm run --silent test:session
