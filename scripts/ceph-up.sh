#!/usr/bin/env bash
# Starts a single-node Ceph under ROOT (or reuses the one running there): one monitor (mon.a on
# v2:KUMO_CEPH_ADDR:3300, loopback by default), one manager, one bluestore OSD on a sparse file, pools of size 1, and with
# --rgw PORT a radosgw (S3) on 127.0.0.1:PORT with one user whose keys are printed. No cephadm and
# no systemd: every daemon is started by hand with its conf, keyrings, data, pid files and logs
# under ROOT, so nothing of the machine's /etc/ceph or /var/lib/ceph is read or written. Run it
# inside a network namespace (ip netns exec NS …): the monitor's fixed port is then that
# namespace's. Idempotent: daemons that run are left alone, a stopped cluster restarts on its own
# data. Prints shell `export` lines for clients. Stop with scripts/ceph-down.sh ROOT.
set -euo pipefail
usage() { echo "usage: ceph-up.sh ROOT [--rgw PORT]" >&2; exit 2; }
root=${1:-}
[ -n "$root" ] || usage
shift
rgw_port=
while [ $# -gt 0 ]; do
  case $1 in
    --rgw) rgw_port=${2:-}; [[ $rgw_port =~ ^[0-9]+$ ]] || usage; shift 2 ;;
    *) usage ;;
  esac
done
# Sparse: only what the OSD writes takes room, so the apparent size can exceed the tests' disks.
osd_size=${KUMO_CEPH_OSD_SIZE:-500G}
# The cluster's one address (monitor and OSD), which must be local to the namespace it runs in:
# loopback by default; the test environment gives an address its test hosts route to.
addr=${KUMO_CEPH_ADDR:-127.0.0.1}
[[ $addr =~ ^[0-9]+(\.[0-9]+){3}$ ]] || { echo "ceph-up: KUMO_CEPH_ADDR is not an IPv4 address" >&2; exit 2; }
mkdir -p "$root"
root=$(cd "$root" && pwd)
conf=$root/ceph.conf
mkdir -p "$root"/{run,log,keys,mon,mgr,osd,rgw,crash}
ceph_() { ceph -c "$conf" --connect-timeout 10 "$@"; }
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() { # wait_for SECONDS WHAT CMD…: polls CMD until it succeeds
  local secs=$1 what=$2; shift 2
  for _ in $(seq $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "ceph-up: $what did not come up in ${secs}s; logs in $root/log" >&2
  exit 1
}

if [ ! -f "$conf" ]; then
  fsid=$(uuidgen)
  cat >"$conf.tmp" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = v2:$addr:3300
ms bind msgr1 = false
public network = $addr/32
cluster network = $addr/32
run dir = $root/run
pid file = $root/run/\$name.pid
admin socket = $root/run/\$name.asok
log file = $root/log/\$name.log
crash dir = $root/crash
keyring = $root/keys/\$name.keyring
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
# One OSD: one copy of every object, few placement groups, no autoscaler growing them.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 5
[mon]
mon data = $root/mon/\$cluster-\$id
keyring = $root/mon/\$cluster-\$id/keyring
mon cluster log file = $root/log/cluster.log
[mgr]
mgr data = $root/mgr/\$cluster-\$id
keyring = $root/mgr/\$cluster-\$id/keyring
[osd]
osd data = $root/osd/\$cluster-\$id
keyring = $root/osd/\$cluster-\$id/keyring
osd objectstore = bluestore
bluestore block create = true
bluestore block size = $osd_size
osd memory target = 1073741824
[client.rgw.x]
rgw data = $root/rgw/\$cluster-\$id
CONF
  mv "$conf.tmp" "$conf"
fi

# Monitor: keyrings and its store on first use.
if [ ! -f "$root/mon/ceph-a/keyring" ]; then
  rm -rf "$root/mon/ceph-a"
  k=$root/keys
  ceph-authtool --create-keyring "$k/mon..keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$k/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$k/mon..keyring" --import-keyring "$k/client.admin.keyring" >/dev/null
  fsid=$(sed -n 's/^fsid = //p' "$conf")
  monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:$addr:3300]" "$root/keys/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$root/keys/monmap" --keyring "$k/mon..keyring" 2>>"$root/log/up.log"
