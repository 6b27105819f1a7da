// Parses libvirt connection URIs (qemu:///system, qemu+tcp://, qemu+tls://, qemu+ssh://) into a transport and the name to open.
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { tcpTransport, unixTransport } from './net.js';
import { sshTransport, type SshOptions } from './ssh.js';
import { tlsTransport, type TlsOptions } from './tls.js';
import type { Transport } from './transport.js';

/**
 * Overrides for what a URI alone cannot carry (key material, verifiers, the caller's environment).
 * The client never reads environment variables itself: a caller that wants ssh-agent passes
 * `ssh: { agent: <its SSH_AUTH_SOCK> }`, and one using `qemu:///session` may pass `runtimeDir`.
 */
export interface TransportOverrides {
  tls?: Partial<Omit<TlsOptions, 'host' | 'port'>>;
  ssh?: Partial<Omit<SshOptions, 'host' | 'port'>>;
  timeoutMs?: number;
  /** The user's runtime directory (what XDG_RUNTIME_DIR names) for `/session` sockets. */
  runtimeDir?: string;
}

/** A parsed URI: how to connect, and the name CONNECT_OPEN must receive. */
export interface ParsedUri {
  transport: Transport;
  /** URI sent to the daemon (transport, host and client-side parameters removed). */
  name: string;
  /** Transport kind from the scheme. */
  kind: 'unix' | 'tcp' | 'tls' | 'ssh';
}

// Query parameters consumed by the client side of libvirt's remote driver, never sent to the daemon.
const CLIENT_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'netcat',
  'keyfile',
  'sshauth',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'tls_priority',
  'mode',
  'proxy',
  'tls',
]);

/**
 * Chooses the local socket the way libvirt's client does: the modular daemon's socket if present.
 * A session socket lives in the user's runtime directory: `runtimeDir` when given, else systemd's
 * `/run/user/<uid>` when it exists, else `~/.cache` (libvirt's own fallback).
 */
export function defaultUnixSocket(driver: string, path: string, runtimeDir?: string): string {
  if (path === '/session') {
    const systemd = `/run/user/${userInfo().uid}`;
    const rt = runtimeDir ?? (existsSync(systemd) ? systemd : join(homedir(), '.cache'));
    return join(rt, 'libvirt', 'libvirt-sock');
  }
  const modular = `/var/run/libvirt/virt${driver}d-sock`;
  return existsSync(modular) ? modular : '/var/run/libvirt/libvirt-sock';
}

/** Parses a libvirt URI. Throws on unsupported schemes. */
export function parseLibvirtUri(uri: string, o: TransportOverrides = {}): ParsedUri {
  const u = new URL(uri);
  const scheme = u.protocol.replace(/:$/, '');
  const [driver = '', transportName] = scheme.split('+');
  const q = u.searchParams;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const path = u.pathname || '/system';
  const kept = new URLSearchParams();
  for (const [k, v] of q) if (!CLIENT_PARAMS.has(k)) kept.set(k, v);
  const qs = kept.toString();
  const name = q.get('name') ?? `${driver}://${path}${qs ? `?${qs}` : ''}`;
  const kind = transportName ?? (host ? 'tls' : 'unix');
  const timeoutMs = o.timeoutMs;
  const noVerify = q.get('no_verify') === '1';
  switch (kind) {
    case 'unix':
      return {
        kind: 'unix',
        name,
        transport: unixTransport(q.get('socket') ?? defaultUnixSocket(driver, path, o.runtimeDir), timeoutMs),
      };
    case 'tcp':
      return {
        kind: 'tcp',
        name,
        transport: tcpTransport(host || 'localhost', u.port ? Number(u.port) : 16509, timeoutMs),
      };
    case 'tls': {
      const pki = q.get('pkipath');
      const file = (p: string) => readFileSync(p);
      const ca = o.tls?.ca ?? file(pki ? join(pki, 'cacert.pem') : '/etc/pki/CA/cacert.pem');
      const cert = o.tls?.cert ?? file(pki ? join(pki, 'clientcert.pem') : '/etc/pki/libvirt/clientcert.pem');
      const key =
        o.tls?.key ?? file(pki ? join(pki, 'clientkey.pem') : '/etc/pki/libvirt/private/clientkey.pem');
      return {
        kind: 'tls',
        name,
        transport: tlsTransport({
          ...o.tls,
          host: host || 'localhost',
          port: u.port ? Number(u.port) : 16514,
          ca,
          cert,
          key,
          insecure: o.tls?.insecure ?? noVerify,
          timeoutMs,
        }),
      };
    }
    case 'ssh': {
      const port = u.port ? Number(u.port) : 22;
      const keyfile = q.get('keyfile');
      const knownHosts = q.get('known_hosts') ?? join(homedir(), '.ssh', 'known_hosts');
      const ssh: SshOptions = {
        host: host || 'localhost',
        port,
        username: decodeURIComponent(u.username) || o.ssh?.username || userInfo().username,
        socketPath: q.get('socket') ?? '/var/run/libvirt/libvirt-sock',
        privateKey: keyfile ? readFileSync(keyfile) : undefined,
        knownHostsFile: knownHosts,
        insecure: noVerify,
        timeoutMs,
        ...o.ssh,
      };
      return { kind: 'ssh', name, transport: sshTransport(ssh) };
    }
    default:
      throw new Error(`unsupported libvirt transport "${kind}" in ${uri}`);
  }
}
