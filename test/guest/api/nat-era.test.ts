// Instances of the NAT era move onto the network plane, with real guests, libvirt and OVN. Two
// instances are put back exactly where a kumod before the plane left them: a subnet all accounts
// shared, a libvirt NAT network on the host, a domain on it whose guest configured its address
// statically from its seed at first boot, and no interface rows. Then, through JD's API: a start
// killed (SIGKILL) just before the domain's NIC moves converges after a restart; each instance
// runs on its OVN port with its MAC and address; the last one to leave removes the NAT network;
// an elastic IP reaches the moved guest from outside, and the two reach each other over OVN.
import { jest } from '@jest/globals';
import sshpk from 'sshpk';
import pg from 'pg';
import type { KumoClient } from '@kumo/client';
import { Host, type ImageManifest, type InstanceSpec } from '@kumo/hypervisor';
import { addressPlan, openDatabase, SubnetsModel, type SubnetRecord } from '@kumo/store';
import { clientFor, startKumod, type KumodProcess } from '../../support/kumod.js';
import {
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  tinyInstance,
  virsh,
  waitSsh,
  waitStatus,
  type GuestCloud,
} from './support.js';

jest.setTimeout(20 * 60_000);

let cloud: GuestCloud;
let keys: { accessKey: string; secretKey: string };
let user: KumoClient;
let key: string;
let shared: SubnetRecord;
const macs = new Map<string, string>();
const ips = ['10.250.0.10', '10.250.0.11', '10.250.0.12'];
let a: string;
let b: string;
let c: string;

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: cloud.env.DATABASE_URL });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const natNetwork = () => `${cloud.prefix}net-${shared.id}`;
const networks = () =>
  virsh('net-list', '--all', '--name')
    .split('\n')
    .map((l) => l.trim());

/**
 * Puts a stopped instance back into the NAT era: its rows as the old kumod wrote them (an address
 * of the shared subnet, no interface), and its domain respawned on the NAT network from the same
 * image, MAC and key, the guest's seed naming the NAT address; then powered off.
 */
async function toNatEra(host: Host, id: string, ip: string, publicKey: string): Promise<void> {
  const [row] = await sql<{ mac: string; hostname: string; image_id: string }>(
    'SELECT mac, hostname, image_id FROM instances WHERE id = $1',
    [id],
  );
  const [image] = await sql<{ manifest: ImageManifest }>('SELECT manifest FROM images WHERE id = $1', [
    row!.image_id,
  ]);
  await sql(
    `WITH ports AS (SELECT id FROM network_interfaces WHERE instance_id = $1),
          a AS (DELETE FROM subnet_addresses WHERE interface_id IN (SELECT id FROM ports))
     DELETE FROM network_interfaces WHERE id IN (SELECT id FROM ports)`,
    [id],
  );
  await sql(
    `UPDATE instances SET nat_era = true, subnet_id = $2, vpc_id = $3, private_ip = $4, network_interface_id = ''
      WHERE id = $1`,
    [id, shared.id, shared.vpcId, ip],
  );
  macs.set(id, row!.mac);
  await host.destroy(id);
  await host.ensureNetwork({
    name: shared.id,
    mode: 'nat',
    gateway: shared.gateway,
    prefix: shared.prefix,
    dhcpRange: addressPlan(shared.cidr).dhcpRange,
  });
  const spec: InstanceSpec = {
    id,
    hostname: row!.hostname,
    image: image!.manifest,
    type: { vcpus: 1, memoryMiB: 512 },
    rootDiskBytes: 40 * 2 ** 30,
    nic: {
      network: shared.id,
      mac: row!.mac,
      ip,
      prefix: 24,
      gateway: shared.gateway,
      dns: [shared.gateway],
    },
    login: { authorizedKeys: [publicKey] },
  };
  await host.spawn(spec);
}

async function kumod(crashAt?: string): Promise<KumodProcess> {
  const env = crashAt ? { ...cloud.env, KUMO_TEST_CRASH_AT: crashAt } : cloud.env;
  return startKumod(env, { adminCredentials: cloud.kumod.credentials });
}

beforeAll(async () => {
  cloud = await startGuestCloud('apinat', '10.239', {
    // Short leases: a dead kumod's task is taken over in seconds.
    env: { KUMO_TASK_STALE_SECONDS: '10', KUMO_NETWORK_SYNC_LEASE_SECONDS: '3' },
  });
  keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'nat-era' } });
  user = clientFor(cloud.kumod.endpoint, keys);
  const kp = await user.createKeypair('nat-key');
  key = opensshPrivateKey(kp.privateKey);
  const publicKey = sshpk.parsePrivateKey(kp.privateKey, 'pem').toPublic().toString('ssh');
  // The shared subnet of the AZ as the NAT era made it.
  const db = openDatabase({ url: cloud.env.DATABASE_URL! });
  shared = await new SubnetsModel(db).ensureDefault('local-1', 'local-1a', '10.250');
  await db.destroy();

  const ids: string[] = [];
  for (const name of ['nat-a', 'nat-b', 'nat-c']) {
    const { instanceIds } = await user.createInstances(tinyInstance(cloud, name, { keyNames: ['nat-key'] }));
    ids.push(instanceIds[0]!);
  }
  [a, b, c] = ids as [string, string, string];
  for (const id of ids) await waitStatus(user, id, 'running', 180_000);
  for (const id of ids) await user.stopInstance(id);
  for (const id of ids) await waitStatus(user, id, 'stopped', 120_000);

  // The upgrade: the old kumod is gone while its leftovers are laid out, and a new one starts later.
  await cloud.kumod.stop();
  const host = await Host.connect({
    uri: 'qemu:///system',
    pool: `${cloud.prefix}pool`,
    namePrefix: cloud.prefix,
    accelerator: 'qemu',
  });
  try {
    await toNatEra(host, a, ips[0]!, publicKey);
    await toNatEra(host, b, ips[1]!, publicKey);
    await toNatEra(host, c, ips[2]!, publicKey);
    // The old world works: a's guest answers on its NAT address (inside the test namespace).
    await waitSsh(ips[0]!, 'root', key, 180_000);
    for (const id of ids) await host.powerOff(id, { gracefulTimeoutMs: 10_000 });
  } finally {
    await host.close();
  }
  expect(networks()).toContain(natNetwork());
});

