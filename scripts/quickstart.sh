#!/usr/bin/env bash
# The main job on one machine: installs what Kumo needs (Debian packages, npm deps), builds it and the
# guest images, starts libvirtd directly (no systemd needed), runs kumod on its embedded PostgreSQL
# with the local libvirtd registered as a host, imports the images, prints how to create a VM and
# SSH into it, then stays in the foreground with kumod. Ctrl-C, `kill PID` or a closed terminal stop
# kumod (and its PostgreSQL) cleanly; guests keep running under libvirtd.
#
# Environment:
#   KUMO_DATA_DIR     kumod's data (embedded PostgreSQL, credentials.json, pool)   default /var/lib/kumo
#   KUMO_LISTEN       API address (in the machine's own network namespace)        default 127.0.0.1:8080
#   KUMO_NETNS        run libvirtd, and so the guests' networks, inside this network namespace,
#                     created if absent; "none" runs it in the machine's namespace  default kumo
#                     (a namespace keeps guest traffic off the machine's networks; the machine
#                     reaches the guests through a veth pair and a route; on a real host whose
#                     guests should be reachable from the LAN, use KUMO_NETNS=none)
#   KUMO_SUBNET_BLOCK first two octets of the guests' /16                           default 10.240
#   KUMO_HOST_LINK    first three octets of the /30 between machine and namespace    default 169.254.77
#   KUMO_EIP_NET      first three octets of the provider network (elastic IPs, /24) default 198.18.77
#   KUMO_IMAGES       which images to build and import: "tiny", "debian" or "all"    default all
#   KUMO_LOG          kumod's log file                                              default /var/log/kumo/kumod.log
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export KUMO_DATA_DIR=${KUMO_DATA_DIR:-/var/lib/kumo}
export KUMO_LISTEN=${KUMO_LISTEN:-127.0.0.1:8080}
export KUMO_SUBNET_BLOCK=${KUMO_SUBNET_BLOCK:-10.240}
ns=${KUMO_NETNS:-kumo}
link=${KUMO_HOST_LINK:-169.254.77}
eip_net=${KUMO_EIP_NET:-198.18.77}
images=${KUMO_IMAGES:-all}
log=${KUMO_LOG:-/var/log/kumo/kumod.log}
[ "$(id -u)" = 0 ] || { echo "quickstart: run as root (it installs packages and starts libvirtd)" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }
fail() { echo "quickstart: $*" >&2; exit 1; }
in_ns() { if [ "$ns" = none ]; then "$@"; else ip netns exec "$ns" "$@"; fi; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

step "Debian packages (qemu, libvirt, image build tools)"
bash scripts/install-host-deps.sh

step "npm dependencies and build"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent

step "libvirtd (the machine's own, in network namespace $ns)"
if [ "$ns" != none ]; then
  # Exact name: a prefix match would take kumo-test for kumo.
  [ -e "/run/netns/$ns" ] || ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  want=/run/netns/$ns
else
  want=/proc/$$/ns/net
fi
# Without udev, /dev/kvm stays root-only and libvirt re-probes QEMU at every start.
if [ -e /dev/kvm ] && getent group kvm >/dev/null; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi
alive /run/virtlogd.pid || virtlogd -d
if alive /run/libvirtd.pid; then
  # Only ever this environment's daemon: one running in another namespace (the machine's guests or
  # another Kumo) is not taken over.
  pid=$(cat /run/libvirtd.pid)
  [ "/proc/$pid/ns/net" -ef "$want" ] ||
    fail "libvirtd (pid $pid) already runs in another network namespace; stop it or set KUMO_NETNS to its namespace"
else
  rm -f /run/libvirtd.pid
  in_ns libvirtd -d
fi
for _ in $(seq 1 100); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.2; done
virsh -c qemu:///system version | sed -n 1p

# The network plane: OVN's central databases and northd, and this host's chassis (Open vSwitch on
# the userspace datapath, which needs no kernel module, plus ovn-controller) beside libvirtd, whose
# ovs-vsctl always uses /run/openvswitch. The provider bridge br-ex carries the elastic IPs'
# network ($eip_net.0/24, the namespace at .1).
step "OVN (central and this host's chassis, provider network $eip_net.0/24 on br-ex)"
ovn=$KUMO_DATA_DIR/ovn
mkdir -p "$ovn"
in_ns bash scripts/ovn-up.sh "$ovn/central" >/dev/null
chassis_ns=$ns
[ "$ns" = none ] && chassis_ns=-
bash scripts/ovn-chassis-up.sh --run-dir /run/openvswitch --bridge-mappings provider:br-ex \
  "$chassis_ns" "$ovn/chassis" "unix:$ovn/central/run/sb.sock" 127.0.0.1 >/dev/null
chassis=$(ovs-vsctl --db=unix:/run/openvswitch/db.sock get Open_vSwitch . external_ids:system-id | tr -d '"')
in_ns ip addr replace "$eip_net.1/24" dev br-ex
in_ns ip link set br-ex up
# The userspace datapath cannot complete checksums the kernel leaves to offload on its taps.
in_ns ethtool -K br-ex tx off >/dev/null
export KUMO_OVN_NB=unix:$ovn/central/run/nb.sock
echo "chassis $chassis; northbound database $KUMO_OVN_NB"

if [ "$ns" != none ]; then
  step "a route from this machine to the elastic IPs in $ns ($eip_net.0/24 via $link.2)"
  host_if=${ns:0:12}-h
  ns_if=${ns:0:12}-n
  if ! ip link show "$host_if" >/dev/null 2>&1; then
    ip link add "$host_if" type veth peer name "$ns_if" netns "$ns"
    ip addr add "$link.1/30" dev "$host_if"
    ip netns exec "$ns" ip addr add "$link.2/30" dev "$ns_if"
  fi
  ip link set "$host_if" up
  ip netns exec "$ns" ip link set "$ns_if" up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  ip route replace "$eip_net.0/24" via "$link.2" dev "$host_if"
  # libvirt's NAT networks reject new connections forwarded into them. Its private chains are made
  # here first, in libvirt's order, so that libvirt (which only adds jumps that are missing) keeps
  # the rule admitting this machine's connections in front of them.
  for chain in LIBVIRT_FWO LIBVIRT_FWI LIBVIRT_FWX; do
    ip netns exec "$ns" iptables -w -N "$chain" 2>/dev/null || true
    ip netns exec "$ns" iptables -w -C FORWARD -j "$chain" 2>/dev/null ||
      ip netns exec "$ns" iptables -w -I FORWARD 1 -j "$chain"
  done
  ip netns exec "$ns" iptables -w -C FORWARD -i "$ns_if" -j ACCEPT 2>/dev/null ||
    ip netns exec "$ns" iptables -w -I FORWARD 1 -i "$ns_if" -j ACCEPT
fi

step "guest images (cached after the first build)"
manifests=()
for img in tiny debian; do
  if [ "$images" = all ] || [ "$images" = "$img" ]; then
    dir=$(bash images/build.sh "$img" | tail -n 1)
    manifests+=("$dir/manifest.json")
  fi
done

step "kumod (embedded PostgreSQL in $KUMO_DATA_DIR, API on $KUMO_LISTEN)"
mkdir -p "$KUMO_DATA_DIR" "$(dirname "$log")"
chmod 0755 "$KUMO_DATA_DIR"
touch "$log" && chmod 0640 "$log"
# kumod runs in this machine's namespace, so the API answers here; it reaches libvirtd over the
# unix socket, which no network namespace hides.
node packages/server/dist/main.js >>"$log" 2> >(tee -a "$log" >&2) &
kumod_pid=$!
stopped=0
stop_kumod() {
  [ "$stopped" = 1 ] && return
  stopped=1
  if kill -0 "$kumod_pid" 2>/dev/null; then
    echo "quickstart: stopping kumod (pid $kumod_pid) and its PostgreSQL…" >&2
    kill -TERM "$kumod_pid" 2>/dev/null || true
    wait "$kumod_pid" 2>/dev/null || true
    echo "quickstart: stopped; guests keep running under libvirtd" >&2
  fi
}
trap stop_kumod EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# HTTPS with the self-signed certificate kumod makes on first start (KUMO_TLS=off for plain HTTP).
if [ "${KUMO_TLS:-on}" = off ]; then scheme=http; else scheme=https; fi
ca=$KUMO_DATA_DIR/tls/kumod.crt
curl_tls=()
[ "$scheme" = https ] && curl_tls=(--cacert "${KUMO_TLS_CERT:-$ca}")
ready=0
for _ in $(seq 1 600); do
  if [ -f "$KUMO_DATA_DIR/credentials.json" ] &&
    curl -fsS "${curl_tls[@]}" "$scheme://$KUMO_LISTEN/healthz" >/dev/null 2>&1; then
    ready=1
    break
  fi
  kill -0 "$kumod_pid" 2>/dev/null || fail "kumod exited; the end of $log says why:
$(tail -n 5 "$log")"
  sleep 0.2
done
[ "$ready" = 1 ] || fail "kumod did not answer on $scheme://$KUMO_LISTEN/healthz within 120 s; see $log"
export KUMO_CONFIG=$KUMO_DATA_DIR/credentials.json
kumo() { "$repo/bin/kumo" "$@"; }

step "host and images"
for _ in $(seq 1 200); do kumo host list --output json | grep -q '"health": *"up"' && break; sleep 0.5; done
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
step "provider network and elastic IP pool"
if kumo external-network list --output json | grep -q "\"cidr\": *\"$eip_net.0/24\""; then
  echo "provider network $eip_net.0/24 already added"
else
  net_id=$(kumo external-network create --cidr "$eip_net.0/24" --gateway "$eip_net.1" --gateway-chassis "$chassis")
  kumo eip-pool create --external-network "$net_id" --cidr "$eip_net.0/24"
fi
pick() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);console.log($1)})"; }
image_id=$(kumo image list --output json | pick '(r.images.find((i) => i.name === "tiny") ?? r.images[0]).imageId')
region=$(node -e 'console.log(require(process.argv[1]).regionId)' "$KUMO_CONFIG")
az=${region}a
subnet_id=$(kumo subnet list --output json | pick "r.subnets.find((s) => s.az === '$az').subnetId")
access_key=$(node -e 'console.log(require(process.argv[1]).accessKey)' "$KUMO_CONFIG")
tls_note=""
sdk_env=""
if [ "$scheme" = https ] && [ -z "${KUMO_TLS_CERT:-}" ]; then
  fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$ca" | sed 's/^.*=//')
  tls_note="TLS: self-signed certificate $ca
     SHA-256 fingerprint $fingerprint"
  sdk_env="NODE_EXTRA_CA_CERTS=$ca "