fi
running "$root/run/mon.a.pid" || ceph-mon -c "$conf" -i a 2>>"$root/log/up.log"
wait_for 30 "the monitor" ceph_ mon stat

# Manager (pool statistics for `ceph df`, health).
if [ ! -f "$root/mgr/ceph-x/keyring" ]; then
  mkdir -p "$root/mgr/ceph-x"
  ceph_ auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' \
    -o "$root/mgr/ceph-x/keyring.tmp"
  mv "$root/mgr/ceph-x/keyring.tmp" "$root/mgr/ceph-x/keyring"
fi
running "$root/run/mgr.x.pid" || ceph-mgr -c "$conf" -i x 2>>"$root/log/up.log"

# OSD 0 on a sparse block file that bluestore creates in its data directory.
osd=$root/osd/ceph-0
if [ ! -f "$osd/.kumo-mkfs-done" ]; then
  rm -rf "$osd"
  mkdir -p "$osd"
  if ! ceph_ osd ls | grep -qx 0; then
    uuid=$(uuidgen)
    secret=$(ceph-authtool --gen-print-key)
    printf '{"cephx_secret": "%s"}' "$secret" | ceph_ osd new "$uuid" -i - >/dev/null
  else
    # A previous run registered osd.0 but died before mkfs finished: reuse its id and key.
    uuid=$(ceph_ osd dump --format json | sed -n 's/.*"osd":0,[^}]*"uuid":"\([^"]*\)".*/\1/p')
    secret=$(ceph_ auth print-key osd.0)
  fi
  ceph-authtool --create-keyring "$osd/keyring" --name osd.0 --add-key "$secret" >/dev/null
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$uuid" 2>>"$root/log/up.log" >/dev/null
  touch "$osd/.kumo-mkfs-done"
fi
running "$root/run/osd.0.pid" || ceph-osd -c "$conf" -i 0 2>>"$root/log/up.log"
osd_up() { ceph_ osd dump | grep -q '^osd.0 up'; }
wait_for 60 "osd.0" osd_up

# The `rbd` CLI's default pool.
if ! ceph_ osd pool ls | grep -qx rbd; then
  ceph_ osd pool create rbd 8 8 >/dev/null 2>&1
  ceph_ osd pool application enable rbd rbd >/dev/null 2>&1
fi

echo "export CEPH_CONF=$conf"
# The monitor as clients name it (a cluster made before KUMO_CEPH_ADDR existed keeps its own).
echo "export CEPH_MON_ADDR=$(sed -n 's/^mon host = v2://p' "$conf")"
echo "export CEPH_KEYRING=$root/keys/client.admin.keyring"

if [ -n "$rgw_port" ]; then
  if [ ! -f "$root/keys/client.rgw.x.keyring" ]; then
    ceph_ auth get-or-create client.rgw.x mon 'allow rw' osd 'allow rwx' mgr 'allow rw' \
      -o "$root/keys/client.rgw.x.keyring.tmp"
    mv "$root/keys/client.rgw.x.keyring.tmp" "$root/keys/client.rgw.x.keyring"
  fi
  mkdir -p "$root/rgw/ceph-rgw.x"
  if ! running "$root/run/client.rgw.x.pid"; then
    radosgw -c "$conf" -n client.rgw.x --rgw-frontends "beast endpoint=127.0.0.1:$rgw_port" 2>>"$root/log/up.log"
  fi
  wait_for 60 "radosgw on 127.0.0.1:$rgw_port" curl -sf "http://127.0.0.1:$rgw_port/"
  admin() { radosgw-admin -c "$conf" -n client.admin "$@"; }
  info=$(admin user info --uid=kumo 2>/dev/null || admin user create --uid=kumo --display-name=kumo)
  key() { printf '%s' "$info" | sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" | head -1; }
  echo "export CEPH_S3_ENDPOINT=http://127.0.0.1:$rgw_port"
  echo "export CEPH_S3_ACCESS_KEY=$(key access_key)"
  echo "export CEPH_S3_SECRET_KEY=$(key secret_key)"
fi
