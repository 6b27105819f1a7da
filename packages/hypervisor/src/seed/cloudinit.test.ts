// Unit tests of the NoCloud seed builder: inputs are validated, and nothing a user controls can add
// YAML keys or documents.
import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parse } from 'yaml';
import { testSpec } from '../testing.js';
import { buildSeedFiles, checkUserData, KEYS_FILE } from './cloudinit.js';

test('rejects hostnames, keys and hashes that could break out of their value', () => {
  const bad = [
    { ...testSpec, hostname: 'a\nfoo: bar' },
    { ...testSpec, hostname: 'x: y' },
    { ...testSpec, login: { authorizedKeys: ['ssh-ed25519 AAAA x\nruncmd: [reboot]'] } },
    { ...testSpec, login: { authorizedKeys: [], passwordHash: 'plain text' } },
    { ...testSpec, nic: { ...testSpec.nic, mac: '52:54:00:12:34:56\nx: 1' } },
  ];
  for (const s of bad) expect(() => buildSeedFiles(s)).toThrow(/invalid/);
});

test('key comments and operator data are data, never structure', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (comment, value) => {
      fc.pre(!/[\r\n]/.test(comment));
      const key = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1oVv0Rj0t7wq1h2o2xjYf1m3x5n7r9dT0b0QmUo0aF${comment ? ` ${comment}` : ''}`;
      fc.pre(key.trim() === key);
      const seed = buildSeedFiles({
        ...testSpec,
        login: { authorizedKeys: [key] },
        userData: `#cloud-config\nwrite_files:\n  - path: /x\n    content: ${JSON.stringify(value)}\n`,
      });
      const doc = parse(seed['user-data']) as Record<string, unknown>;
      expect(doc.ssh_authorized_keys).toEqual([key]);
      expect(Object.keys(doc).sort()).toEqual(
        [
          'bootcmd',
          'disable_root',
          'manage_etc_hosts',
          'preserve_hostname',
          'ssh_authorized_keys',
          'ssh_pwauth',
          'users',
          'write_files',
        ].sort(),
      );
      expect((doc.write_files as { content: string }[])[0]?.content).toBe(value);
    }),
  );
});

test('a MAC address stays a string even for YAML 1.1 readers (no base-60 integers)', () => {
  expect(buildSeedFiles(testSpec)['network-config']).toContain('macaddress: "52:54:00:12:34:56"');
});

test("an overlay NIC's MTU reaches network-config; an impossible one is refused", () => {
  const overlay = { ...testSpec, nic: { ...testSpec.nic, mtu: 1442 } };
  const cfg = parse(buildSeedFiles(overlay)['network-config']) as { ethernets: { eth0: { mtu?: number } } };
  expect(cfg.ethernets.eth0.mtu).toBe(1442);
  expect(parse(buildSeedFiles(testSpec)['network-config']).ethernets.eth0.mtu).toBeUndefined();
  for (const mtu of [0, 575, 9001, 1442.5])
    expect(() => buildSeedFiles({ ...testSpec, nic: { ...testSpec.nic, mtu } })).toThrow(/invalid MTU/);
});

test('non-cloud-config user-data rides in a MIME multipart beside Kumo config', () => {
  const ud = buildSeedFiles({ ...testSpec, userData: '#!/bin/sh\necho hello\n' })['user-data'];
  expect(ud).toMatch(/^Content-Type: multipart\/mixed; boundary="kumo-i-0abc123-boundary"/);
  expect(ud).toContain('Content-Type: text/x-shellscript');
  expect(ud).toContain('#cloud-config\nbootcmd:');
});

test('root login is refused unless asked for', () => {
  const on = parse(
    buildSeedFiles({ ...testSpec, login: { ...testSpec.login, rootLogin: true } })['user-data'],
  );
  const off = parse(buildSeedFiles(testSpec)['user-data']);
  expect(on.disable_root).toBe(false);
  expect(off.disable_root).toBe(true);
});

test('user data holding the MIME boundary gets another boundary, and stays whole', () => {
  const sneaky = '#!/bin/sh\necho --kumo-i-0abc123-boundary\n';
  const ud = buildSeedFiles({ ...testSpec, userData: sneaky })['user-data'];
  expect(ud).toMatch(/^Content-Type: multipart\/mixed; boundary="kumo-i-0abc123-boundary-1"/);
  expect(ud).toContain(sneaky);
});

test('invalid #cloud-config is refused with where, never with what it says', () => {
  const secret = '#cloud-config\npassword: hunter2\nruncmd: [unclosed\n';
  expect(() => checkUserData(secret)).toThrow('invalid user-data: #cloud-config is not valid YAML at line');
  try {
    checkUserData(secret);
  } catch (err) {
    expect((err as Error).message).not.toContain('hunter2');
    expect((err as Error).message).not.toContain('unclosed');
  }
  expect(() => checkUserData('#cloud-config\n- a list\n')).toThrow('must be a mapping');
  expect(() => checkUserData('#!/bin/sh\nanything: [\n')).not.toThrow();
});

test('the keys file holds the authorized keys, and a boot command installs it for the users Kumo gives keys', () => {
  const keys = [
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1oVv0Rj0t7wq1h2o2xjYf1m3x5n7r9dT0b0QmUo0aF alice@laptop',
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob',
  ];
  const seed = buildSeedFiles({ ...testSpec, login: { authorizedKeys: keys } });
  expect(seed[KEYS_FILE]).toBe(`${keys[0]}\n${keys[1]}\n`);
  const [cmd] = (parse(seed['user-data']) as { bootcmd: string[][] }).bootcmd;
  expect(cmd!.slice(0, 2)).toEqual(['sh', '-c']);
  expect(cmd![2]).toContain(`for u in ${testSpec.image.defaultUser}; do`);
  expect(cmd![2]).toContain(`"$m/${KEYS_FILE}" "$h/.ssh/authorized_keys"`);
  // Root gets them too where root logs in (and then root's file is Kumo's, not cloud-init's refusal).
  const root = buildSeedFiles({ ...testSpec, login: { authorizedKeys: keys, rootLogin: true } });
  expect((parse(root['user-data']) as { bootcmd: string[][] }).bootcmd[0]![2]).toContain(
    `for u in ${testSpec.image.defaultUser} root; do`,
  );
  // No keys: an empty file, so the boot command empties authorized_keys (the keys were removed).
  expect(buildSeedFiles({ ...testSpec, login: { authorizedKeys: [] } })[KEYS_FILE]).toBe('');
  const badUser = { ...testSpec, image: { ...testSpec.image, defaultUser: 'x; rm -rf /' } };
  expect(() => buildSeedFiles(badUser)).toThrow(/default user/);
});
