// kumod SIGKILLed while VPCs, subnets, security groups and interfaces are created and deleted, and
// while elastic IPs are allocated, associated, moved, disassociated and released (each network
// plane call slowed to 40 ms so kills land mid-convergence): after a restart on the same database
// and plane, every acknowledged create exists, every acknowledged delete is gone, nothing waits to
// converge, and the plane holds exactly the inventory — no orphan, no NAT rule of an EIP that is
// bound to nothing, nothing missing.
import { KumoApiError, type KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { clientFor, removeDataDir, type CredentialsFile, type KumodProcess } from '../support/kumod.js';
import { converged, inventoryOf, planeEnv, planeOf, startNetworkKumod } from '../support/network.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount } from '../support/vpc-sdk.js';

let dbUrl: string;
let dataDir: string;
let kumod: KumodProcess;
let admin: CredentialsFile;
let keys: { accessKey: string; secretKey: string };
const R = '/v1/regions/local-1';
const slow = () => ({
  ...planeEnv(dataDir, { delayMs: 40 }),
  KUMO_QUOTA_VPC: '1000',
  KUMO_QUOTA_SUBNET: '1000',
  KUMO_QUOTA_SECURITY_GROUP: '1000',
  KUMO_QUOTA_NETWORK_INTERFACE: '1000',
  KUMO_QUOTA_ELASTIC_IP: '1000',
});

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'kvpc-crash-'));
  kumod = await startNetworkKumod(dbUrl, dataDir, slow());
  admin = kumod.credentials;
  keys = await createAccount(kumod, 'crash');
}, 60_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(dataDir);
  await dropTestDatabase(dbUrl);
});

const user = (): KumoClient => clientFor(kumod.endpoint, keys);

async function killAndRestart(): Promise<void> {
  kumod.child.kill('SIGKILL');
  await kumod.stop();
  kumod = await startNetworkKumod(dbUrl, dataDir, slow(), { adminCredentials: admin });
}

/** Creates VPC + subnet + group triples until stopped; records what kumod acknowledged. */
function churn(acked: { created: Set<string>; deleted: Set<string> }, deleteOld: boolean) {
  let stop = false;
  const run = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        const c = user();
        const { vpcId } = await c.request<{ vpcId: string }>('POST', `${R}/vpcs/`, {
          body: { vpcName: `c${i}`, addressPrefix: `10.${i % 200}.0.0/16` },
        });
        acked.created.add(vpcId);
        const { subnetId } = await c.request<{ subnetId: string }>('POST', `${R}/subnets/`, {
          body: { vpcId, subnetName: 's', addressPrefix: `10.${i % 200}.1.0/24` },
        });
        acked.created.add(subnetId);
        const { networkSecurityGroupId: sg } = await c.request<{ networkSecurityGroupId: string }>(
          'POST',
          `${R}/networkSecurityGroups/`,
          { body: { vpcId, networkSecurityGroupName: 'g' } },
        );
        acked.created.add(sg);
        const { networkInterfaceId: port } = await c.request<{ networkInterfaceId: string }>(
          'POST',
          `${R}/networkInterfaces/`,
          { body: { subnetId, securityGroups: [sg] } },
        );
        acked.created.add(port);
        if (deleteOld) {
          await c.request('DELETE', `${R}/networkInterfaces/${port}`);
          acked.deleted.add(port);
          await c.request('DELETE', `${R}/networkSecurityGroups/${sg}`);
          acked.deleted.add(sg);
          await c.request('DELETE', `${R}/subnets/${subnetId}`);
          acked.deleted.add(subnetId);
          await c.request('DELETE', `${R}/vpcs/${vpcId}`);
          acked.deleted.add(vpcId);
        }
      } catch (err) {
        if (err instanceof KumoApiError) throw err; // an answer, not a dead kumod: a real failure
        return; // kumod is gone
      }
    }
  })();
  return {
    stop: async () => {
      stop = true;
      await run;
    },
  };
}

