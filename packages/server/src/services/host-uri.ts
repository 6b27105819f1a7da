// What an admin may put in a host's libvirt URI. The URI is handed to the libvirt client, which
// would open any local socket (`socket=`), read any file as an SSH key or PKI directory, or turn off
// peer verification; so only the parameters each transport needs are accepted, key material only
// from kumod's own key directory, and plaintext TCP or disabled verification only when the operator
// said so (KUMO_ALLOW_INSECURE_HOSTS), and then with a warning shown on the host. Pure: no I/O
// beyond resolving the named files.
import { realpathSync, statSync } from 'node:fs';
import { Errors } from '@kumo/contract';
import { within } from './import-files.js';

/** The operator's choices that bound host URIs. */
export interface HostUriPolicy {
  /** Key files, known_hosts files and PKI directories must lie inside this directory. */
  keyDir: string;
  /** Plaintext qemu+tcp and no_verify=1 are accepted (with a warning) only when true. */
  allowInsecure: boolean;
}

/** The parameters each transport may carry. */
const ALLOWED: Record<string, readonly string[]> = {
  unix: [],
  tcp: [],
  tls: ['pkipath', 'no_verify'],
  ssh: ['keyfile', 'known_hosts', 'socket', 'no_verify'],
};

/** A remote libvirt socket path (ssh `socket=` names one on the host, never on kumod's machine). */
const REMOTE_SOCKET = /^\/(var\/)?run\/libvirt\/[A-Za-z0-9._-]+$/;

/** Checks a host URI against the policy; throws INVALID_ARGUMENT naming what is refused. */
export function checkHostUri(uri: string, policy: HostUriPolicy): void {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw Errors.invalidParameter('uri', 'not a URI');
  }
  const kind = transportOf(u);
  if (!kind)
    throw Errors.invalidParameter(
      'uri',
      'use qemu://, qemu+unix://, qemu+tls://, qemu+ssh:// or qemu+tcp://',
    );
  for (const [name, value] of u.searchParams) {
    if (!ALLOWED[kind]!.includes(name)) {
      throw Errors.invalidParameter(
        'uri',
        `parameter '${name.slice(0, 32)}' is not accepted for ${kind} hosts`,
      );
    }
    if (name === 'no_verify' && value !== '0' && !policy.allowInsecure) {
      throw Errors.invalidParameter(
        'uri',
        'no_verify needs KUMO_ALLOW_INSECURE_HOSTS=1 on the control plane',
      );
    }
    if (name === 'socket' && !REMOTE_SOCKET.test(value)) {
      throw Errors.invalidParameter('uri', 'socket must be a libvirt socket under /run/libvirt on the host');
    }
    if (name === 'keyfile' || name === 'known_hosts') mustBeKeyFile(name, value, policy.keyDir, 'file');
    if (name === 'pkipath') mustBeKeyFile(name, value, policy.keyDir, 'directory');
  }
  if (kind === 'tcp' && !policy.allowInsecure) {
    throw Errors.invalidParameter(
      'uri',
      'qemu+tcp is unencrypted and unauthenticated: use qemu+tls or qemu+ssh, or set KUMO_ALLOW_INSECURE_HOSTS=1',
    );
  }
}

/** What is weak about a (stored) host URI, for `kumo host show`; empty when nothing is. */
export function hostUriWarnings(uri: string): string[] {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (transportOf(u) === 'tcp')
    out.push('plaintext TCP: libvirt traffic is neither encrypted nor authenticated');
  if (u.searchParams.get('no_verify') === '1') out.push('no_verify=1: the host is not authenticated');
  return out;
}

function transportOf(u: URL): string | undefined {
  const m = /^qemu(?:\+(unix|tcp|tls|ssh))?:$/.exec(u.protocol);
  if (!m) return undefined;
  return m[1] ?? (u.hostname ? 'tls' : 'unix');
}

function mustBeKeyFile(name: string, value: string, keyDir: string, kind: 'file' | 'directory'): void {
  let real: string | undefined;
  try {
    real = realpathSync(value);
  } catch {
    real = undefined;
  }
  const st = real ? statSync(real) : undefined;
  const ok = real && within(real, keyDir) && (kind === 'file' ? st!.isFile() : st!.isDirectory());
  if (!ok) throw Errors.invalidParameter('uri', `${name} must name a ${kind} inside ${keyDir}`);
}
