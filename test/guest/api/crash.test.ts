// Crash safety with real guests: kumod is killed (SIGKILL, like kill -9) at exact steps of a
// create (one with a security group and an elastic IP), a resize, a delete, an attach and detach
// of a network interface and of a disk; a restarted kumod converges every instance and interface
// to a stable state and leaves no orphan domain, volume, device, claim or OVN row.
import { jest } from '@jest/globals';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { KumoClient } from '@kumo/client';
import { clientFor, startKumod, type KumodProcess } from '../../support/kumod.js';
import { EIP, startGuestCloud, tinyInstance, virsh, waitStatus, type GuestCloud } from './support.js';

jest.setTimeout(20 * 60_000);

let cloud: GuestCloud;
let keys: { accessKey: string; secretKey: string };

beforeAll(async () => {
  cloud = await startGuestCloud('apicrash', '10.243', {
    // Short leases: a dead kumod's tasks and interface attachments are taken over in seconds.
    env: {
      KUMO_TASK_STALE_SECONDS: '10',
      KUMO_NETWORK_SYNC_LEASE_SECONDS: '3',
      KUMO_STORAGE_LEASE_SECONDS: '2',
      KUMO_STORAGE_INTERVAL_MS: '200',
    },
  });
  keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'crashy' } });
  // From here on, exactly one kumod runs at a time, so the one that crashes is the one working.
  await cloud.kumod.stop();
});

afterAll(async () => {
  await cloud?.cleanup();
});

async function kumod(crashAt?: string): Promise<{ k: KumodProcess; c: KumoClient }> {
  const env = crashAt ? { ...cloud.env, KUMO_TEST_CRASH_AT: crashAt } : cloud.env;
  const k = await startKumod(env, { adminCredentials: cloud.kumod.credentials });
  return { k, c: clientFor(k.endpoint, keys) };
}

function died(k: KumodProcess, ms: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (k.child.exitCode !== null || k.child.signalCode !== null) return resolve(k.child.signalCode);
    const t = setTimeout(
      () => reject(new Error(`kumod did not crash within ${ms} ms:\n${k.output().slice(-3000)}`)),
      ms,
    );
    k.child.once('exit', (_code, signal) => {
      clearTimeout(t);
      resolve(signal);
    });
  });
}

