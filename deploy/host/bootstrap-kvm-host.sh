#!/usr/bin/env bash
# Prepares a Debian 12 machine as a Kumo KVM host: QEMU/KVM and libvirtd, a storage directory for
# Kumo's pool, and one of libvirt's remote transports for the control plane:
#   ssh  (default) — kumod logs in as root with its key and forwards the libvirt unix socket
#                    (direct-streamlocal; no nc, no helper, no listening port beyond sshd);
#   tls            — libvirtd listens on 16514 with a server certificate signed by your CA, and
#                    accepts only client certificates from the same CA (kumod's).
# Kumo runs no agent on the host. Run as root on the host:
#   bash bootstrap-kvm-host.sh ssh /path/to/kumod_key.pub
#   bash bootstrap-kvm-host.sh tls /path/to/cacert.pem /path/to/servercert.pem /path/to/serverkey.pem
# Then, on a control-plane machine, register it (see README "Deploying on real hosts"):
#   kumo host add kvm-07 --uri 'qemu+ssh://root@kvm-07.example/system?keyfile=/var/lib/kumo/keys/kvm' …
set -euo pipefail
mode=${1:?usage: bootstrap-kvm-host.sh ssh KEY.pub | tls CA.pem CERT.pem KEY.pem}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends qemu-system-x86 qemu-utils libvirt-daemon-system \
  libvirt-clients genisoimage ovmf >/dev/null
install -d -m 0711 /var/lib/kumo/pool
# KVM must be usable: a host without it still works, with TCG (much slower); kumod probes which.
if [ ! -w /dev/kvm ]; then echo "warning: /dev/kvm is missing or not writable; guests will run under TCG" >&2; fi

case "$mode" in
  ssh)
    pub=${2:?the public key file of the control plane}
    install -d -m 0700 /root/.ssh
    # The key may forward (the libvirt socket) and nothing else: no shell, no PTY, no agent or X11.
    line="restrict,port-forwarding $(cat "$pub")"
    grep -qxF "$line" /root/.ssh/authorized_keys 2>/dev/null || echo "$line" >>/root/.ssh/authorized_keys
    chmod 0600 /root/.ssh/authorized_keys
    systemctl enable --now libvirtd.socket
    ;;
  tls)
    ca=${2:?CA certificate}; cert=${3:?server certificate}; key=${4:?server key}
    install -D -m 0644 "$ca" /etc/pki/CA/cacert.pem
    install -D -m 0644 "$cert" /etc/pki/libvirt/servercert.pem
    install -D -m 0600 "$key" /etc/pki/libvirt/private/serverkey.pem
    # TLS only, client certificates from this CA required and verified (libvirt's defaults, stated
    # here so an edited file cannot weaken them silently). Narrow further with tls_allowed_dn_list.
    conf=/etc/libvirt/libvirtd.conf
    for kv in 'listen_tls = 1' 'listen_tcp = 0' 'auth_tls = "none"' 'tls_no_verify_certificate = 0'; do
      sed -i "/^#\?[[:space:]]*${kv%% *}[[:space:]]*=/d" "$conf"
      echo "$kv" >>"$conf"
    done
    systemctl enable --now libvirtd-tls.socket
    systemctl restart libvirtd
    ;;
  *)
    echo "unknown mode $mode (ssh or tls)" >&2
    exit 2
    ;;
esac
virsh -c qemu:///system version
echo "ready: register this host with 'kumo host add' from the control plane"
