// TLS transport (libvirtd listen_tls, port 16514) with client certificates via node:tls.
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { DEFAULT_CONNECT_TIMEOUT_MS, withTimeout, type Transport } from './transport.js';

/** Certificates and verification settings for a TLS connection. */
export interface TlsOptions {
  host: string;
  port?: number;
  /** CA certificate(s) that signed the server certificate (PEM). */
  ca: string | Buffer;
  /** Client certificate (PEM); libvirtd normally requires one. */
  cert?: string | Buffer;
  /** Client private key (PEM). */
  key?: string | Buffer;
  /** Name to verify the server certificate against; defaults to host. */
  servername?: string;
  /** Skip server certificate verification (libvirt's no_verify=1). Never in production. */
  insecure?: boolean;
  timeoutMs?: number;
}

/** TLS from the first byte, as libvirtd expects on its TLS port. */
export function tlsTransport(o: TlsOptions): Transport {
  const port = o.port ?? 16514;
  const description = `tls:${o.host}:${port}`;
  return {
    description,
    // libvirtd 9.0 leaves RPC messages that share a TLS record unprocessed until more bytes arrive.
    oneFramePerWrite: true,
    open(): Promise<Duplex> {
      const sock = tls.connect({
        host: o.host,
        port,
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        servername: o.servername ?? (isIp(o.host) ? undefined : o.host),
        rejectUnauthorized: !o.insecure,
      });
      sock.setNoDelay(true);
      const ready = new Promise<Duplex>((resolve, reject) => {
        sock.once('secureConnect', () => {
          readCheckByte(sock).then(
            () => {
              sock.off('error', reject);
              resolve(sock);
            },
            (e: unknown) => {
              sock.destroy();
              reject(e);
            },
          );
        });
        sock.once('error', reject);
      });
      return withTimeout(o.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, `connect to ${description}`, ready, () =>
        sock.destroy(),
      );
    },
  };
}

/**
 * After the TLS handshake libvirtd sends one byte: 1 if it accepted our client certificate. It is
 * not part of any RPC frame, so it is consumed here before the socket is handed to the RPC layer.
 */
function readCheckByte(sock: tls.TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      sock.off('readable', onReadable);
      sock.off('end', onEnd);
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('libvirtd closed the TLS connection (client certificate rejected?)'));
    };
    const onReadable = () => {
      const b = sock.read(1) as Buffer | null;
      if (b === null) return;
      cleanup();
      if (b[0] === 1) resolve();
      else reject(new Error(`libvirtd rejected the client certificate (check byte ${b[0]})`));
    };
    sock.on('readable', onReadable);
    sock.on('end', onEnd);
  });
}

const isIp = (h: string): boolean => /^[\d.]+$/.test(h) || h.includes(':');