async function inventory(): Promise<{ used: number; claimed: number; instances: number }> {
  const c = new pg.Client({ connectionString: cloud.env.DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT (SELECT COALESCE(sum(used_vcpus),0) FROM hosts)::int AS used,
                                    (SELECT COALESCE(sum(vcpus),0) FROM claims)::int AS claimed,
                                    (SELECT count(*) FROM instances)::int AS instances`);
    return r.rows[0];
  } finally {
    await c.end();
  }
}

// Root overlays and seeds only: the console log shares the pool's directory and shows in vol-list
// once anything refreshes the pool.
const volumesOf = (id: string) =>
  virsh('vol-list', `${cloud.prefix}pool`)
    .split('\n')
    .filter((l) => l.includes(`${id}-root`) || l.includes(`${id}-seed`)).length;

const create = (c: KumoClient, name: string) => c.createInstances(tinyInstance(cloud, name));

test.each(['create-overlay', 'define', 'start'])(
  'a create killed at step %s converges to running',
  async (step) => {
    const crashing = await kumod(step);
    const { instanceIds } = await create(crashing.c, `crash-${step}`);
    expect(await died(crashing.k, 120_000)).toBe('SIGKILL');

    const healer = await kumod();
    try {
      const seen = await waitStatus(healer.c, instanceIds[0]!, 'running', 180_000);
      expect(seen[seen.length - 1]).toBe('running');
      expect(virsh('domstate', `${cloud.prefix}${instanceIds[0]}`).trim()).toBe('running');
      // One root overlay and one seed, not a second pair from the re-run.
      expect(volumesOf(instanceIds[0]!)).toBe(2);
      const inv = await inventory();
      expect(inv.used).toBe(inv.claimed);
    } finally {
      await healer.k.stop();
    }
  },
);

test('a create with a security group and an elastic IP killed at define converges; the plane holds exactly the inventory', async () => {
  const crashing = await kumod('define');
  const R = '/v1/regions/local-1';
  const { subnets } = await crashing.c.request<{
    subnets: { subnetId: string; vpcId: string; az: string }[];
  }>('GET', `${R}/subnets/`);
  const { subnetId, vpcId } = subnets.find((x) => x.az === 'local-1a')!;
  const { networkSecurityGroupId: sg } = await crashing.c.request<{ networkSecurityGroupId: string }>(
    'POST',
    `${R}/networkSecurityGroups/`,
    { body: { vpcId, networkSecurityGroupName: 'crash-sg' } },
  );
  const { instanceIds } = await crashing.c.createInstances(
    tinyInstance(cloud, 'crash-eip', {
      primaryNetworkInterface: { networkInterface: { subnetId, securityGroups: [sg] } },
      elasticIp: EIP,
    }),
  );
  expect(await died(crashing.k, 120_000)).toBe('SIGKILL');
  const healer = await kumod();
  try {
    const id = instanceIds[0]!;
    await waitStatus(healer.c, id, 'running', 180_000);
    const { instance } = await healer.c.describeInstance(id);
    expect(instance.elasticIpAddress).not.toBe('');
    expect(instance.primaryNetworkInterface.networkInterface.securityGroups.map((g) => g.groupId)).toEqual([
      sg,
    ]);
    // The plane (OVN's northbound database) holds exactly what the inventory says: every interface
    // of the account as a port, the instance's EIP as its only NAT rule, nothing waiting.
    const { networkInterfaces } = await healer.c.request<{
      networkInterfaces: { networkInterfaceId: string }[];
    }>('GET', `${R}/networkInterfaces/`, { query: { pageSize: 100 } });
    let plane = { pending: 1, ports: [] as string[], elasticIps: [] as string[] };
    for (let i = 0; i < 100 && plane.pending > 0; i++) {
      plane = (await healer.k.admin().adminRequest<{ networkPlane: typeof plane }>('GET', '/networkPlane'))
        .networkPlane;
      if (plane.pending > 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(plane.pending).toBe(0);
    expect(plane.ports).toEqual(networkInterfaces.map((n) => n.networkInterfaceId).sort());
    expect(plane.elasticIps).toEqual([instance.elasticIpId]);
  } finally {
    await healer.k.stop();
  }
});

test('a resize killed at its libvirt step, then a delete killed while destroying, both converge', async () => {
  const first = await kumod();
  const { instanceIds } = await create(first.c, 'crash-resize');
  const id = instanceIds[0]!;
  await waitStatus(first.c, id, 'running', 180_000);
  await first.c.stopInstance(id);
  await waitStatus(first.c, id, 'stopped', 180_000);
  await first.k.stop();

  const crashResize = await kumod('resize');
  await crashResize.c.resizeInstance(id, 't.n1.micro');
  expect(await died(crashResize.k, 60_000)).toBe('SIGKILL');
  const healer = await kumod();
  try {
    await waitStatus(healer.c, id, 'stopped', 120_000, ['resizing']);
    const { instance } = await healer.c.describeInstance(id);
    expect(instance.instanceType).toBe('t.n1.micro');
    expect(virsh('dominfo', `${cloud.prefix}${id}`)).toMatch(/Max memory:\s+524288 KiB/);
  } finally {
    await healer.k.stop();
  }

  const crashDelete = await kumod('destroy');
  await crashDelete.c.deleteInstance(id);
  expect(await died(crashDelete.k, 60_000)).toBe('SIGKILL');
  const healer2 = await kumod();
  try {
    await waitStatus(healer2.c, id, 'deleted', 120_000);
    expect(virsh('list', '--all', '--name')).not.toContain(id);
    expect(volumesOf(id)).toBe(0);
  } finally {
    await healer2.k.stop();
  }
});

test('an attach killed after the plug and a detach killed after the unplug both converge', async () => {
  const first = await kumod();
  const { instanceIds } = await first.c.createInstances(
    tinyInstance(cloud, 'crash-eni', { instanceType: 't.n1.small' }),
  );
  const id = instanceIds[0]!;
  await waitStatus(first.c, id, 'running', 180_000);
  const R = '/v1/regions/local-1';
  const { subnetId } = (await first.c.describeInstance(id)).instance;
  const { networkInterfaceId: eni } = await first.c.request<{ networkInterfaceId: string }>(
    'POST',
    `${R}/networkInterfaces/`,
    { body: { subnetId } },
  );
  type Nic = { macAddress: string; attachmentStatus: string; instanceId: string };
  const nicOf = async (c: KumoClient) =>
    (await c.request<{ networkInterface: Nic }>('GET', `${R}/networkInterfaces/${eni}`)).networkInterface;
  const { macAddress: mac } = await nicOf(first.c);
  await first.k.stop();
  // The NICs libvirt has on the running guest, by MAC.
  const liveMacs = () =>
    virsh('domiflist', `${cloud.prefix}${id}`)
      .split('\n')
      .filter((l) => l.includes(mac)).length;

  for (const [verb, want, plugged] of [
    ['attach', 'attached', 1],
    ['detach', 'detached', 0],
  ] as const) {
    const crashing = await kumod(`nic:${verb}:after`);
    await crashing.c.request('POST', `${R}/instances/${id}:${verb}NetworkInterface`, {
      body: { networkInterfaceId: eni },
    });
    expect(await died(crashing.k, 60_000)).toBe('SIGKILL');
    // Killed after the host call, before the row recorded it: the interface still shows the task.
    const healer = await kumod();
    try {
      let nic = await nicOf(healer.c);
      for (let i = 0; i < 300 && nic.attachmentStatus !== want; i++) {
        await new Promise((r) => setTimeout(r, 200));
        nic = await nicOf(healer.c);
      }
      expect(nic).toMatchObject({ attachmentStatus: want, instanceId: want === 'attached' ? id : '' });
      // Exactly one device after the re-run of the plug (idempotent by MAC); none after the unplug.
      // (A guest finishes a hot-unplug on its own time: allow it a few seconds.)
      for (let i = 0; i < 50 && liveMacs() !== plugged; i++) await new Promise((r) => setTimeout(r, 200));
      expect(liveMacs()).toBe(plugged);
    } finally {
      await healer.k.stop();
    }
  }
});

test('a disk attach killed after the hot-plug and a detach killed after the unplug both converge', async () => {
  const first = await kumod();
  const dir = mkdtempSync(join(tmpdir(), 'kumo-crash-disks-'));
  chmodSync(dir, 0o755);
  await first.k.admin().adminRequest('POST', '/storageBackends', {
    body: { az: 'local-1a', kind: 'local', path: dir },
  });
  const { instanceIds } = await create(first.c, 'crash-disk');
  const id = instanceIds[0]!;
  await waitStatus(first.c, id, 'running', 180_000);
  const R = '/v1/regions/local-1';
  const { diskIds } = await first.c.request<{ diskIds: string[] }>('POST', `${R}/disks`, {
    body: {
      diskSpec: { az: 'local-1a', name: 'crashy', diskType: 'ssd', diskSizeGB: 20 },
      maxCount: 1,
      clientToken: 'crash-disk-1',
    },
  });
  const diskId = diskIds[0]!;
  // The disk's status and its attachment's (`in-use` shows from the attach's start; the
  // attachment turns `attached` when the task ends).
  const statusOf = async (c: KumoClient) => {
    const { disk } = await c.request<{ disk: { status: string; attachments: { status: string }[] } }>(
      'GET',
      `${R}/disks/${diskId}`,
    );
    return [disk.status, ...disk.attachments.map((a) => a.status)].join(' ');
  };
  for (let i = 0; i < 300 && (await statusOf(first.c)) !== 'available'; i++)
    await new Promise((r) => setTimeout(r, 200));
  await first.k.stop();
  // Block devices of the running guest backed by the disk's volume.
  const devices = () =>
    virsh('domblklist', `${cloud.prefix}${id}`)
      .split('\n')
      .filter((l) => l.includes(diskId)).length;

  for (const [verb, want, plugged] of [
    ['attach', 'in-use attached', 1],
    ['detach', 'available', 0],
  ] as const) {
    const crashing = await kumod(`disks:${verb}:after`);
    await crashing.c.request('POST', `${R}/instances/${id}:${verb}Disk`, { body: { diskId } });
    expect(await died(crashing.k, 60_000)).toBe('SIGKILL');
    const healer = await kumod();
    try {
      let status = await statusOf(healer.c);
      for (let i = 0; i < 300 && status !== want; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = await statusOf(healer.c);
      }
      expect(status).toBe(want);
      for (let i = 0; i < 50 && devices() !== plugged; i++) await new Promise((r) => setTimeout(r, 200));
      expect(devices()).toBe(plugged);
    } finally {
      await healer.k.stop();
    }
  }
});

test('a create with a data disk killed right after the disk joined the domain converges, the disk plugged once', async () => {
  const crashing = await kumod('disks:spawn-attach:after');
  // The AZ's local backend (the test before adds it; run alone, this one does).
  const { storageBackends } = await crashing.k
    .admin()
    .adminRequest<{ storageBackends: unknown[] }>('GET', '/storageBackends');
  if (storageBackends.length === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-crash-disks-'));
    chmodSync(dir, 0o755);
    await crashing.k.admin().adminRequest('POST', '/storageBackends', {
      body: { az: 'local-1a', kind: 'local', path: dir },
    });
  }
  const { instanceIds } = await crashing.c.createInstances(
    tinyInstance(cloud, 'crash-data', {
      dataDisks: [{ diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20 } }],
    }),
  );
  const id = instanceIds[0]!;
  expect(await died(crashing.k, 120_000)).toBe('SIGKILL');
  const healer = await kumod();
  try {
    await waitStatus(healer.c, id, 'running', 180_000);
    const { instance } = await healer.c.describeInstance(id);
    expect(instance.dataDisks.map((d) => [d.status, d.cloudDisk?.status])).toEqual([['attached', 'in-use']]);
    const diskId = instance.dataDisks[0]!.cloudDisk!.diskId;
    const plugged = virsh('domblklist', `${cloud.prefix}${id}`)
      .split('\n')
      .filter((l) => l.includes(diskId)).length;
    expect(plugged).toBe(1);
    // Deleting it takes the autoDelete disk along: no volume is left behind.
    await healer.c.deleteInstance(id);
    await waitStatus(healer.c, id, 'deleted', 120_000);
    let left = 1;
    for (let i = 0; i < 300 && left > 0; i++) {
      const { disks } = await healer.c.request<{ disks: { diskId: string }[] }>(
        'GET',
        '/v1/regions/local-1/disks',
      );
      left = disks.filter((d) => d.diskId === diskId).length;
      if (left > 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(left).toBe(0);
  } finally {
    await healer.k.stop();
  }
});

test('after all the crashes: claims equal usage and only live instances have domains', async () => {
  const last = await kumod();
  try {
    const { instances } = await last.c.describeInstances({ pageSize: 100 });
    const live = new Set(instances.map((i: { instanceId: string }) => i.instanceId));
    const domains = virsh('list', '--all', '--name')
      .split('\n')
      .map((d) => d.trim())
      .filter((d) => d.startsWith(cloud.prefix));
    expect(domains.map((d) => d.slice(cloud.prefix.length)).sort()).toEqual([...live].sort());
    const inv = await inventory();
    expect(inv).toEqual({ used: inv.claimed, claimed: inv.claimed, instances: live.size });
    for (const id of live) await last.c.deleteInstance(id);
    for (const id of live) await waitStatus(last.c, id, 'deleted', 120_000);
    expect(await inventory()).toEqual({ used: 0, claimed: 0, instances: 0 });
  } finally {
    await last.k.stop();
  }
});
