// Unix-socket and plain TCP transports (node:net); no TLS or SSH here.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { DEFAULT_CONNECT_TIMEOUT_MS, withTimeout, type Transport } from './transport.js';

function connectSocket(opts: net.NetConnectOpts, description: string, timeoutMs: number): Promise<Duplex> {
  const sock = net.connect(opts);
  sock.setNoDelay?.(true);
  const ready = new Promise<Duplex>((resolve, reject) => {
    sock.once('connect', () => {
      sock.off('error', reject);
      resolve(sock);
    });
    sock.once('error', reject);
  });
  return withTimeout(timeoutMs, `connect to ${description}`, ready, () => sock.destroy());
}

/** Local unix socket, e.g. /var/run/libvirt/libvirt-sock. */
export function unixTransport(path: string, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Transport {
  const description = `unix:${path}`;
  return {
    description,
    open: () => connectSocket({ path }, description, timeoutMs),
    openSocket: (other: string) => connectSocket({ path: other }, `unix:${other}`, timeoutMs),
  };
}

/** Plain TCP (libvirtd listen_tcp, port 16509); carries no encryption, so use only on trusted links. */
export function tcpTransport(host: string, port = 16509, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Transport {
  const description = `tcp:${host}:${port}`;
  return { description, open: () => connectSocket({ host, port }, description, timeoutMs) };
}