afterAll(async () => {
  await cloud?.cleanup();
});

test('a start killed before the NIC moves converges after a restart: a runs on its port with its MAC and address', async () => {
  const crashing = await kumod('replace-nic');
  cloud.kumod = crashing;
  await clientFor(crashing.endpoint, keys).startInstance(a);
  await new Promise<void>((resolve) => {
    if (crashing.child.exitCode !== null || crashing.child.signalCode !== null) return resolve();
    crashing.child.once('exit', () => resolve());
  });
  expect(crashing.child.signalCode).toBe('SIGKILL');
  cloud.kumod = await kumod();
  user = clientFor(cloud.kumod.endpoint, keys);
  await waitStatus(user, a, 'running', 240_000);

  const { instance } = await user.describeInstance(a);
  expect(instance.privateIpAddress).toBe(ips[0]);
  expect(instance.primaryNetworkInterface.networkInterface.macAddress).toBe(macs.get(a));
  expect(instance.subnetId).not.toBe(shared.id);
  // Exactly one interface, one address claim: the re-run adopted nothing twice.
  const rows = await sql<{ n: number; natera: boolean }>(
    `SELECT (SELECT count(*) FROM network_interfaces WHERE instance_id = $1)::int AS n,
            (SELECT nat_era FROM instances WHERE id = $1) AS natera`,
    [a],
  );
  expect(rows[0]).toEqual({ n: 1, natera: false });
  const nics = virsh('domiflist', `${cloud.prefix}${a}`);
  expect(nics).toContain('br-int');
  expect(nics).toContain(macs.get(a)!);
  expect(nics).not.toContain(shared.id);
  // b still uses the NAT network: it stays.
  expect(networks()).toContain(natNetwork());
});

test('a second instance joins the first one’s subnet; the NAT network stays while one is left on it', async () => {
  await user.startInstance(b);
  await waitStatus(user, b, 'running', 240_000);
  const { instance } = await user.describeInstance(b);
  expect(instance.privateIpAddress).toBe(ips[1]);
  expect(instance.subnetId).toBe((await user.describeInstance(a)).instance.subnetId);
  expect(networks()).toContain(natNetwork());
});

test('an elastic IP reaches the moved guest from outside; inside, nothing changed; the two reach each other over OVN', async () => {
  const R = '/v1/regions/local-1';
  const { elasticIpIds } = await user.request<{ elasticIpIds: string[] }>('POST', `${R}/elasticIps/`, {
    body: { maxCount: 1, elasticIpSpec: { bandwidthMbps: 50, provider: 'bgp' } },
  });
  await user.request('POST', `${R}/instances/${a}:associateElasticIp`, {
    body: { elasticIpId: elasticIpIds[0] },
  });
  const { instance } = await user.describeInstance(a);
  const eip = instance.elasticIpAddress!;
  expect(eip).toMatch(/^198\.18\.246\.\d+$/);
  await waitSsh(eip, 'root', key, 120_000);
  const sh = (cmd: string) => sshExec(eip, 'root', key, cmd, 15_000).then((s) => s.trim());
  expect(await sh('ip -4 -o addr show dev eth0')).toContain(`inet ${ips[0]}/24`);
  expect(await sh('cat /sys/class/net/eth0/address')).toBe(macs.get(a));
  expect(await sh(`ping -c 3 -W 2 ${ips[1]} >/dev/null && echo reached`)).toBe('reached');
});

test('a rebuild moves the last one (its domain then records the new subnet), which removes the NAT network', async () => {
  await user.rebuildInstance(c, {
    password: 'Nat-Era-2026x',
    imageId: cloud.images.tiny,
    keyNames: ['nat-key'],
  });
  await waitStatus(user, c, 'stopped', 240_000);
  expect(networks()).not.toContain(natNetwork());
  expect(virsh('dumpxml', '--inactive', `${cloud.prefix}${c}`)).toContain(
    (await user.describeInstance(c)).instance.subnetId,
  );
  await user.startInstance(c);
  await waitStatus(user, c, 'running', 240_000);
  const { instance } = await user.describeInstance(c);
  expect(instance.privateIpAddress).toBe(ips[2]);
  expect(instance.primaryNetworkInterface.networkInterface.macAddress).toBe(macs.get(c));
  const eip = (await user.describeInstance(a)).instance.elasticIpAddress!;
  const reach = `for i in $(seq 1 30); do ping -c 1 -W 1 ${ips[2]} >/dev/null && echo reached && break; sleep 2; done`;
  expect((await sshExec(eip, 'root', key, reach, 90_000)).trim()).toBe('reached');
});
