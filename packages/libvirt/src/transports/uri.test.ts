// Unit tests of libvirt URI parsing: transport kind, endpoint, and the name sent to CONNECT_OPEN.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLibvirtUri } from './uri.js';
import { knownHostsVerifier } from './ssh.js';
import { createHmac } from 'node:crypto';

describe('parseLibvirtUri', () => {
  it('maps qemu:///system to the local socket', () => {
    const p = parseLibvirtUri('qemu:///system');
    expect(p.kind).toBe('unix');
    expect(p.name).toBe('qemu:///system');
    expect(p.transport.description).toMatch(/^unix:\/var\/run\/libvirt\/(libvirt|virtqemud)-sock$/);
  });

  it('honours socket= and strips client-only parameters from the name', () => {
    const p = parseLibvirtUri('qemu+unix:///system?socket=/tmp/x.sock&foo=bar');
    expect(p.transport.description).toBe('unix:/tmp/x.sock');
    expect(p.name).toBe('qemu:///system?foo=bar');
  });

  it('parses tcp with and without a port', () => {
    expect(parseLibvirtUri('qemu+tcp://h1/system').transport.description).toBe('tcp:h1:16509');
    const p = parseLibvirtUri('qemu+tcp://127.0.0.1:1234/system');
    expect(p.transport.description).toBe('tcp:127.0.0.1:1234');
    expect(p.name).toBe('qemu:///system');
  });

  it('reads TLS certificates from pkipath', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-lvtest-uri-'));
    for (const f of ['cacert.pem', 'clientcert.pem', 'clientkey.pem']) writeFileSync(join(dir, f), 'x');
    const p = parseLibvirtUri(`qemu+tls://h2/system?pkipath=${dir}`);
    expect(p.kind).toBe('tls');
    expect(p.transport.description).toBe('tls:h2:16514');
    expect(p.name).toBe('qemu:///system');
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses ssh user, port, keyfile-less settings and remote socket', () => {
    const p = parseLibvirtUri(
      'qemu+ssh://alice@h3:2222/system?no_verify=1&socket=/run/libvirt/virtqemud-sock',
    );
    expect(p.kind).toBe('ssh');
    expect(p.transport.description).toBe('ssh:alice@h3:2222/run/libvirt/virtqemud-sock');
    expect(p.name).toBe('qemu:///system');
  });

  it('rejects unknown transports', () => {
    expect(() => parseLibvirtUri('qemu+ext:///system')).toThrow(/unsupported/);
  });
});

describe('knownHostsVerifier', () => {
  const key = Buffer.from('fake-host-key');
  it('accepts plain and hashed entries for the host and port, nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-lvtest-kh-'));
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('[h5]:2200').digest('base64');
    writeFileSync(
      join(dir, 'kh'),
      `[h4]:2200 ssh-ed25519 ${key.toString('base64')}\n|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${key.toString('base64')}\n`,
    );
    expect(knownHostsVerifier(join(dir, 'kh'), 'h4', 2200)(key)).toBe(true);
    expect(knownHostsVerifier(join(dir, 'kh'), 'h5', 2200)(key)).toBe(true);
    expect(knownHostsVerifier(join(dir, 'kh'), 'h4', 22)(key)).toBe(false);
    expect(knownHostsVerifier(join(dir, 'kh'), 'h4', 2200)(Buffer.from('other'))).toBe(false);
    expect(knownHostsVerifier(join(dir, 'missing'), 'h4', 2200)(key)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
