// SSH transport: an ssh2 direct-streamlocal channel to libvirtd's unix socket on the remote host (nothing needed there but sshd).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { DEFAULT_CONNECT_TIMEOUT_MS, withTimeout, type Transport } from './transport.js';

/** How to reach and authenticate to the SSH server, and how to verify its host key. */
export interface SshOptions {
  host: string;
  port?: number;
  username: string;
  /** Private key (PEM/OpenSSH) contents. */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** Path of ssh-agent's socket, to authenticate with the agent instead of a key. */
  agent?: string;
  /** Remote libvirtd socket; default /var/run/libvirt/libvirt-sock. */
  socketPath?: string;
  /**
   * Host key check. Either a callback given the raw key, a known_hosts file to look the host up
   * in, or `insecure: true` to accept any key (libvirt's no_verify=1). One of them is required.
   */
  hostVerifier?: (key: Buffer) => boolean;
  knownHostsFile?: string;
  insecure?: boolean;
  timeoutMs?: number;
}

/** Checks a raw host key against an OpenSSH known_hosts file (plain and hashed host entries). */
export function knownHostsVerifier(file: string, host: string, port: number): (key: Buffer) => boolean {
  const name = port === 22 ? host : `[${host}]:${port}`;
  return (key: Buffer) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    const b64 = key.toString('base64');
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('@')) continue;
      const [hosts, , k] = line.split(/\s+/);
      if (!hosts || k !== b64) continue;
      if (hosts.split(',').some((h) => hostMatches(h, name))) return true;
    }
    return false;
  };
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern === name;
}

/** Opens an SSH connection per open() and a direct-streamlocal@openssh.com channel to the libvirt socket. */
export function sshTransport(o: SshOptions): Transport {
  const port = o.port ?? 22;
  const socketPath = o.socketPath ?? '/var/run/libvirt/libvirt-sock';
  const description = `ssh:${o.username}@${o.host}:${port}${socketPath}`;
  const verifier =
    o.hostVerifier ??
    (o.insecure
      ? () => true
      : o.knownHostsFile
        ? knownHostsVerifier(o.knownHostsFile, o.host, port)
        : undefined);
  if (!verifier) throw new Error('ssh transport needs hostVerifier, knownHostsFile or insecure: true');
  return {
    description,
    open: () => openStreamLocal(o, port, verifier, socketPath, description),
    openSocket: (path: string) =>
      openStreamLocal(o, port, verifier, path, `ssh:${o.username}@${o.host}:${port}${path}`),
  };
}

// One SSH connection carrying one direct-streamlocal channel to `socketPath`; it ends with the channel.
function openStreamLocal(
  o: SshOptions,
  port: number,
  verifier: (key: Buffer) => boolean,
  socketPath: string,
  description: string,
): Promise<Duplex> {
  const client = new ssh2.Client();
  // ssh2 may report more than one error (e.g. on auth failure, then on close); the first one
  // rejects open() or destroys the channel, later ones must not become uncaught exceptions.
  client.on('error', () => undefined);
  const ready = new Promise<Duplex>((resolve, reject) => {
    client.once('error', reject);
    client.once('ready', () => {
      client.openssh_forwardOutStreamLocal(socketPath, (err, channel) => {
        if (err) {
          client.end();
          reject(err);
          return;
        }
        client.off('error', reject);
        // Errors after the channel opened surface through the channel; the ssh connection ends with it.
        client.on('error', (e) => (channel as unknown as Duplex).destroy(e));
        channel.once('close', () => client.end());
        resolve(channel);
      });
    });
    client.connect({
      host: o.host,
      port,
      username: o.username,
      privateKey: o.privateKey,
      passphrase: o.passphrase,
      agent: o.agent,
      hostVerifier: verifier,
      readyTimeout: o.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // ssh2 only sends OpenSSH extensions to servers that say they are OpenSSH unless told otherwise.
      strictVendor: false,
      keepaliveInterval: 0,
    });
  });
  return withTimeout(o.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, `connect to ${description}`, ready, () =>
    client.end(),
  );
}
