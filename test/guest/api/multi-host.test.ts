// Several real libvirtd hosts, each in its own network and mount namespace, reached over TCP and
// SSH URIs, in two AZs, each an OVN chassis: instances land in the requested AZ, spread alternates
// hosts, two instances on different hosts share one subnet, a full host is skipped, and an AZ
// without room refuses with the JD error and leaves nothing behind. An elastic network interface
// hot-plugged into a guest on one host appears there with its MAC and address, detaches, and moves
// to a guest on the other host.
import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { startTestHost, stopAllTestHosts, type TestHost } from '../../support/hosts.js';
import { clientFor, startKumod, type KumodProcess } from '../../support/kumod.js';
import { probeInSubnet, type Probe } from '../../support/ovn-probe.js';
import { startGuestCloud, subnetOf, tinyInstance, waitStatus, type GuestCloud } from './support.js';

jest.setTimeout(20 * 60_000);

let cloud: GuestCloud;
let user: KumoClient;
/** The user's keys (a kumod started later serves the same account). */
let userKeys: { accessKey: string; secretKey: string };
let h1: TestHost;
let h2: TestHost;
let h3: TestHost;
let probe: Probe | undefined;
/** SSH from the probe (set by the first test, which attaches it) to a guest's private address. */
let sshFromProbe: (ip: string, cmd: string) => Promise<string>;
const hostIds: Record<string, string> = {};

beforeAll(async () => {
  cloud = await startGuestCloud('apimh', '10.244', { noLocalHost: true });
  [h1, h2, h3] = [
    await startTestHost('mh1'),
    await startTestHost('mh2', { ssh: true }),
    await startTestHost('mh3'),
  ];
  // Each host is named with its chassis (its namespace): ports bind only on their instance's host.
  const register = async (
    name: string,
    uri: string,
    az: string,
    poolPath: string,
    cpuRatio: number,
    chassis: string,
  ) => {
    const r = await cloud.admin.adminRequest<{ host: { hostId: string; health: string; chassis: string } }>(
      'POST',
      '/hosts',
      {
        body: {
          name,
          uri,
          regionId: 'local-1',
          az,
          poolPath,
          accelerator: 'qemu',
          cpuRatio,
          chassis,
          memoryRatio: 1,
          diskRatio: 20,
        },
      },
    );
    expect(r.host).toMatchObject({ health: 'up', chassis });
    hostIds[name] = r.host.hostId;
  };
  // mh1 and mh2 (over SSH) are equal and hold two 1-vCPU instances each (2 vCPUs × 1);
  // mh3, alone in local-1b, holds one.
  await register('mh1', h1.uri, 'local-1a', h1.poolPath, 1, h1.netns);
  await register('mh2', h2.sshUri!, 'local-1a', h2.poolPath, 1, h2.netns);
  await register('mh3', h3.uri, 'local-1b', h3.poolPath, 0.5, h3.netns);
  userKeys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'multi' } });
  user = clientFor(cloud.kumod.endpoint, userKeys);
});

afterAll(async () => {
  await probe?.remove();
  await cloud?.cleanup();
  await stopAllTestHosts();
});

async function createIn(az: string, name: string, keyNames: string[] = []) {
  const subnetId = await subnetOf(user, az);
  return user.createInstances(
    tinyInstance(cloud, name, {
      az,
      keyNames,
      primaryNetworkInterface: { networkInterface: { subnetId } },
    }),
  );
}

async function domainsOn(h: TestHost): Promise<string[]> {
  return (await h.virsh(['list', '--name']))
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(cloud.prefix))
    .map((s) => s.slice(cloud.prefix.length));
}

