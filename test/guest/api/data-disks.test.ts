// Cloud data disks made with an instance, in real guests, on both storage backends: createInstances
// with dataDisks boots with every disk present (its id as the virtio serial, the size asked for,
// the device asked for), the instance shows them attached, and deleteInstance deletes the
// autoDelete ones and leaves the others available. On rbd, Tencent's SDK does the same through
// RunInstances' DataDisks, and AttachDisks / DetachDisks move a disk (and the data on it) into and
// out of the running guest. Bad requests are refused with nothing made.
import { jest } from '@jest/globals';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { cephPool, haveCeph, rbd } from '../../../packages/storage/test/support.js';
import { codeOf, cvmClient } from '../../support/cvm-sdk.js';
import { clientFor, newAccount } from '../../support/kumod.js';
import { addRbdBackend } from '../../support/storage.js';
import { cbsClient } from '../../support/tencent-sdk.js';
import { percentile, timeAttachDetach, timingSummary } from './disk-timing.js';
import {
  EIP,
  loginIp,
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  tinyInstance,
  virsh,
  waitSsh,
  waitStatus,
  type GuestCloud,
} from './support.js';

jest.setTimeout(10 * 60_000);
const R = '/v1/regions/local-1';
const GiB = 2 ** 30;
const PATTERN = 'kumo-data-disk-pattern-42';

let cloud: GuestCloud;

beforeAll(async () => {
  cloud = await startGuestCloud('kdatadisk', '10.226', { env: { KUMO_STORAGE_INTERVAL_MS: '200' } });
});

afterAll(async () => {
  await cloud?.cleanup();
});

const sectors = (gb: number) => String((gb * GiB) / 512);
// The tiny image has no udev: a disk is found by its serial under /sys/block.
const bySerial = (id: string, what: 'size' | 'dev') =>
  `r=none; for d in /sys/block/vd*; do [ "$(cat $d/serial 2>/dev/null)" = "${id}" ] && r=${what === 'size' ? '$(cat $d/size)' : '$(basename $d)'}; done; echo $r`;

type Sh = (cmd: string) => Promise<string>;

/** Polls the guest until `cmd` prints `want`. */
async function guestSees(sh: Sh, cmd: string, want: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 150; i++) {
    last = await sh(cmd).catch((e: Error) => e.message);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`guest printed ${JSON.stringify(last)} for ${cmd}, not ${want}`);
}

async function login(user: KumoClient, id: string, key: string): Promise<Sh> {
  await waitStatus(user, id, 'running', 240_000);
  const ip = await loginIp(user, id);
  await waitSsh(ip, 'root', key, 180_000);
  return (cmd) => sshExec(ip, 'root', key, cmd, 30_000).then((s) => s.trim());
}

async function diskIs(user: KumoClient, diskId: string, want: string) {
  let last = '';
  for (let i = 0; i < 600; i++) {
    const { disk } = await user.request<{ disk: { status: string; attachments: unknown[] } }>(
      'GET',
      `${R}/disks/${diskId}`,
    );
    last = disk.status;
    if (disk.status === want) return disk;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`disk ${diskId} is ${last}, never ${want}`);
}

async function diskGone(user: KumoClient, diskId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      await user.request('GET', `${R}/disks/${diskId}`);
    } catch (err) {
      if ((err as { httpStatus?: number }).httpStatus === 404) return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`disk ${diskId} was not deleted`);
}

/** A local backend for local-1a, in a fresh directory. */
async function addLocalBackend() {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-datadisks-'));
  chmodSync(dir, 0o755);
  return cloud.admin.adminRequest<{ storageBackend: { storageBackendId: string } }>(
    'POST',
    '/storageBackends',
    {
      body: { az: 'local-1a', kind: 'local', path: dir },
    },
  );
}

const countDisks = async (user: KumoClient) =>
  (await user.request<{ totalCount: number }>('GET', `${R}/disks`)).totalCount;

