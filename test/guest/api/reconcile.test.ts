// The reconciler with real guests: a guest that powers itself off becomes stopped, a domain removed
// behind Kumo's back becomes error, a host that stops answering is reflected and then healed, and a
// host that is gone fails its tasks by their deadline, holds deletes until it answers, and lets the
// admin force-delete (its leftovers removed when it is back).
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { KumoClient } from '@kumo/client';
import { pidsInNetns, startTestHost, stopAllTestHosts, type TestHost } from '../../support/hosts.js';
import { newAccount } from '../../support/kumod.js';
import {
  EIP,
  loginIp,
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

const DEADLINE_S = 20;

let cloud: GuestCloud;
let user: KumoClient;
let remote: TestHost;

beforeAll(async () => {
  // Short task deadlines, so a task on a cut-off host fails within the test.
  cloud = await startGuestCloud('apirec', '10.245', {
    env: { KUMO_TASK_DEADLINE_SECONDS: String(DEADLINE_S) },
  });
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
    tinyInstance(cloud, name, {
      az,
      keyNames,
      primaryNetworkInterface: { networkInterface: { subnetId } },
      elasticIp: EIP,
    }),
  );
  return r.instanceIds[0]!;
}

test('a guest that powers itself off becomes stopped; a vanished domain becomes error', async () => {
  const kp = await user.createKeypair('rec-key');
  const key = opensshPrivateKey(kp.privateKey);
  const id = await create('local-1a', 'selfstop', ['rec-key']);
  await waitStatus(user, id, 'running', 180_000);
  const ip = await loginIp(user, id);
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

test('a host that is gone: a task fails by its deadline, a delete waits for it, force-delete frees quota now', async () => {
  const stuck = await create('local-1b', 'gone-stuck');
  const forced = await create('local-1b', 'gone-forced');
  await waitStatus(user, stuck, 'running', 300_000);
  await waitStatus(user, forced, 'running', 300_000);
  const counted = async () =>
    (await user.describeQuotas({ filters: [{ name: 'resourceTypes', values: ['instance'] }] })).quotas[0]!
      .used;
  const usedBefore = await counted();
  await remote.cutOff();
  try {
    // Asked while the host is already gone: the stop can never run, and fails by its deadline.
    await user.stopInstance(stuck);
    const t0 = Date.now();
    await waitStatus(user, stuck, 'error', (DEADLINE_S + 60) * 1000, [], { tolerateError: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual((DEADLINE_S - 2) * 1000);
    const { instance } = await user.describeInstance(stuck);
    expect(instance.status).toBe('error');
    // A delete is accepted and waits for the host (a delete has no deadline).
    await user.deleteInstance(stuck);
    await new Promise((r) => setTimeout(r, (DEADLINE_S + 5) * 1000));
    expect((await user.describeInstance(stuck)).instance.status).toBe('deleting');

    // The admin's way out: gone at once, its quota free.
    await cloud.admin.adminRequest('POST', `/instances/${forced}:forceDelete`, { body: {} });
    await waitStatus(user, forced, 'deleted', 5_000);
    expect(await counted()).toBe(usedBefore - 1);
  } finally {
    await remote.reconnect();
  }
  // Back: the delete completes, and the force-deleted instance's domain is removed by the reconciler.
  await waitStatus(user, stuck, 'deleted', 180_000);
  const deadline = Date.now() + 120_000;
  let domains = '';
  while (Date.now() < deadline) {
    domains = await remote.virsh(['list', '--all', '--name']);
    if (!domains.includes(stuck) && !domains.includes(forced)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(domains).not.toContain(forced);
  expect(domains).not.toContain(stuck);
});

test('volumes no instance owns (a spawn that died before defining its domain) are removed', async () => {
  const pool = `${cloud.prefix}pool`;
  const stray = `${cloud.prefix}i-zz0rphanv0l1-root.qcow2`;
  const kept = `${cloud.prefix}unrelated-file.qcow2`; // not an instance volume: never touched
  virsh('vol-create-as', pool, stray, '1M', '--format', 'qcow2');
  virsh('vol-create-as', pool, kept, '1M', '--format', 'qcow2');
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && virsh('vol-list', pool).includes(stray))
      await new Promise((r) => setTimeout(r, 500));
    const left = virsh('vol-list', pool);
    expect(left).not.toContain(stray);
    expect(left).toContain(kept);
  } finally {
    virsh('vol-delete', kept, '--pool', pool);
  }
});