test('placement across hosts and AZs', async () => {
  const kp = await user.createKeypair('mh-key');

  // Spread: two instances in local-1a land on different hosts.
  const a = (await createIn('local-1a', 'spread-a', ['mh-key'])).instanceIds[0]!;
  const b = (await createIn('local-1a', 'spread-b', ['mh-key'])).instanceIds[0]!;
  for (const id of [a, b]) await waitStatus(user, id, 'running', 300_000);
  const on1 = await domainsOn(h1);
  const on2 = await domainsOn(h2);
  expect([...on1, ...on2].sort()).toEqual([a, b].sort());
  expect(on1).toHaveLength(1);
  expect(on2).toHaveLength(1);
  expect(await domainsOn(h3)).toEqual([]);
  for (const id of [a, b]) expect((await user.describeInstance(id)).instance.az).toBe('local-1a');

  // From a probe on the subnet (a port bound on the environment's own chassis), both guests — same
  // account and subnet, two hosts — answer SSH with the injected key over Geneve tunnels: one
  // logical switch spans three chassis. (Host-to-host tunnels through the environment's
  // forwarding namespace lose packets intermittently on these machines; not asserted here.) (Elastic IPs of guests on other chassis than the gateway crash
  // this machine's userspace conntrack, OVS 3.1.0: the single-host tests cover EIPs.)
  const keyFile = join(mkdtempSync(join(tmpdir(), 'kumo-mh-')), 'id');
  writeFileSync(keyFile, kp.privateKey, { mode: 0o600 });
  probe = await probeInSubnet(user, await subnetOf(user, 'local-1a'), 'kumo-mh-probe');
  const ipA = (await user.describeInstance(a)).instance.privateIpAddress;
  const ipB = (await user.describeInstance(b)).instance.privateIpAddress;
  const ssh = (sshFromProbe = (ip: string, cmd: string) =>
    probe!.exec([
      ...['ssh', '-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
      ...['-o', 'ConnectTimeout=3', `root@${ip}`, cmd],
    ]));
  // Both guests, on their two hosts, answer over their own tunnels to the probe's chassis.
  for (const [ip, want] of [
    [ipA, 'spread-a'],
    [ipB, 'spread-b'],
  ] as const) {
    let hostname = '';
    for (let i = 0; i < 60 && hostname !== want; i++) {
      hostname = await ssh(ip, 'hostname').then(
        (out) => out.trim(),
        () => '',
      );
      if (hostname !== want) await new Promise((r) => setTimeout(r, 2000));
    }
    if (hostname !== want) {
      // What the hosts' switches said (an abort of the userspace datapath shows here).
      const logs = ['mh1', 'mh2', 'mh3'].map((h) => {
        const f = `/tmp/kumo-test-hosts/hosts/${h}/ovn/log/ovs-vswitchd.log`;
        return existsSync(f) ? `${h}: ${readFileSync(f, 'utf8').split('\n').slice(-8).join('\n')}` : '';
      });
      throw new Error(`${want} (${ip}) did not answer SSH over the overlay\n${logs.join('\n')}`);
    }
  }

  // Two more: the first fills one host, so the second must skip it and go to the other.
  const c = (await createIn('local-1a', 'fill-c')).instanceIds[0]!;
  const d = (await createIn('local-1a', 'fill-d')).instanceIds[0]!;
  for (const id of [c, d]) await waitStatus(user, id, 'running', 300_000);
  expect((await domainsOn(h1)).length).toBe(2);
  expect((await domainsOn(h2)).length).toBe(2);
  const hosts = await cloud.admin.adminRequest<{
    hosts: { name: string; capacity: { vcpus: { used: number; usable: number } } }[];
  }>('GET', '/hosts');
  for (const name of ['mh1', 'mh2']) {
    expect(hosts.hosts.find((h) => h.name === name)!.capacity.vcpus).toMatchObject({ used: 2, usable: 2 });
  }
  // Both local-1a hosts are full now.
  await expect(createIn('local-1a', 'overflow')).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });

  // local-1b: one instance fits on mh3; the second is refused and nothing is left behind.
  const e = (await createIn('local-1b', 'east-e')).instanceIds[0]!;
  await waitStatus(user, e, 'running', 300_000);
  expect(await domainsOn(h3)).toEqual([e]);
  const before = (await user.describeInstances({ pageSize: 100 })).totalCount;
  await expect(createIn('local-1b', 'east-f')).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: "No host in 'local-1b' has capacity for instanceType 't.n1.nano'",
  });
  expect((await user.describeInstances({ pageSize: 100 })).totalCount).toBe(before);
  expect(await domainsOn(h3)).toEqual([e]);

  // A drained host takes nothing new, even with room: free mh2's slot, drain it, and ask again.
  await user.deleteInstance(d);
  await waitStatus(user, d, 'deleted', 180_000);
  const dHost = (await domainsOn(h1)).length === 2 ? 'mh2' : 'mh1';
  await cloud.admin.adminRequest('POST', `/hosts/${hostIds[dHost]}:drain`);
  await expect(createIn('local-1a', 'drained')).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
  await cloud.admin.adminRequest('POST', `/hosts/${hostIds[dHost]}:enable`);

  for (const id of [a, b, c, e]) await user.deleteInstance(id);
  for (const id of [a, b, c, e]) await waitStatus(user, id, 'deleted', 180_000);
  expect([...(await domainsOn(h1)), ...(await domainsOn(h2)), ...(await domainsOn(h3))]).toEqual([]);
});

