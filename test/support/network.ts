// kumod with a network plane for the vpc-service tests, and the plane's inventory as kumod sees
// it (admin describeNetworkPlane). Until the OVN driver lands the plane is the `fake` driver,
// persisted in a file so it outlives a kumod killed with SIGKILL; the tests go through the API
// only, so they hold for any plane kumod is configured with.
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from './database.js';
import { KUMOD_TEST_MAIN, removeDataDir, startKumod, type KumodOptions, type KumodProcess } from './kumod.js';

/** What the plane holds, by Kumo id, and how much inventory still waits to converge. */
export interface PlaneView {
  driver: string;
  pending: number;
  vpcs: string[];
  subnets: string[];
  ports: string[];
  securityGroups: string[];
  elasticIps: string[];
  externalNetworks: string[];
  vpcGateways: string[];
}

/** The environment that selects the network plane for a kumod whose data dir is `dataDir`. */
export function planeEnv(dataDir: string, extra: { delayMs?: number } = {}): Record<string, string> {
  const query = extra.delayMs ? `?delayMs=${extra.delayMs}` : '';
  return {
    KUMO_NETWORK_DRIVER: 'fake',
    KUMO_OVN_NB: `file:${join(dataDir, 'network-plane.json')}${query}`,
    KUMO_NETWORK_SYNC_INTERVAL_MS: '200',
    KUMO_NETWORK_SYNC_LEASE_SECONDS: '2',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
  };
}

/** Starts kumod with the network plane on `dbUrl` (same data dir and credentials on a restart). */
export function startNetworkKumod(
  dbUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
  opts: KumodOptions = {},
): Promise<KumodProcess> {
  return startKumod(
    { DATABASE_URL: dbUrl, ...planeEnv(dataDir), ...env },
    { ...opts, dataDir, main: KUMOD_TEST_MAIN },
  );
}

/** A fresh database and a kumod with a network plane on it. */
export async function startNetworkKumodOnTestDatabase(env: Record<string, string> = {}) {
  const dbUrl = await createTestDatabase();
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dataDir = mkdtempSync(join(tmpdir(), 'kvpc-kumod-'));
  const kumod = await startNetworkKumod(dbUrl, dataDir, env);
  return {
    kumod,
    dbUrl,
    dataDir,
    cleanup: async () => {
      await kumod.stop();
      removeDataDir(dataDir);
      await dropTestDatabase(dbUrl);
    },
  };
}

/** The plane as kumod reports it. */
export async function planeOf(kumod: KumodProcess): Promise<PlaneView> {
  const r = await kumod.admin().adminRequest<{ networkPlane: PlaneView }>('GET', '/networkPlane');
  return r.networkPlane;
}

/** Waits until nothing waits to converge, then returns the plane. */
export async function converged(kumod: KumodProcess, timeoutMs = 20_000): Promise<PlaneView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await planeOf(kumod);
    if (p.pending === 0) return p;
    if (Date.now() > deadline) throw new Error(`network plane did not converge: ${p.pending} pending`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every VPC, subnet, group and interface id an account sees through the API. */
export async function inventoryOf(client: KumoClient) {
  const q = { query: { pageSize: 100 } };
  const vpcs = await client.request<{ vpcs: { vpcId: string }[] }>('GET', '/v1/regions/local-1/vpcs/', q);
  const subnets = await client.request<{ subnets: { subnetId: string }[] }>(
    'GET',
    '/v1/regions/local-1/subnets/',
    q,
  );
  const groups = await client.request<{ networkSecurityGroups: { networkSecurityGroupId: string }[] }>(
    'GET',
    '/v1/regions/local-1/networkSecurityGroups/',
    q,
  );
  const ports = await client.request<{ networkInterfaces: { networkInterfaceId: string }[] }>(
    'GET',
    '/v1/regions/local-1/networkInterfaces/',
    q,
  );
  return {
    ports: ports.networkInterfaces.map((p) => p.networkInterfaceId),
    vpcs: vpcs.vpcs.map((v) => v.vpcId),
    subnets: subnets.subnets.map((s) => s.subnetId),
    securityGroups: groups.networkSecurityGroups.map((g) => g.networkSecurityGroupId),
  };
}
