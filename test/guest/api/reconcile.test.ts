// The reconciler with real guests: a guest that powers itself off becomes stopped, a domain removed
// behind Kumo's back becomes error, and a host that stops answering is reflected and then healed.
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { KumoClient } from '@kumo/client';
import { pidsInNetns, startTestHost, stopAllTestHosts, type TestHost } from '../../support/hosts.js';
import { newAccount } from '../../support/kumod.js';
import {
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  virsh,
  waitSsh,
  waitStatus,
  type GuestCloud,
  subnetOf,
  tinyInstance,
} from './support.js';

jest.setTimeout(15 * 60_000);

let cloud: GuestCloud;
let user: KumoClient;
let remote: TestHost;

beforeAll(async () => {
  cloud = await startGuestCloud('apirec', '10.245');
  user = await newAccount(cloud.kumod, 'observer');
  remote = await startTestHost('rec1');
  await cloud.admin.adminRequest('POST', '/hosts', {
    body: {
      name: 'rec1',
      uri: remote.uri,
      regionId: 'local-1',
      az: 'local-1b',
      poolPath: remote.poolPath,
      accelerator: 'qemu',
    },
  });
});

afterAll(async () => {
  await cloud?.cleanup();
  await stopAllTestHosts();
});

async function create(az: string, name: string, keyNames: string[] = []): Promise<string> {
  const subnetId = await subnetOf(user, az);
  const r = await user.createInstances(
    tinyInstance(cloud, name, { az, keyNames, primaryNetworkInterface: { networkInterface: { subnetId } } }),
  );
  return r.instanceIds[0]!;
}

test('a guest that powers itself off becomes stopped; a vanished domain becomes error', async () => {
  const kp = await user.createKeypair('rec-key');
  const key = opensshPrivateKey(kp.privateKey);
  const id = await create('local-1a', 'selfstop', ['rec-key']);
  await waitStatus(user, id, 'running', 180_000);
  const ip = (await user.describeInstance(id)).instance.privateIpAddress;
  await waitSsh(ip, 'root', key, 120_000);
  await sshExec(ip, 'root', key, 'poweroff', 10_000).catch(() => undefined);
  const seen = await waitStatus(user, id, 'stopped', 120_000);
  expect(seen).not.toContain('stopping'); // nobody asked Kumo: the reconciler observed it
  expect(virsh('domstate', `${cloud.prefix}${id}`).trim()).toBe('shut off');

  virsh('undefine', `${cloud.prefix}${id}`);
  await waitStatus(user, id, 'error', 60_000);
  await user.deleteInstance(id);
  await waitStatus(user, id, 'deleted', 120_000);
});

test('an unreachable host turns its instances to error and heals them when it answers again', async () => {
  const id = await create('local-1b', 'faraway');
  await waitStatus(user, id, 'running', 300_000);
  const libvirtd = pidsInNetns(remote.netnsId).filter(
    (pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'libvirtd',
  );
  expect(libvirtd).toHaveLength(1);
  process.kill(libvirtd[0]!, 'SIGSTOP');
  try {
    await waitStatus(user, id, 'error', 120_000);
    const hosts = await cloud.admin.adminRequest<{ hosts: { name: string; health: string }[] }>(
      'GET',
      '/hosts',
    );
    expect(hosts.hosts.find((h) => h.name === 'rec1')?.health).toBe('down');
  } finally {
    process.kill(libvirtd[0]!, 'SIGCONT');
  }
  // Healing takes a sweep or two after the host answers again; error is expected until then.
  await waitStatus(user, id, 'running', 120_000, [], { tolerateError: true });
  const hosts = await cloud.admin.adminRequest<{ hosts: { name: string; health: string }[] }>(
    'GET',
    '/hosts',
  );
  expect(hosts.hosts.find((h) => h.name === 'rec1')?.health).toBe('up');
  await user.deleteInstance(id);
  await waitStatus(user, id, 'deleted', 120_000);
});