test('an elastic network interface is hot-plugged, detached and moved to a guest on another host', async () => {
  // t.n1.small allows two interfaces; spread puts the two guests on mh1 and mh2.
  const subnetId = await subnetOf(user, 'local-1a');
  const make = async (name: string) =>
    (
      await user.createInstances(
        tinyInstance(cloud, name, {
          instanceType: 't.n1.small',
          keyNames: ['mh-key'],
          primaryNetworkInterface: { networkInterface: { subnetId } },
        }),
      )
    ).instanceIds[0]!;
  const a = await make('eni-a');
  const b = await make('eni-b');
  for (const id of [a, b]) await waitStatus(user, id, 'running', 300_000);
  expect([(await domainsOn(h1)).length, (await domainsOn(h2)).length]).toEqual([1, 1]);
  const R = '/v1/regions/local-1';
  const { networkInterfaceId: eni } = await user.request<{ networkInterfaceId: string }>(
    'POST',
    `${R}/networkInterfaces/`,
    { body: { subnetId } },
  );
  type Nic = {
    macAddress: string;
    primaryIp: { privateIpAddress: string };
    attachmentStatus: string;
    instanceId: string;
  };
  const nicNow = async () =>
    (await user.request<{ networkInterface: Nic }>('GET', `${R}/networkInterfaces/${eni}`)).networkInterface;
  const { macAddress: mac, primaryIp } = await nicNow();
  const eniIp = primaryIp.privateIpAddress;
  const settle = async (want: string) => {
    for (let i = 0; i < 300; i++) {
      const n = await nicNow();
      if (n.attachmentStatus === want) return n;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`interface ${eni} never became ${want}: ${JSON.stringify(await nicNow())}`);
  };
  /** Polls the guest (over the probe, on its primary address) until `cmd` prints `want`. */
  const guestSees = async (id: string, cmd: string, want: (out: string) => boolean, what: string) => {
    const ip = (await user.describeInstance(id)).instance.privateIpAddress;
    let last = '';
    for (let i = 0; i < 60; i++) {
      last = await sshFromProbe(ip, cmd).catch((e: Error) => `error: ${e.message}`);
      if (want(last)) return;
      await new Promise((r) => setTimeout(r, 2000));
    }
    throw new Error(`${id} never showed ${what}; last output: ${last}`);
  };
  const nicWithMac = `for n in /sys/class/net/eth*; do [ "$(cat $n/address)" = "${mac}" ] && ip -4 -o addr show dev $(basename $n); done; echo end`;

  // Hot-plugged into the running guest on one host: it appears with the interface's MAC and gets
  // the interface's address from OVN's DHCP.
  const act = (id: string, verb: string) =>
    user.request('POST', `${R}/instances/${id}:${verb}NetworkInterface`, {
      body: { networkInterfaceId: eni },
    });
  await act(a, 'attach');
  expect(await settle('attached')).toMatchObject({ instanceId: a });
  await guestSees(a, nicWithMac, (o) => o.includes(`inet ${eniIp}/`), `the interface ${mac} with ${eniIp}`);
  const described = (await user.describeInstance(a)).instance as unknown as {
    secondaryNetworkInterfaces: { networkInterface: { networkInterfaceId: string } }[];
  };
  expect(described.secondaryNetworkInterfaces.map((n) => n.networkInterface.networkInterfaceId)).toEqual([
    eni,
  ]);

  // The primary cannot be detached.
  const primaryId = (await user.describeInstance(a)).instance.primaryNetworkInterface.networkInterface
    .networkInterfaceId;
  await expect(
    user.request('POST', `${R}/instances/${a}:detachNetworkInterface`, {
      body: { networkInterfaceId: primaryId },
    }),
  ).rejects.toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });

  // Detached: gone from the guest; then attached to the guest on the other host, it appears there.
  await act(a, 'detach');
  await settle('detached');
  await guestSees(a, nicWithMac, (o) => o.trim() === 'end', `no interface ${mac}`);
  await act(b, 'attach');
  expect(await settle('attached')).toMatchObject({ instanceId: b });
  await guestSees(
    b,
    nicWithMac,
    (o) => o.includes(`inet ${eniIp}/`),
    `the moved interface ${mac} with ${eniIp}`,
  );

  for (const id of [a, b]) await user.deleteInstance(id);
  for (const id of [a, b]) await waitStatus(user, id, 'deleted', 180_000);
  // attachNetworkInterface left autoDelete off: the interface outlives the instance, detached.
  expect(await nicNow()).toMatchObject({ attachmentStatus: 'detached', instanceId: '' });
});