/**
 * The JD path on the AZ's current backend: two data disks at create (the second kept, on the
 * device asked for), both present at first boot; the kept one carries data out of a delete.
 * Returns the kept disk's id.
 */
async function createWithDataDisks(user: KumoClient, key: string, name: string): Promise<string> {
  const { instanceIds } = await user.createInstances(
    tinyInstance(cloud, name, {
      keyNames: ['dd-key'],
      elasticIp: EIP,
      dataDisks: [
        { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20 } },
        {
          diskCategory: 'cloud',
          autoDelete: false,
          deviceName: 'vde',
          cloudDiskSpec: { diskType: 'premium-hdd', diskSizeGB: 30, name: `${name}-keep` },
        },
      ],
    }),
  );
  const id = instanceIds[0]!;
  const sh = await login(user, id, key);
  const { instance } = await user.describeInstance(id);
  const shown = instance.dataDisks.map((d) => ({
    autoDelete: d.autoDelete,
    deviceName: d.deviceName,
    status: d.status,
    size: d.cloudDisk!.diskSizeGB,
    diskStatus: d.cloudDisk!.status,
  }));
  expect(shown.sort((x, y) => x.size - y.size)).toEqual([
    { autoDelete: true, deviceName: 'vdc', status: 'attached', size: 20, diskStatus: 'in-use' },
    { autoDelete: false, deviceName: 'vde', status: 'attached', size: 30, diskStatus: 'in-use' },
  ]);
  const byName = new Map(instance.dataDisks.map((d) => [d.cloudDisk!.name, d.cloudDisk!.diskId]));
  const keep = byName.get(`${name}-keep`)!;
  const gone = instance.dataDisks.find((d) => d.autoDelete)!.cloudDisk!.diskId;
  expect(byName.get(`${name}-data1`)).toBe(gone);
  // In the guest from its first boot: the sizes asked for, under the disks' ids.
  expect(await sh(bySerial(gone, 'size'))).toBe(sectors(20));
  expect(await sh(bySerial(keep, 'size'))).toBe(sectors(30));
  const dev = await sh(bySerial(keep, 'dev'));
  await sh(`printf '${PATTERN}' | dd of=/dev/${dev} bs=512 count=1 conv=sync,fsync 2>/dev/null; sync`);

  await user.deleteInstance(id);
  await waitStatus(user, id, 'deleted', 120_000);
  await diskGone(user, gone);
  const kept = await diskIs(user, keep, 'available');
  expect(kept.attachments).toEqual([]);
  return keep;
}

test('local backend: dataDisks at create on the instance’s host, autoDelete on delete', async () => {
  const added = await addLocalBackend();
  const user = await newAccount(cloud.kumod, 'dd-local');
  const key = opensshPrivateKey((await user.createKeypair('dd-key')).privateKey);
  const keep = await createWithDataDisks(user, key, 'dd-local');
  // The volumes on the host agree with the inventory: only the kept disk is left.
  const pool = `${cloud.prefix}disks-${added.storageBackend.storageBackendId}`;
  virsh('pool-refresh', pool);
  const listed = virsh('vol-list', pool);
  expect(listed).toContain(keep);
  expect(listed.split('\n').filter((l) => l.includes('vol-')).length).toBe(1);

  // A 9th data disk and a size off JD's steps: refused, nothing made.
  const before = await countDisks(user);
  const refused = await user
    .createInstances(
      tinyInstance(cloud, 'dd-bad', {
        dataDisks: Array.from({ length: 9 }, () => ({
          diskCategory: 'cloud' as const,
          cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20 },
        })),
      }),
    )
    .catch((e: { httpStatus: number; message: string }) => e);
  expect(refused).toMatchObject({ httpStatus: 400 });
  const badSize = await user
    .createInstances(
      tinyInstance(cloud, 'dd-bad', {
        dataDisks: [{ diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 25 } }],
      }),
    )
    .catch((e: { httpStatus: number; message: string }) => e);
  expect(badSize).toMatchObject({ httpStatus: 400 });
  expect(await countDisks(user)).toBe(before);
  expect((await user.describeInstances()).totalCount).toBe(0);

  // The AZ's disks go to Ceph next: this backend leaves once its last disk is gone.
  await user.request('DELETE', `${R}/disks/${keep}`);
  await diskGone(user, keep);
  await cloud.admin.adminRequest('DELETE', `/storageBackends/${added.storageBackend.storageBackendId}`);
});

