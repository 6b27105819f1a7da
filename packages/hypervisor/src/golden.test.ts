// Golden tests: the designed domain XML, network XML and seed files compared with literal files in
// src/golden/ (regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff).
import { expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { designDomain } from './designer.js';
import { buildSeedFiles } from './seed/cloudinit.js';
import { testProfile, testSpec } from './testing.js';
import { domainToXml } from './xml/domain.js';
import { networkToXml } from './xml/network.js';

const dir = join(process.cwd(), 'packages/hypervisor/src/golden');

function golden(name: string, actual: string): void {
  const path = join(dir, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const names = {
  domain: 'kumo-i-0abc123',
  network: 'subnet-1',
  libvirtNetwork: 'kumo-net-subnet-1',
  rootVolume: 'kumo-i-0abc123-root.qcow2',
  seedVolume: 'kumo-i-0abc123-seed.iso',
};
const paths = {
  rootDisk: '/var/lib/kumo/pool/kumo-i-0abc123-root.qcow2',
  seed: '/var/lib/kumo/pool/kumo-i-0abc123-seed.iso',
  kernel: '/var/lib/kumo/pool/kumo-img-debian-12-aaaaaaaaaaaa.kernel',
  initrd: '/var/lib/kumo/pool/kumo-img-debian-12-aaaaaaaaaaaa.initrd',
};

test('domain: direct kernel boot under TCG', () => {
  golden('domain-direct-tcg.xml', domainToXml(designDomain(testSpec, testProfile, names, paths)));
});

test('domain: firmware boot under KVM with nested virtualization', () => {
  const spec = {
    ...testSpec,
    image: { ...testSpec.image, boot: { mode: 'firmware' as const } },
    type: { vcpus: 4, memoryMiB: 4096, nested: true },
  };
  const { kernel: _k, initrd: _i, ...firmwarePaths } = paths;
  golden(
    'domain-firmware-kvm-nested.xml',
    domainToXml(
      designDomain(spec, { ...testProfile, accelerator: 'kvm', vncListen: '0.0.0.0' }, names, firmwarePaths),
    ),
  );
});

test('network: NAT with a range and a reservation', () => {
  golden(
    'network-nat.xml',
    networkToXml({
      name: 'kumo-net-subnet-1',
      forward: 'nat',
      bridge: 'kv0123456789ab',
      ip: {
        address: '10.77.1.1',
        prefix: 24,
        dhcpRange: { start: '10.77.1.200', end: '10.77.1.250' },
        hosts: [{ mac: '52:54:00:12:34:56', ip: '10.77.1.10', name: 'i-0abc123' }],
      },
    }),
  );
});

test('seed files', () => {
  const seed = buildSeedFiles(testSpec);
  golden('meta-data', seed['meta-data']);
  golden('user-data', seed['user-data']);
  golden('network-config', seed['network-config']);
});

test('seed user-data merged with operator #cloud-config', () => {
  const seed = buildSeedFiles({
    ...testSpec,
    userData:
      '#cloud-config\npackages: [nginx]\nssh_authorized_keys: ["ssh-rsa AAAAB3Nza operator"]\nruncmd:\n  - echo hi\n',
  });
  golden('user-data-merged', seed['user-data']);
});