test('a local disk written on one host moves to a guest on the other: copied, verified, the old copy gone', async () => {
  // The pool's directory is each host's own (test hosts see their own /var/lib/libvirt).
  const { storageBackend } = await cloud.admin.adminRequest<{ storageBackend: { storageBackendId: string } }>(
    'POST',
    '/storageBackends',
    { body: { az: 'local-1a', kind: 'local', path: '/var/lib/libvirt/kumo-mh-disks' } },
  );
  const pool = `${cloud.prefix}disks-${storageBackend.storageBackendId}`;
  const a = (await createIn('local-1a', 'move-a', ['mh-key'])).instanceIds[0]!;
  const b = (await createIn('local-1a', 'move-b', ['mh-key'])).instanceIds[0]!;
  for (const id of [a, b]) await waitStatus(user, id, 'running', 300_000);
  const hostOf = async (id: string) => ((await domainsOn(h1)).includes(id) ? h1 : h2);
  const [ha, hb] = [await hostOf(a), await hostOf(b)];
  expect(ha).not.toBe(hb);

  const R = '/v1/regions/local-1';
  const { diskIds } = await user.request<{ diskIds: string[] }>('POST', `${R}/disks`, {
    body: {
      diskSpec: { az: 'local-1a', name: 'mover', diskType: 'ssd', diskSizeGB: 20 },
      maxCount: 1,
      clientToken: 'mover',
    },
  });
  const diskId = diskIds[0]!;
  const statusOf = async () =>
    (await user.request<{ disk: { status: string } }>('GET', `${R}/disks/${diskId}`)).disk.status;
  const settle = async (want: string) => {
    let s = '';
    for (let i = 0; i < 600 && (s = await statusOf()) !== want; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(s).toBe(want);
  };
  await settle('available');
  // A host gets the backend's pool at its first use: none yet holds no volume.
  const volumesOn = async (h: TestHost) => {
    const listed = await h.virsh(['vol-list', pool]).catch((e: Error) => {
      if (/Storage pool not found/.test(e.message)) return '';
      throw e;
    });
    return listed.split('\n').filter((l) => l.includes(diskId)).length;
  };
  const sh = async (id: string, cmd: string) =>
    (await sshFromProbe((await user.describeInstance(id)).instance.privateIpAddress, cmd)).trim();
  const devOf = `for d in /sys/block/vd*; do [ "$(cat $d/serial 2>/dev/null)" = "${diskId}" ] && basename $d; done`;
  const guestDev = async (id: string, present: boolean) => {
    for (let i = 0; i < 100; i++) {
      const dev = await sh(id, devOf).catch(() => '');
      if ((dev !== '') === present) return dev;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${id}: disk ${diskId} ${present ? 'never appeared' : 'never went'}`);
  };
  const PATTERN = 'kumo-moved-disk-pattern';

  // Written from the guest on one host (the disk moves there first if it was made on the other).
  await user.request('POST', `${R}/instances/${a}:attachDisk`, { body: { diskId } });
  await settle('in-use');
  const devA = await guestDev(a, true);
  await sh(a, `printf '${PATTERN}' | dd of=/dev/${devA} bs=512 count=1 conv=sync,fsync 2>/dev/null; sync`);
  expect([await volumesOn(ha), await volumesOn(hb)]).toEqual([1, 0]);
  await user.request('POST', `${R}/instances/${a}:detachDisk`, { body: { diskId } });
  await settle('available');
  await guestDev(a, false);

  // Attached to the guest on the other host: the volume moves, and the guest reads the pattern.
  const t0 = Date.now();
  await user.request('POST', `${R}/instances/${b}:attachDisk`, { body: { diskId } });
  await settle('in-use');
  const devB = await guestDev(b, true);
  const moveMs = Date.now() - t0;
  expect(await sh(b, `dd if=/dev/${devB} bs=${PATTERN.length} count=1 2>/dev/null`)).toBe(PATTERN);
  expect([await volumesOn(ha), await volumesOn(hb)]).toEqual([0, 1]);
  console.log(`local disk move to another host, attach → visible in guest: ${moveMs} ms`);

  // A disk with snapshots stays on its host: refused with JD's envelope, nothing changes.
  await user.request('POST', `${R}/instances/${b}:detachDisk`, { body: { diskId } });
  await settle('available');
  const { snapshotId } = await user.request<{ snapshotId: string }>('POST', `${R}/snapshots`, {
    body: { snapshotSpec: { name: 'pin', diskId }, clientToken: 'pin' },
  });
  await expect(
    user.request('POST', `${R}/instances/${a}:attachDisk`, { body: { diskId } }),
  ).rejects.toMatchObject({ httpStatus: 400 });
  expect(await statusOf()).toBe('available');
  expect([await volumesOn(ha), await volumesOn(hb)]).toEqual([0, 1]);

  // A move killed (SIGKILL) right after the copy was verified and the source removed, before the
  // inventory recorded the new host: the next kumod finishes the attach from what is there.
  for (let i = 0; i < 300; i++) {
    const { snapshot } = await user.request<{ snapshot: { status: string } }>(
      'GET',
      `${R}/snapshots/${snapshotId}`,
    );
    if (snapshot.status === 'available') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await user.request('DELETE', `${R}/snapshots/${snapshotId}`);
  for (let i = 0; i < 300; i++) {
    const left = await user.request<{ totalCount: number }>('GET', `${R}/snapshots`);
    if (left.totalCount === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const restart = async (extra: Record<string, string>): Promise<KumodProcess> => {
    const k = await startKumod({ ...cloud.env, ...extra }, { adminCredentials: cloud.kumod.credentials });
    user = clientFor(k.endpoint, userKeys);
    return k;
  };
  const first = cloud.kumod;
  await first.stop();
  const crashing = await restart({
    KUMO_TEST_CRASH_AT: 'disks:move:copied',
    KUMO_STORAGE_LEASE_SECONDS: '2',
  });
  const killed = new Promise<string | null>((resolve) =>
    crashing.child.once('exit', (_c, sig) => resolve(sig)),
  );
  await user.request('POST', `${R}/instances/${a}:attachDisk`, { body: { diskId } });
  expect(await killed).toBe('SIGKILL');
  cloud.kumod = await restart({});
  await settle('in-use');
  const devBack = await guestDev(a, true);
  expect(await sh(a, `dd if=/dev/${devBack} bs=${PATTERN.length} count=1 2>/dev/null`)).toBe(PATTERN);
  expect([await volumesOn(ha), await volumesOn(hb)]).toEqual([1, 0]);

  for (const id of [a, b]) await user.deleteInstance(id);
  for (const id of [a, b]) await waitStatus(user, id, 'deleted', 180_000);
});