// The numbers of bench/disks for the local backend (bash bench/disks/run.sh runs this with more
// rounds): from the API call to the guest kernel seeing the device appear or go.
test('timings (local): attach → visible and detach → gone in the guest', async () => {
  const added = await addLocalBackend();
  const user = await newAccount(cloud.kumod, 'dd-timing');
  const key = opensshPrivateKey((await user.createKeypair('dd-key')).privateKey);
  const { instanceIds } = await user.createInstances(
    tinyInstance(cloud, 'dd-timing', { keyNames: ['dd-key'], elasticIp: EIP }),
  );
  const id = instanceIds[0]!;
  const sh = await login(user, id, key);
  const { diskIds } = await user.request<{ diskIds: string[] }>('POST', `${R}/disks`, {
    body: {
      diskSpec: { az: 'local-1a', name: 'timed', diskType: 'ssd', diskSizeGB: 20 },
      maxCount: 1,
      clientToken: 'timed',
    },
  });
  const diskId = diskIds[0]!;
  await diskIs(user, diskId, 'available');
  const rounds = Number(process.env.KSTOR_BENCH_ROUNDS ?? 3);
  const times = await timeAttachDetach({
    rounds,
    sh,
    sizeCmd: bySerial(diskId, 'size'),
    attach: () => user.request('POST', `${R}/instances/${id}:attachDisk`, { body: { diskId } }),
    detach: () => user.request('POST', `${R}/instances/${id}:detachDisk`, { body: { diskId } }),
    attached: () => diskIs(user, diskId, 'in-use'),
    detached: () => diskIs(user, diskId, 'available'),
  });
  console.log(`local, ${rounds} rounds: ${timingSummary(times)}`);
  await user.deleteInstance(id);
  await waitStatus(user, id, 'deleted', 120_000);
  await user.request('DELETE', `${R}/disks/${diskId}`);
  await diskGone(user, diskId);
  await cloud.admin.adminRequest('DELETE', `/storageBackends/${added.storageBackend.storageBackendId}`);
  expect(percentile(times.attach, 99)).toBeLessThan(5000);
  expect(percentile(times.detach, 99)).toBeLessThan(10000);
});

