#!/usr/bin/env bash
# Runs the libvirt RPC benchmark: installs the bench's own dependencies (the native @unraid/libvirt
# binding, built from source against libvirt-dev), builds @kumo/libvirt, and runs bench.mjs against
# the local libvirtd's unix socket. The bench is not a workspace: nothing here touches the root install.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! pkg-config --exists libvirt 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvirt-dev pkg-config >/dev/null
fi
# Build the addon from source: no prebuilt binary is downloaded from outside the npm registry.
npm_config_build_from_source=true npm ci --prefix "$here" --no-audit --no-fund
(cd "$root" && npx tsc -b packages/libvirt)
cd "$here"
node --import ../run-ts.mjs bench.ts
