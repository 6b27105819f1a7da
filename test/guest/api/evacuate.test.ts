// Evacuate with real guests on two libvirt hosts in their own namespaces, disks on the test
// environment's Ceph: an instance with a cloud system disk runs on one host and writes a file to
// its root; that host is cut off from the control plane (its libvirt port resets every packet;
// its QEMU runs on, as a partitioned host's does). kumod marks it down and its instance in error;
// evacuate is refused while a host is up, and accepted now: the old guest's rbd client is fenced
// (blocklisted), the instance comes up on the other host with the same root — the file is there,
// read over SSH — and when the cut-off host answers again, the reconciler removes the old domain.
// kumod is SIGKILLed mid-evacuation (as it defines the domain on the new host, after the fence and
// the move of the claim) and the restarted one finishes it.
import { jest } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { ceph, cephPool, haveCeph, rbd } from '../../../packages/storage/test/support.js';
import { startTestHost, stopAllTestHosts, type TestHost } from '../../support/hosts.js';
import { clientFor, startKumod } from '../../support/kumod.js';
import { probeInSubnet, type Probe } from '../../support/ovn-probe.js';
import { addRbdBackend } from '../../support/storage.js';
import { startGuestCloud, subnetOf, tinyInstance, waitStatus, type GuestCloud } from './support.js';

jest.setTimeout(20 * 60_000);
const run = haveCeph() ? describe : describe.skip;

