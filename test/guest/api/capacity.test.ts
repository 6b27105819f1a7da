// Placement under contention with real guests: 20 concurrent creates through two kumod processes
// against a host that fits 12; the losers fail cleanly and claims equal usage. Also clientToken
// idempotency and a stop/delete race on one instance.
import { jest } from '@jest/globals';
import pg from 'pg';
import { KumoApiError, type KumoClient } from '@kumo/client';
import type { CreateInstancesRequest } from '@kumo/contract';
import { clientFor, startKumod, type KumodProcess } from '../../support/kumod.js';
import { startGuestCloud, tinyInstance, virsh, waitStatus, type GuestCloud } from './support.js';

jest.setTimeout(15 * 60_000);

let cloud: GuestCloud;
let second: KumodProcess;
let viaA: KumoClient;
let viaB: KumoClient;

beforeAll(async () => {
  // 2 host vCPUs × 6 = 12 usable vCPUs: exactly twelve 1-vCPU instances fit.
  cloud = await startGuestCloud('apicap', '10.242', {
    hostRatios: { cpuRatio: 6, memoryRatio: 1, diskRatio: 20 },
  });
  second = await startKumod(cloud.env, { adminCredentials: cloud.kumod.credentials });
  const keys = await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'crowd' },
  });
  viaA = clientFor(cloud.kumod.endpoint, keys);
  viaB = clientFor(second.endpoint, keys);
});

afterAll(async () => {
  await second?.stop();
  await cloud?.cleanup();
});

const spec = (name: string, extra: Omit<CreateInstancesRequest, 'instanceSpec'> = {}) =>
  tinyInstance(cloud, name, {}, extra);

async function claimsMatchUsage(): Promise<{ used: number; claimed: number; instances: number }> {
  const c = new pg.Client({ connectionString: cloud.env.DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT (SELECT sum(used_vcpus) FROM hosts)::int AS used,
                                    (SELECT COALESCE(sum(vcpus),0) FROM claims)::int AS claimed,
                                    (SELECT count(*) FROM instances)::int AS instances`);
    return r.rows[0];
  } finally {
    await c.end();
  }
}

test('20 concurrent creates through two kumods on a host that fits 12: exactly 12 succeed', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) => (i % 2 ? viaA : viaB).createInstances(spec(`crowd-${i}`))),
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(ok).toHaveLength(12);
  for (const f of failed) {
    expect(f.reason).toBeInstanceOf(KumoApiError);
    expect(f.reason).toMatchObject({ httpStatus: 400, status: 'FAILED_PRECONDITION' });
    expect((f.reason as Error).message).toMatch(/No host in 'local-1a' has capacity/);
  }
  expect(await claimsMatchUsage()).toEqual({ used: 12, claimed: 12, instances: 12 });
  const ids = ok.map((r) => (r as PromiseFulfilledResult<{ instanceIds: string[] }>).value.instanceIds[0]!);
  for (const id of ids) await waitStatus(viaA, id, 'running', 300_000);
  expect((await viaB.describeInstances({ pageSize: 100 })).totalCount).toBe(12);
  const running = virsh('list', '--name')
    .split('\n')
    .filter((d) => d.startsWith(cloud.prefix));
  expect(running).toHaveLength(12);

  // The stop/delete race: one wins, the other is told about the task in flight.
  const [victim, ...rest] = ids;
  const race = await Promise.allSettled([viaA.stopInstance(victim!), viaB.deleteInstance(victim!)]);
  const losers = race.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(losers).toHaveLength(1);
  expect(losers[0]!.reason).toMatchObject({ httpStatus: 400, status: 'FAILED_PRECONDITION' });
  expect((losers[0]!.reason as Error).message).toMatch(/^Conflict with underlay task (stop|delete)$/);

  // Clean up through the API: every claim goes with its instance.
  await Promise.allSettled([waitStatus(viaA, victim!, 'stopped', 120_000)]);
  for (const id of [victim!, ...rest]) {
    await viaA.deleteInstance(id).catch(() => undefined);
  }
  for (const id of ids) await waitStatus(viaA, id, 'deleted', 180_000);
  expect(await claimsMatchUsage()).toEqual({ used: 0, claimed: 0, instances: 0 });
  expect(virsh('list', '--all', '--name')).not.toContain(cloud.prefix);
});

test('clientToken: the same createInstances twice returns the same ids and creates one set', async () => {
  const body = spec('tokened', { maxCount: 2, clientToken: 'token-123' });
  const first = await viaA.createInstances(body);
  const again = await viaB.createInstances(body);
  expect(first.instanceIds).toHaveLength(2);
  expect(again.instanceIds).toEqual(first.instanceIds);
  const listed = await viaA.describeInstances({ filters: [{ name: 'name', values: ['tokened'] }] });
  expect(listed.instances.map((i: { instanceName: string }) => i.instanceName).sort()).toEqual([
    'tokened-1',
    'tokened-2',
  ]);
  for (const id of first.instanceIds) await waitStatus(viaA, id, 'running', 300_000);
  for (const id of first.instanceIds) await viaA.deleteInstance(id);
  for (const id of first.instanceIds) await waitStatus(viaA, id, 'deleted', 180_000);
});

test('an AZ without capacity or without hosts fails with the JD error and leaves nothing behind', async () => {
  const before = await claimsMatchUsage();
  await expect(
    viaA.createInstances({
      ...spec('too-big'),
      instanceSpec: { ...spec('x').instanceSpec, instanceType: 'g.n2.2xlarge' },
    }),
  ).rejects.toMatchObject({ httpStatus: 400, status: 'FAILED_PRECONDITION' });
  await expect(
    viaA.createInstances({
      ...spec('nowhere'),
      instanceSpec: { ...spec('x').instanceSpec, az: 'local-1z' },
    }),
  ).rejects.toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT', message: "Invalid az 'local-1z'" });
  expect(await claimsMatchUsage()).toEqual(before);
});
