#!/usr/bin/env bash
# The test command (`npm test`): build, lint, then every tier (unit, integration, api, guest)
# inside a network namespace this run creates, next to a libvirtd started in the same namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
ns=${KUMO_TEST_NETNS:-kumo-test}
npm run build
npm run lint
bash scripts/libvirtd-up.sh
for tier in unit integration api guest; do
  echo "== test tier: $tier =="
  ip netns exec "$ns" npm run --silent "test:$tier"
done