fi

cat <<EOT

Kumo is running: API $scheme://$KUMO_LISTEN, admin credentials in $KUMO_CONFIG, log $log.
$tls_note
In another shell on this machine, create a VM, log into it and drive its lifecycle:

# --- commands ---
export PATH=$repo/bin:\$PATH KUMO_CONFIG=$KUMO_CONFIG
kumo keypair create demo --out ~/.kumo/demo.pem
id=\$(kumo instance create --name demo --az $az --type t.n1.micro --image $image_id --key demo --elastic-ip 100 --wait)
kumo instance ssh \$id --key ~/.kumo/demo.pem
kumo instance stop \$id --wait
kumo instance resize \$id --type t.n1.small --wait
kumo instance start \$id --wait
kumo instance reboot \$id --wait
kumo instance delete \$id --wait
# --- end ---

(tiny image: user root; debian-12: add --user debian to ssh.)

Or with the JD Cloud SDK for Node (npm install jdcloud-sdk-js; the secret key is in $KUMO_CONFIG;
run it as ${sdk_env}KUMO_SECRET_KEY=… node app.js, so Node trusts kumod's certificate):

  const { VM } = require('jdcloud-sdk-js');
  const vm = new VM({
    credentials: { accessKeyId: '$access_key', secretAccessKey: process.env.KUMO_SECRET_KEY },
    endpoint: { host: '$KUMO_LISTEN', protocol: '$scheme' },
    regionId: '$region',
  });
  const { result } = await vm.createInstances({
    regionId: '$region',
    instanceSpec: {
      az: '$az', instanceType: 't.n1.micro', imageId: '$image_id', name: 'sdk-vm', keyNames: ['demo'],
      primaryNetworkInterface: { networkInterface: { subnetId: '$subnet_id' } },
    },
  });

Ctrl-C (or kill $$) stops kumod; its embedded PostgreSQL stops with it.
EOT
wait "$kumod_pid"
