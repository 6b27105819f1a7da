#!/usr/bin/env bash
# The main job on one machine: installs what Kumo needs (Debian packages, npm deps), builds it and the
# guest images, starts libvirtd directly (no systemd needed), runs kumod on its embedded PostgreSQL
# with the local libvirtd registered as a host, imports the images, prints how to create a VM and
# SSH into it, then stays in the foreground with kumod (Ctrl-C stops it cleanly).
#
# Environment:
#   KUMO_DATA_DIR   kumod's data (embedded PostgreSQL, credentials.json, pool)   default /var/lib/kumo
#   KUMO_LISTEN     API address                                                 default 127.0.0.1:8080
#   KUMO_NETNS      run libvirtd and kumod inside this network namespace, created if absent;
#                   "none" runs them in the machine's own namespace               default kumo
#                   (a namespace keeps guest traffic off the machine's networks; on a real host
#                   where guests should be reachable from the LAN, use KUMO_NETNS=none)
#   KUMO_IMAGES     which images to build and import: "tiny", "debian" or "all"  default all
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export KUMO_DATA_DIR=${KUMO_DATA_DIR:-/var/lib/kumo}
export KUMO_LISTEN=${KUMO_LISTEN:-127.0.0.1:8080}
ns=${KUMO_NETNS:-kumo}
images=${KUMO_IMAGES:-all}
[ "$(id -u)" = 0 ] || { echo "quickstart: run as root (it installs packages and starts libvirtd)" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }
in_ns() { if [ "$ns" = none ]; then "$@"; else ip netns exec "$ns" "$@"; fi; }

step "Debian packages (qemu, libvirt, image build tools)"
bash scripts/install-host-deps.sh

step "npm dependencies and build"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent

step "libvirtd"
if [ "$ns" = none ]; then
  # Without udev, /dev/kvm stays root-only and libvirt re-probes QEMU at every start.
  if [ -e /dev/kvm ] && getent group kvm >/dev/null; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi
  alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
  alive /var/run/virtlogd.pid || virtlogd -d
  virsh -c qemu:///system version >/dev/null 2>&1 || libvirtd -d
  for _ in $(seq 1 50); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.2; done
else
  KUMO_TEST_NETNS=$ns bash scripts/libvirtd-up.sh
fi
virsh -c qemu:///system version | sed -n 1p

step "guest images (cached after the first build)"
manifests=()
for img in tiny debian; do
  if [ "$images" = all ] || [ "$images" = "$img" ]; then
    dir=$(bash images/build.sh "$img" | tail -n 1)
    manifests+=("$dir/manifest.json")
  fi
done

step "kumod (embedded PostgreSQL in $KUMO_DATA_DIR, API on $KUMO_LISTEN)"
mkdir -p "$KUMO_DATA_DIR" /var/log/kumo
chmod 0755 "$KUMO_DATA_DIR"
in_ns node packages/server/dist/main.js >>/var/log/kumo/kumod.log 2> >(tee -a /var/log/kumo/kumod.log >&2) &
kumod_pid=$!
trap 'kill -TERM $kumod_pid 2>/dev/null; wait $kumod_pid' INT TERM
for _ in $(seq 1 300); do
  curl -fsS "http://$KUMO_LISTEN/healthz" >/dev/null 2>&1 && [ -f "$KUMO_DATA_DIR/credentials.json" ] && break
  kill -0 $kumod_pid 2>/dev/null || { echo "kumod exited; see /var/log/kumo/kumod.log" >&2; exit 1; }
  sleep 0.2
done
export KUMO_CONFIG=$KUMO_DATA_DIR/credentials.json
kumo() { in_ns "$repo/bin/kumo" "$@"; }

step "host and images"
for _ in $(seq 1 100); do kumo host list --output json | grep -q '"health": *"up"' && break; sleep 0.5; done
kumo host list
for m in "${manifests[@]}"; do
  name=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).name)' "$m")
  if kumo image list --output json | grep -q "\"name\": *\"$name\""; then
    echo "image $name already imported"
  else
    kumo image import "$m"
  fi
done
kumo image list
image_id=$(kumo image list --output json | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const imgs = JSON.parse(s).images; console.log((imgs.find((i) => i.name === "tiny") ?? imgs[0]).imageId);
  });')
az=$(node -e 'console.log(require(process.argv[1]).regionId + "a")' "$KUMO_CONFIG")

enter=""
[ "$ns" = none ] || enter="  ip netns exec $ns bash        # the API and the guests live in network namespace $ns
"
cat <<EOT

Kumo is running: API http://$KUMO_LISTEN, admin credentials in $KUMO_CONFIG, log /var/log/kumo/kumod.log.
In another shell, create a VM and log into it:

${enter}  export PATH=$repo/bin:\$PATH KUMO_CONFIG=$KUMO_CONFIG
  kumo keypair create demo --out ~/.kumo/demo.pem
  kumo instance create --name demo --az $az --type t.n1.micro --image $image_id --key demo --wait
  kumo instance ssh <instance-id> --key ~/.kumo/demo.pem      # tiny image: user root; debian-12: --user debian

Or with the JD Cloud SDK for Node (any JD SDK works the same way: endpoint $KUMO_LISTEN, scheme http):

  const { VM } = require('jdcloud-sdk-js');   // npm install jdcloud-sdk-js
  const vm = new VM({ credentials: { accessKeyId: '<accessKey>', secretAccessKey: '<secretKey>' },
                      endpoint: { host: '$KUMO_LISTEN', protocol: 'http' }, regionId: 'local-1' });
  await vm.describeInstances({ regionId: 'local-1' });

Ctrl-C stops kumod (its embedded PostgreSQL stops with it; guests keep running under libvirtd).
EOT
wait $kumod_pid
