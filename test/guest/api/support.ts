// Shared setup for guest API tests: a kumod managing the test namespace's libvirtd with its own
// libvirt prefix and subnet block, the tiny images imported, and SSH helpers for guests.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sshpk from 'sshpk';
import { KumoApiError, type KumoClient } from '@kumo/client';
import type { CreateInstancesRequest, InstanceSpec } from '@kumo/contract';
import { buildImage, tinyVariant, sshExec, waitSsh } from '../../../packages/hypervisor/test/support.js';
import { createTestDatabase, dropTestDatabase } from '../../support/database.js';
import { startKumod, type KumodProcess } from '../../support/kumod.js';
import { removeLibvirtObjects, virsh } from '../../support/virsh.js';

export { sshExec, virsh, waitSsh };

/** The test environment's OVN northbound database. */
export const TEST_OVN_NB = process.env.KUMO_TEST_OVN_NB ?? 'unix:/var/lib/kumo-test/ovn/central/run/nb.sock';
/** The chassis of the environment's own libvirtd: the gateway chassis of the provider network. */
export const TEST_CHASSIS = 'kumo-test';

/**
 * The provider network on the environment's br-ex (198.18.246.0/24, the test namespace at .1) and
 * an EIP pool of 14 addresses on it. Each test file gets its own /28, derived from its subnet
 * block (the blocks' second octets are distinct mod 17), so NAT rules a killed kumod of an earlier
 * file left behind never answer for this file's addresses.
 */
async function addProviderNetwork(admin: KumoClient, subnetBlock: string): Promise<void> {
  const slot = Number(subnetBlock.split('.')[1]) % 17;
  if (!(slot >= 1 && slot <= 15))
    throw new Error(
      `subnet block ${subnetBlock} has no EIP slot (${slot}): pick a block whose second octet mod 17 is 1–15 and unused`,
    );
  const net = await admin.adminRequest<{ externalNetworkId: string }>('POST', '/externalNetworks', {
    body: {
      cidr: '198.18.246.0/24',
      gateway: '198.18.246.1',
      physicalNetwork: 'provider',
      gatewayChassis: [TEST_CHASSIS],
    },
  });
  await admin.adminRequest('POST', '/eipPools', {
    body: { externalNetworkId: net.externalNetworkId, cidr: `198.18.246.${slot * 16}/28`, provider: 'bgp' },
  });
}

/** A running control plane for guest tests, and how to clean it up. */
export interface GuestCloud {
  kumod: KumodProcess;
  admin: KumoClient;
  prefix: string;
  poolDir: string;
  images: { tiny: string; variant: string };
  /** The environment kumod runs with (a second kumod on the same database uses it too). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Options of {@link startGuestCloud}. */
export interface GuestCloudOptions {
  env?: Record<string, string>;
  /** Register the local libvirtd through the admin API with these overcommit ratios. */
  hostRatios?: { cpuRatio: number; memoryRatio: number; diskRatio: number };
  /** Register no host at all (the test registers its own). */
  noLocalHost?: boolean;
}

/** Starts kumod on the local libvirtd with the tiny images imported. */
export async function startGuestCloud(
  tag: string,
  subnetBlock: string,
  opts: GuestCloudOptions = {},
): Promise<GuestCloud> {
  const tiny = await buildImage('tiny');
  const variant = tinyVariant(tiny, 'tiny-variant');
  const dbUrl = await createTestDatabase();
  const prefix = `kumo-${tag}-`;
  const poolDir = mkdtempSync(join(tmpdir(), `kumo-pool-${tag}-`));
  // QEMU runs as an unprivileged user that must be able to enter the pool directory.
  chmodSync(poolDir, 0o755);
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl,
    KUMO_LOCAL_HOST: opts.hostRatios || opts.noLocalHost ? 'none' : 'qemu:///system',
    KUMO_LOCAL_HOST_ACCELERATOR: 'qemu',
    // Ports of the local host's instances bind on its chassis only (OVN's requested-chassis).
    KUMO_LOCAL_HOST_CHASSIS: TEST_CHASSIS,
    KUMO_LIBVIRT_PREFIX: prefix,
    KUMO_SUBNET_BLOCK: subnetBlock,
    KUMO_POOL_DIR: poolDir,
    // The image cache (tiny and Debian builds side by side) and the variant's directory.
    KUMO_IMAGE_IMPORT_DIRS: [dirname(tiny.dir), variant.dir].join(':'),
    // Test hosts answer on plaintext TCP inside their namespaces and keep their SSH keys in their
    // state directories: the operator's flag and key directory for exactly that.
    KUMO_ALLOW_INSECURE_HOSTS: '1',
    KUMO_HOST_KEY_DIR: '/tmp/kumo-test-hosts',
    KUMO_RECONCILE_INTERVAL_SECONDS: '2',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
    KUMO_RATE_LIMIT_PER_MINUTE: '100000',
    // The test environment's OVN central (scripts/libvirtd-up.sh); its chassis is the local host.
    KUMO_OVN_NB: TEST_OVN_NB,
    KUMO_NETWORK_SYNC_INTERVAL_MS: '200',
    ...opts.env,
  };
  const kumod = await startKumod(env);
  const admin = kumod.admin();
  await addProviderNetwork(admin, subnetBlock);
  if (opts.hostRatios) {
    await admin.adminRequest('POST', '/hosts', {
      body: {
        name: 'local',
        uri: 'qemu:///system',
        regionId: 'local-1',
        az: 'local-1a',
        poolPath: poolDir,
        accelerator: 'qemu',
        chassis: TEST_CHASSIS,
        ...opts.hostRatios,
      },
    });
  }
  const imported = async (dir: string, name: string) =>
    (
      await admin.adminRequest<{ image: { imageId: string } }>('POST', '/images:import', {
        body: { manifestPath: join(dir, 'manifest.json'), regionId: 'local-1', name },
      })
    ).image.imageId;
  const images = {
    tiny: await imported(tiny.dir, 'tiny'),
    variant: await imported(variant.dir, 'tiny-variant'),
  };
  const cloud: GuestCloud = {
    kumod,
    admin,
    prefix,
    poolDir,
    images,
    env,
    cleanup: async () => {
      // A test may have replaced cloud.kumod (restarted it): stop the one running now, and the first.
      await cloud.kumod.stop();
      await kumod.stop();
      // Errors kumod logged are shown with the test output: they explain a failure in CI.
      const errors = kumod
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50|60)/.test(l));
      if (errors.length > 0)
        console.warn(`kumod logged warnings and errors:\n${errors.join('\n').slice(0, 8000)}`);
      // Whatever a failed test left behind goes: domains, volumes, networks, the pool.
      removeLibvirtObjects(prefix);
      rmSync(poolDir, { recursive: true, force: true });
      await dropTestDatabase(dbUrl);
    },
  };
  return cloud;
}