test.each([
  ['creating', false, 700],
  ['creating and deleting', true, 900],
])(
  'kill -9 while %s: after restart the plane holds exactly the inventory',
  async (_what, deleteOld, afterMs) => {
    const acked = { created: new Set<string>(), deleted: new Set<string>() };
    const c = churn(acked, deleteOld);
    await new Promise((r) => setTimeout(r, afterMs));
    // The plane lags the API (40 ms a call), so the kill lands with work half done.
    expect((await planeOf(kumod)).pending).toBeGreaterThan(0);
    const restarted = killAndRestart();
    await c.stop();
    await restarted;
    expect(acked.created.size).toBeGreaterThan(0);

    const plane = await converged(kumod, 60_000);
    const inv = await inventoryOf(user());
    const all = [...inv.vpcs, ...inv.subnets, ...inv.securityGroups, ...inv.ports];
    for (const id of acked.created) if (!acked.deleted.has(id)) expect(all).toContain(id);
    for (const id of acked.deleted) expect(all).not.toContain(id);
    expect(plane.pending).toBe(0);
    expect(plane.vpcs).toEqual([...inv.vpcs].sort());
    expect(plane.subnets).toEqual([...inv.subnets].sort());
    expect(plane.securityGroups).toEqual([...inv.securityGroups].sort());
    expect(plane.ports).toEqual([...inv.ports].sort());
  },
  120_000,
);

test('kill -9 while elastic IPs are associated, moved and released: the plane holds exactly the bound EIPs', async () => {
  const admin = kumod.admin();
  const { externalNetworkId } = await admin.adminRequest<{ externalNetworkId: string }>(
    'POST',
    '/externalNetworks',
    {
      body: {
        cidr: '192.0.2.0/24',
        gateway: '192.0.2.1',
        physicalNetwork: 'provider',
        gatewayChassis: ['gw-1'],
      },
    },
  );
  await admin.adminRequest('POST', '/eipPools', {
    body: { externalNetworkId, cidr: '192.0.2.128/25', provider: 'bgp' },
  });
  const setup = user();
  const { subnets } = await setup.request<{ subnets: { subnetId: string; az: string }[] }>(
    'GET',
    `${R}/subnets/`,
    {
      query: { pageSize: 100 },
    },
  );
  const subnetId = subnets.find((x) => x.az === 'local-1a')!.subnetId;
  const nic = async (c: KumoClient) =>
    (
      await c.request<{ networkInterfaceId: string }>('POST', `${R}/networkInterfaces/`, {
        body: { subnetId },
      })
    ).networkInterfaceId;
  let stop = false;
  const churn = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        // A round: an EIP on a fresh interface, moved to a second one; every other round it stays
        // there, the others release it. (Fresh interfaces: a kill between two steps of a round
        // never leaves the next round an interface that already holds an EIP.)
        const c = user();
        const [a, b] = [await nic(c), await nic(c)];
        const { elasticIpIds } = await c.request<{ elasticIpIds: string[] }>('POST', `${R}/elasticIps/`, {
          body: { maxCount: 1, elasticIpSpec: { bandwidthMbps: 5, provider: 'bgp' } },
        });
        const eip = elasticIpIds[0]!;
        const act = (port: string, verb: string) =>
          c.request('POST', `${R}/networkInterfaces/${port}:${verb}ElasticIp`, {
            body: { elasticIpId: eip },
          });
        await act(a, 'associate');
        await act(a, 'disassociate');
        await act(b, 'associate');
        if (i % 2) {
          await act(b, 'disassociate');
          await c.request('DELETE', `${R}/elasticIps/${eip}`);
        }
      } catch (err) {
        if (err instanceof KumoApiError) throw err; // an answer, not a dead kumod: a real failure
        return; // kumod is gone
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 1500));
  expect((await planeOf(kumod)).pending).toBeGreaterThan(0);
  const restarted = killAndRestart();
  stop = true;
  await churn;
  await restarted;
  const plane = await converged(kumod, 60_000);
  const { elasticIps } = await user().request<{
    elasticIps: { elasticIpId: string; networkInterfaceId: string }[];
  }>('GET', `${R}/elasticIps/`, { query: { pageSize: 100 } });
  // Only EIPs bound to an interface have a NAT rule in the plane; released ones are gone.
  const bound = elasticIps.filter((e) => e.networkInterfaceId).map((e) => e.elasticIpId);
  expect(elasticIps.length).toBeGreaterThan(0);
  expect(plane.pending).toBe(0);
  expect(plane.elasticIps).toEqual([...bound].sort());
}, 120_000);