(haveCeph() ? test : test.skip)(
  'rbd backend: JD dataDisks, then Tencent RunInstances DataDisks, AttachDisks and DetachDisks',
  async () => {
    const pool = cephPool(`kdatadisk-${process.pid}`);
    try {
      await addRbdBackend(cloud.admin, 'local-1a', pool);
      const keys = await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>(
        'POST',
        '/accounts',
        { body: { name: 'dd-rbd' } },
      );
      const user = clientFor(cloud.kumod.endpoint, keys);
      const key = opensshPrivateKey((await user.createKeypair('dd-key')).privateKey);
      const keep = await createWithDataDisks(user, key, 'dd-rbd');
      expect(rbd('ls', pool.pool).trim().split('\n')).toEqual([keep]);

      // Tencent: a data disk at RunInstances, deleted with the instance by default.
      const cvm = cvmClient(cloud.kumod.endpoint, keys);
      const cbs = cbsClient(cloud.kumod.endpoint, keys);
      const run = await cvm.RunInstances({
        Placement: { Zone: 'local-1a' },
        ImageId: cloud.images.tiny,
        InstanceType: 't.n1.nano',
        InstanceName: 'dd-cvm',
        LoginSettings: { KeyIds: ['skey-dd-key'] },
        SystemDisk: { DiskType: 'LOCAL_BASIC' },
        DataDisks: [{ DiskType: 'CLOUD_SSD', DiskSize: 20 }],
        InternetAccessible: { PublicIpAssigned: true, InternetMaxBandwidthOut: 100 },
      });
      const cvmId = run.InstanceIdSet![0]!;
      const id = `i-${cvmId.slice(4)}`;
      const sh = await login(user, id, key);
      const described = await cvm.DescribeInstances({ Filters: [{ Name: 'instance-id', Values: [cvmId] }] });
      const dataDisks = described.InstanceSet![0]!.DataDisks!;
      expect(dataDisks).toEqual([
        expect.objectContaining({ DiskType: 'CLOUD_SSD', DiskSize: 20, DeleteWithInstance: true }),
      ]);
      const made = `vol-${dataDisks[0]!.DiskId!.slice(5)}`;
      expect(await sh(bySerial(made, 'size'))).toBe(sectors(20));

      // AttachDisks: the kept disk (with the JD guest's data) into the running guest, then out.
      const cbsKeep = `disk-${keep.slice(4)}`;
      await cbs.AttachDisks({ InstanceId: cvmId, DiskIds: [cbsKeep] });
      await guestSees(sh, bySerial(keep, 'size'), sectors(30));
      const dev = await sh(bySerial(keep, 'dev'));
      expect(await sh(`dd if=/dev/${dev} bs=${PATTERN.length} count=1 2>/dev/null`)).toBe(PATTERN);
      await diskIs(user, keep, 'in-use');
      // The next second: Tencent's SDK does not sign the action, so a body must not repeat within one.
      await new Promise((r) => setTimeout(r, 1100));
      await cbs.DetachDisks({ DiskIds: [cbsKeep] });
      await guestSees(sh, bySerial(keep, 'size'), 'none');
      await diskIs(user, keep, 'available');
      const listed = await cbs.DescribeDisks({ DiskIds: [cbsKeep] });
      expect(listed.DiskSet?.[0]).toMatchObject({ DiskState: 'UNATTACHED', Attached: false });

      // Refused with Tencent's codes, nothing made: a local data disk, an encrypted one.
      const before = await countDisks(user);
      expect(
        await codeOf(
          cvm.RunInstances({
            Placement: { Zone: 'local-1a' },
            ImageId: cloud.images.tiny,
            InstanceType: 't.n1.nano',
            DataDisks: [{ DiskType: 'LOCAL_BASIC', DiskSize: 20 }],
          }),
        ),
      ).toBe('UnsupportedOperation');
      expect(
        await codeOf(
          cvm.RunInstances({
            Placement: { Zone: 'local-1a' },
            ImageId: cloud.images.tiny,
            InstanceType: 't.n1.nano',
            DataDisks: [{ DiskType: 'CLOUD_SSD', DiskSize: 25 }],
          }),
        ),
      ).toMatch(/^InvalidParameter/);
      expect(await countDisks(user)).toBe(before);

      await cvm.TerminateInstances({ InstanceIds: [cvmId] });
      await waitStatus(user, id, 'deleted', 120_000);
      await diskGone(user, made);
      await user.request('DELETE', `${R}/disks/${keep}`);
      await diskGone(user, keep);
      expect(rbd('ls', pool.pool).trim()).toBe('');
      // Removing the backend takes its libvirt pool and cephx secret off the host.
      const { storageBackends } = await cloud.admin.adminRequest<{
        storageBackends: { storageBackendId: string }[];
      }>('GET', '/storageBackends');
      for (const b of storageBackends)
        await cloud.admin.adminRequest('DELETE', `/storageBackends/${b.storageBackendId}`);
    } finally {
      pool.drop();
    }
  },
);