/**
 * A createInstances body for one t.n1.nano on the tiny image with a local root disk, in local-1a on
 * the calling account's default subnet unless `spec` names one (see subnetOf).
 */
export function tinyInstance(
  cloud: GuestCloud,
  name: string,
  spec: Partial<InstanceSpec> = {},
  extra: Omit<CreateInstancesRequest, 'instanceSpec'> = {},
): CreateInstancesRequest {
  return {
    instanceSpec: {
      name,
      az: 'local-1a',
      instanceType: 't.n1.nano',
      imageId: cloud.images.tiny,
      // No subnet: the calling account's default subnet in the AZ (each account has its own).
      systemDisk: { diskCategory: 'local' },
      ...spec,
    },
    ...extra,
  };
}

/** The id of the default subnet kumod made in `az`. */
export async function subnetOf(client: KumoClient, az: string): Promise<string> {
  const r = await client.request<{ subnets: { subnetId: string; az: string }[] }>(
    'GET',
    `/v1/regions/${client.regionId}/subnets`,
  );
  const subnet = r.subnets.find((s) => s.az === az);
  if (!subnet) throw new Error(`no subnet in ${az}`);
  return subnet.subnetId;
}

/**
 * An elastic IP for createInstances: tests that log in reach guests from the test namespace on
 * the provider network, as users would (private addresses live inside OVN).
 */
export const EIP = { bandwidthMbps: 200, provider: 'bgp' } as const;

/** The address a test logs in to: the instance's elastic IP (see tinyInstance). */
export async function loginIp(client: KumoClient, id: string): Promise<string> {
  const { instance } = await client.describeInstance(id);
  if (!instance.elasticIpAddress) throw new Error(`${id} has no elastic IP`);
  return instance.elasticIpAddress;
}

/** Converts the PKCS#8 PEM that createKeypair returns into the OpenSSH form ssh2 reads. */
export function opensshPrivateKey(pkcs8Pem: string): string {
  return sshpk.parsePrivateKey(pkcs8Pem, 'pem').toString('ssh-private');
}

/** Polls describeInstance until the status is `want` (or the instance is gone for 'deleted'). */
export async function waitStatus(
  client: KumoClient,
  id: string,
  want: string,
  timeoutMs: number,
  seen: string[] = [],
  opts: { tolerateError?: boolean } = {},
): Promise<string[]> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const { instance } = await client.describeInstance(id);
      if (seen[seen.length - 1] !== instance.status) seen.push(instance.status);
      if (instance.status === want) return seen;
      if (instance.status === 'error' && want !== 'error' && !opts.tolerateError) {
        throw new Error(`instance ${id} went to error; statuses seen: ${seen.join(' → ')}`);
      }
    } catch (err) {
      if (err instanceof KumoApiError && err.httpStatus === 404 && want === 'deleted') {
        seen.push('deleted');
        return seen;
      }
      throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance ${id} did not reach ${want} in ${timeoutMs} ms; seen: ${seen.join(' → ')}`);
}
