// Two kumods on one database and one network plane: they split the convergence work without
// fighting (leased claims), and when one is SIGKILLed mid-work the other takes over its claims
// once their lease lapses — no restart needed — until the plane holds exactly the inventory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { clientFor, removeDataDir, type KumodProcess } from '../support/kumod.js';
import { converged, inventoryOf, planeEnv, planeOf, startNetworkKumod } from '../support/network.js';
import { createAccount } from '../support/vpc-sdk.js';
import { post } from '../support/vpc-api.js';

let dbUrl: string;
const dirs: string[] = [];
let a: KumodProcess;
let b: KumodProcess;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(join(tmpdir(), 'kvpc-replica-')));
  // One plane for both (the first's file), each change slowed so work piles up.
  const shared = {
    ...planeEnv(dirs[0]!, { delayMs: 30 }),
    KUMO_QUOTA_VPC: '1000',
    KUMO_QUOTA_SUBNET: '1000',
  };
  a = await startNetworkKumod(dbUrl, dirs[0]!, shared);
  b = await startNetworkKumod(dbUrl, dirs[1]!, shared, { adminCredentials: a.credentials });
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  for (const d of dirs) removeDataDir(d);
  await dropTestDatabase(dbUrl);
});

async function churn(c: KumoClient, tag: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { vpcId } = await post(c, '/vpcs/', { vpcName: `${tag}${i}`, addressPrefix: `10.${i}.0.0/16` });
    await post(c, '/subnets/', { vpcId, subnetName: 's', addressPrefix: `10.${i}.1.0/24` });
  }
}

test('two kumods converge one plane; one killed mid-work, the other finishes', async () => {
  const keys = await createAccount(a, 'replicated');
  const viaA = clientFor(a.endpoint, keys);
  const viaB = clientFor(b.endpoint, keys);
  await Promise.all([churn(viaA, 'a', 8), churn(viaB, 'b', 8)]);
  // Work is still queued (30 ms a plane call) when A dies.
  expect((await planeOf(b)).pending).toBeGreaterThan(0);
  a.child.kill('SIGKILL');
  await a.stop();

  const plane = await converged(b, 60_000);
  const inv = await inventoryOf(viaB);
  expect(inv.vpcs).toHaveLength(17); // 16 made here and the default
  expect(plane.vpcs).toEqual([...inv.vpcs].sort());
  expect(plane.subnets).toEqual([...inv.subnets].sort());
  expect(plane.securityGroups).toEqual([...inv.securityGroups].sort());
}, 120_000);
