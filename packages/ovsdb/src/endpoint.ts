// OVSDB endpoints as OVS writes them (`unix:/path`, `tcp:host:port`, `ssl:host:port`) and opening a
// byte stream to one. No protocol knowledge here.
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ClientErrorKind, OvsdbClientError } from './errors.js';

/** A parsed endpoint. */
export type Endpoint = { kind: 'unix'; path: string } | { kind: 'tcp' | 'ssl'; host: string; port: number };

/** PEM texts for `ssl:` endpoints (the client key and certificate, and the CA that signed the server's). */
export interface TlsCredentials {
  key: string | Buffer;
  cert: string | Buffer;
  ca: string | Buffer;
  /** Name the server certificate must carry; defaults to the host when it is a name, none for an IP. */
  servername?: string;
}

/** Parses `unix:/path`, `tcp:host:port`, `ssl:host:port` (IPv6 hosts in brackets). */
export function parseEndpoint(s: string): Endpoint {
  if (s.startsWith('unix:')) {
    const path = s.slice(5);
    if (!path) throw badEndpoint(s, 'empty socket path');
    return { kind: 'unix', path };
  }
  const m = /^(tcp|ssl):(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(s);
  if (!m) throw badEndpoint(s, 'expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT');
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw badEndpoint(s, 'port out of range');
  const host = m[2]!.replace(/^\[(.*)\]$/, '$1');
  return { kind: m[1] as 'tcp' | 'ssl', host, port };
}

/** Connects to an endpoint; rejects after `timeoutMs`. */
export function openEndpoint(ep: Endpoint, timeoutMs: number, creds?: TlsCredentials): Promise<Duplex> {
  let sock: net.Socket;
  let readyEvent = 'connect';
  if (ep.kind === 'unix') sock = net.connect({ path: ep.path });
  else if (ep.kind === 'tcp') sock = net.connect({ host: ep.host, port: ep.port });
  else {
    if (!creds) throw badEndpoint(describe(ep), 'ssl: needs TLS credentials (key, cert, ca)');
    sock = tls.connect({
      host: ep.host,
      port: ep.port,
      key: creds.key,
      cert: creds.cert,
      ca: creds.ca,
      servername: creds.servername ?? (net.isIP(ep.host) ? undefined : ep.host),
    });
    readyEvent = 'secureConnect';
  }
  if (ep.kind !== 'unix') sock.setNoDelay(true);
  return new Promise<Duplex>((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.destroy();
      reject(
        new OvsdbClientError(
          ClientErrorKind.TIMEOUT,
          `connect to ${describe(ep)}: timed out after ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    sock.once(readyEvent, () => {
      clearTimeout(timer);
      sock.off('error', onError);
      resolve(sock);
    });
    const onError = (e: Error) => {
      clearTimeout(timer);
      reject(
        new OvsdbClientError(ClientErrorKind.CONNECTION_CLOSED, `connect to ${describe(ep)}: ${e.message}`),
      );
    };
    sock.once('error', onError);
  });
}

/** The endpoint as OVS writes it. */
export function describe(ep: Endpoint): string {
  if (ep.kind === 'unix') return `unix:${ep.path}`;
  return `${ep.kind}:${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
}

function badEndpoint(s: string, why: string): OvsdbClientError {
  return new OvsdbClientError(
    ClientErrorKind.BAD_ENDPOINT,
    `bad OVSDB endpoint ${JSON.stringify(s)}: ${why}`,
  );
}