run('evacuate (rbd, two hosts)', () => {
  let cloud: GuestCloud;
  let user: KumoClient;
  let keys: { accessKey: string; secretKey: string };
  let pool: ReturnType<typeof cephPool>;
  let probe: Probe | undefined;
  const hosts: Record<string, { host: TestHost; id: string }> = {};

  beforeAll(async () => {
    pool = cephPool(`kevac-${process.pid}`);
    cloud = await startGuestCloud('kevac', '10.248', {
      noLocalHost: true,
      env: { KUMO_STORAGE_INTERVAL_MS: '200' },
    });
    for (const name of ['ev1', 'ev2']) {
      const host = await startTestHost(name);
      const r = await cloud.admin.adminRequest<{ host: { hostId: string } }>('POST', '/hosts', {
        body: {
          name,
          uri: host.uri,
          regionId: 'local-1',
          az: 'local-1a',
          poolPath: host.poolPath,
          accelerator: 'qemu',
          chassis: host.netns,
          cpuRatio: 1,
          memoryRatio: 1,
          diskRatio: 20,
        },
      });
      hosts[name] = { host, id: r.host.hostId };
    }
    await addRbdBackend(cloud.admin, 'local-1a', pool);
    keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'evac' } });
    user = clientFor(cloud.kumod.endpoint, keys);
  }, 10 * 60_000);

  afterAll(async () => {
    await probe?.remove();
    await cloud?.cleanup();
    await stopAllTestHosts();
    pool?.drop();
  });

  const domainsOn = async (h: TestHost) =>
    (await h.virsh(['list', '--name']))
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s.startsWith(cloud.prefix))
      .map((s) => s.slice(cloud.prefix.length));

  /** Replaces the running kumod with one on the same database (crashing at `crashAt`, if given). */
  async function restart(crashAt?: string) {
    await cloud.kumod.stop();
    const env = crashAt ? { ...cloud.env, KUMO_TEST_CRASH_AT: crashAt } : cloud.env;
    cloud.kumod = await startKumod(env, { adminCredentials: cloud.kumod.credentials });
    user = clientFor(cloud.kumod.endpoint, keys);
    return cloud.kumod;
  }

  async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  test('a cut-off host’s instance comes up on the other host with its root; the old domain is removed', async () => {
    const kp = await user.createKeypair('evac-key');
    const subnetId = await subnetOf(user, 'local-1a');
    const { instanceIds } = await user.createInstances(
      tinyInstance(cloud, 'evac-a', {
        keyNames: ['evac-key'],
        primaryNetworkInterface: { networkInterface: { subnetId } },
        systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 40 } },
      }),
    );
    const id = instanceIds[0]!;
    await waitStatus(user, id, 'running', 300_000);
    const onHost = async (name: string) => (await domainsOn(hosts[name]!.host)).includes(id);
    const from = (await onHost('ev1')) ? 'ev1' : 'ev2';
    const to = from === 'ev1' ? 'ev2' : 'ev1';
    expect(await onHost(to)).toBe(false);

    // SSH from a probe on the subnet (bound on the environment's own chassis).
    const keyFile = join(mkdtempSync(join(tmpdir(), 'kumo-evac-')), 'id');
    writeFileSync(keyFile, kp.privateKey, { mode: 0o600 });
    probe = await probeInSubnet(user, subnetId, 'kumo-ev-probe');
    const ip = (await user.describeInstance(id)).instance.privateIpAddress;
    const ssh = (cmd: string) =>
      probe!
        .exec([
          ...['ssh', '-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
          ...['-o', 'ConnectTimeout=3', `root@${ip}`, cmd],
        ])
        .then((s) => s.trim());
    const proof = `evac-proof-${Date.now()}`;
    await until('the guest answering SSH', 300_000, async () =>
      (await ssh(`echo ${proof} > /mnt/root/proof && sync && cat /mnt/root/proof`)) === proof
        ? true
        : undefined,
    );

    // While its host is up, an evacuation is refused and changes nothing.
    const evacuate = () =>
      cloud.kumod.admin().adminRequest('POST', `/instances/${id}:evacuate`, { body: {} });
    const refused = await evacuate().then(
      () => 200,
      (e: { httpStatus?: number; code?: string }) => e.httpStatus ?? 0,
    );
    expect(refused).toBe(400);
    expect((await user.describeInstance(id)).instance.status).toBe('running');

    // Cut off: kumod sees the host down and the instance in error; the guest itself runs on.
    await hosts[from]!.host.cutOff();
    await until('the host marked down', 120_000, async () => {
      const { host } = await cloud.kumod
        .admin()
        .adminRequest<{ host: { health: string } }>('GET', `/hosts/${hosts[from]!.id}`);
      return host.health === 'down' ? true : undefined;
    });
    await waitStatus(user, id, 'error', 120_000);
    const blocklistBefore = ceph('osd', 'blocklist', 'ls');
    expect(blocklistBefore).not.toContain(hosts[from]!.host.ip);

    // A target host must be another, healthy one of the AZ; refused with nothing changed.
    const toHost = (hostId: string) =>
      cloud.kumod
        .admin()
        .adminRequest('POST', `/instances/${id}:evacuate`, { body: { hostId } })
        .then(
          () => ({ code: 200, message: '' }),
          (e: { httpStatus?: number; message?: string }) => ({
            code: e.httpStatus ?? 0,
            message: e.message ?? '',
          }),
        );
    expect(await toHost(hosts[from]!.id)).toEqual({
      code: 400,
      message: `Invalid parameter hostId: host '${hosts[from]!.id}' is the host the instance is leaving`,
    });
    expect((await toHost('host-nothere')).code).toBe(404);
    expect((await user.describeInstance(id)).instance.status).toBe('error');

    // Killed as it defines the domain on the host asked for (fenced and moved already); a restart finishes.
    const crashing = await restart('define');
    const died = new Promise<string | null>((r) => crashing.child.once('exit', (_c, sig) => r(sig)));
    await cloud.kumod
      .admin()
      .adminRequest('POST', `/instances/${id}:evacuate`, { body: { hostId: hosts[to]!.id } });
    expect(await died).toBe('SIGKILL');
    await restart();
    await waitStatus(user, id, 'running', 300_000);
    expect(await onHost(to)).toBe(true);
    // The old guest's rbd client was fenced before the new one opened the disk.
    expect(ceph('osd', 'blocklist', 'ls')).toContain(`${hosts[from]!.host.ip}:0/`);
    // The same root disk, on the other host: the file is there.
    expect(
      await until('the evacuated guest answering SSH', 300_000, async () => {
        const out = await ssh('cat /mnt/root/proof');
        return out === proof ? out : undefined;
      }),
    ).toBe(proof);

    // The cut-off host answers again: the reconciler removes the domain no row places there.
    await hosts[from]!.host.reconnect();
    await until('the old domain removed', 180_000, async () => ((await onHost(from)) ? undefined : true));
    expect(await onHost(to)).toBe(true);

    const diskId = (await user.describeInstance(id)).instance.systemDisk.cloudDisk!.diskId;
    await user.deleteInstance(id);
    await waitStatus(user, id, 'deleted', 180_000);
    await until('the system disk deleted', 60_000, async () =>
      rbd('ls', pool.pool).includes(diskId) ? undefined : true,
    );
  });
});
