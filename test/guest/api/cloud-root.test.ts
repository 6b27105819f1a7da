// A cloud system disk on the test environment's Ceph (rbd), in a real guest: createInstances with
// `systemDisk.diskCategory: cloud` boots the tiny guest from a copy-on-write clone of its image
// (one base per image in the pool, however many instances), the guest's root device carries the
// disk's id as its serial and the size asked for, a file written to the root survives a stop and
// a start, and the instance shows the disk as its system disk (describeDisks lists it in use);
// rebuildInstance makes the disk again from the image (refused while it has snapshots).
// What the disk cannot do alone is refused in JD's envelope with nothing changed; deleteInstance
// takes the disk with it and leaves only the image's base in the pool.
import { jest } from '@jest/globals';
import type { KumoClient } from '@kumo/client';
import type { InstanceSpec } from '@kumo/contract';
import { cephPool, haveCeph, rbd } from '../../../packages/storage/test/support.js';
import { clientFor, startKumod, type KumodProcess } from '../../support/kumod.js';
import { addRbdBackend } from '../../support/storage.js';
import {
  EIP,
  loginIp,
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  tinyInstance,
  waitSsh,
  waitStatus,
  type GuestCloud,
} from './support.js';

jest.setTimeout(10 * 60_000);
const run = haveCeph() ? describe : describe.skip;
const R = '/v1/regions/local-1';
const GiB = 2 ** 30;

interface Disk {
  diskId: string;
  status: string;
  diskSizeGB: number;
  diskType: string;
  attachments: { instanceId: string; status: string }[];
}

run('cloud system disks (rbd)', () => {
  let cloud: GuestCloud;
  let user: KumoClient;
  let pool: ReturnType<typeof cephPool>;
  let key: string;
  let keys: { accessKey: string; secretKey: string };

  beforeAll(async () => {
    pool = cephPool(`kroot-${process.pid}`);
    cloud = await startGuestCloud('kroot', '10.247', { env: { KUMO_STORAGE_INTERVAL_MS: '200' } });
    await addRbdBackend(cloud.admin, 'local-1a', pool);
    keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'roots' } });
    user = clientFor(cloud.kumod.endpoint, keys);
    key = opensshPrivateKey((await user.createKeypair('root-key')).privateKey);
  }, 5 * 60_000);

  afterAll(async () => {
    await cloud?.cleanup();
    pool?.drop();
  });

  const req = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object) =>
    user.request<T>(method, `${R}${path}`, body ? { body } : {});
  const statusOf = async (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: { httpStatus?: number }) => e.httpStatus ?? 0,
    );

  async function boot(
    name: string,
    sizeGB: number,
    imageId = cloud.images.tiny,
    dataDisks?: InstanceSpec['dataDisks'],
  ) {
    const { instanceIds } = await user.createInstances(
      tinyInstance(cloud, name, {
        imageId,
        keyNames: ['root-key'],
        elasticIp: EIP,
        systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'premium-hdd', diskSizeGB: sizeGB } },
        ...(dataDisks ? { dataDisks } : {}),
      }),
    );
    const id = instanceIds[0]!;
    await waitStatus(user, id, 'running', 240_000);
    const ip = await loginIp(user, id);
    await waitSsh(ip, 'root', key, 180_000);
    return { id, sh: (cmd: string) => sshExec(ip, 'root', key, cmd, 30_000).then((s) => s.trim()) };
  }

  /** Replaces the running kumod with one on the same database (crashing at `crashAt`, if given). */
  async function restart(crashAt?: string): Promise<KumodProcess> {
    await cloud.kumod.stop();
    const env = crashAt ? { ...cloud.env, KUMO_TEST_CRASH_AT: crashAt } : cloud.env;
    cloud.kumod = await startKumod(env, { adminCredentials: cloud.kumod.credentials });
    user = clientFor(cloud.kumod.endpoint, keys);
    return cloud.kumod;
  }

  // The guest's device of a disk, found by its serial (the disk's id).
  const devOf = (id: string) =>
    `for d in /sys/block/vd*; do [ "$(cat $d/serial 2>/dev/null)" = "${id}" ] && basename $d; done`;

  const poolImages = () =>
    rbd('ls', pool.pool)
      .trim()
      .split('\n')
      .filter((n) => n.startsWith('img-'));

  test('kumod SIGKILLed once the image is in the pool, before the base is in place: a restart converges', async () => {
    const crashing = await restart('storage:image-imported');
    const exited = new Promise<string | null>((resolve) =>
      crashing.child.once('exit', (_c, sig) => resolve(sig)),
    );
    const { instanceIds } = await user.createInstances(
      tinyInstance(cloud, 'root-crash', {
        keyNames: ['root-key'],
        elasticIp: EIP,
        systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 40 } },
      }),
    );
    expect(await exited).toBe('SIGKILL');
    // The import's bytes are in a part of its own; no base that a clone could be made of.
    expect(poolImages()).toEqual([expect.stringMatching(/^img-[0-9a-f]{64}\.part-[0-9a-f]+$/)]);

    await restart();
    const id = instanceIds[0]!;
    await waitStatus(user, id, 'running', 240_000);
    const ip = await loginIp(user, id);
    await waitSsh(ip, 'root', key, 180_000);
    const diskId = (await user.describeInstance(id)).instance.systemDisk.cloudDisk!.diskId;
    expect((await sshExec(ip, 'root', key, 'cat /sys/block/vda/serial', 30_000)).trim()).toBe(diskId);
    // The abandoned part is gone; one base, and the disk cloned from it.
    expect(poolImages()).toEqual([expect.stringMatching(/^img-[0-9a-f]{64}$/)]);
    expect(rbd('ls', pool.pool).trim().split('\n').sort()).toEqual([...poolImages(), diskId].sort());
    await user.deleteInstance(id);
    await waitStatus(user, id, 'deleted', 120_000);
  });

  test('boots from a clone of its image; the root survives stop/start; deleted with the instance', async () => {
    const a = await boot('root-a', 50);
    const { instance } = await user.describeInstance(a.id);
    expect(instance.systemDisk).toMatchObject({
      diskCategory: 'cloud',
      deviceName: 'vda',
      autoDelete: true,
      status: 'attached',
      cloudDisk: { diskSizeGB: 50, diskType: 'premium-hdd', status: 'in-use' },
    });
    expect(instance.dataDisks).toEqual([]);
    const diskId = instance.systemDisk.cloudDisk!.diskId;
    const { disk } = await req<{ disk: Disk }>('GET', `/disks/${diskId}`);
    expect(disk.attachments).toEqual([expect.objectContaining({ instanceId: a.id, status: 'attached' })]);

    // Inside the guest: the root device is that disk, at the size asked for.
    expect(await a.sh('cat /sys/block/vda/serial')).toBe(diskId);
    expect(await a.sh('cat /sys/block/vda/size')).toBe(String((50 * GiB) / 512));
    const proof = `root-proof-${Date.now()}`;
    await a.sh(`echo ${proof} > /mnt/root/proof && sync`);

    // In the pool: a clone of the image's base snapshot, not a copy.
    const info = JSON.parse(rbd('info', '--format', 'json', `${pool.pool}/${diskId}`)) as {
      parent?: { pool: string; image: string; snapshot: string };
    };
    expect(info.parent).toMatchObject({ pool: pool.pool, snapshot: 'base' });
    expect(info.parent!.image).toMatch(/^img-[0-9a-f]{64}$/);

    // The data is on the disk, not on the host: a stop and a start find it.
    await user.stopInstance(a.id);
    await waitStatus(user, a.id, 'stopped', 120_000);
    // Refused with nothing changed: the disk alone, and what needs a host overlay.
    expect(await statusOf(req('POST', `/instances/${a.id}:detachDisk`, { diskId }))).toBe(400);
    expect(await statusOf(req('DELETE', `/disks/${diskId}`))).toBe(400);
    // A snapshot of the system disk; while it exists a rebuild (which makes the disk again) is refused.
    const { snapshotId } = await req<{ snapshotId: string }>('POST', '/snapshots', {
      snapshotSpec: { name: 'root-snap', diskId },
      clientToken: 'root-snap',
    });
    for (let i = 0; i < 300; i++) {
      const { snapshot } = await req<{ snapshot: { status: string } }>('GET', `/snapshots/${snapshotId}`);
      if (snapshot.status === 'available') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rebuild = () =>
      req('POST', `/instances/${a.id}:rebuildInstance`, {
        password: 'Kumo-Pass-123',
        keyNames: ['root-key'],
      });
    expect(await statusOf(rebuild())).toBe(400);
    expect((await req<{ disk: Disk }>('GET', `/disks/${diskId}`)).disk.status).toBe('in-use');
    await req('DELETE', `/snapshots/${snapshotId}`);
    await user.startInstance(a.id);
    await waitStatus(user, a.id, 'running', 120_000);
    const ip = await loginIp(user, a.id);
    await waitSsh(ip, 'root', key, 180_000);
    expect((await sshExec(ip, 'root', key, 'cat /mnt/root/proof', 30_000)).trim()).toBe(proof);

    // rebuildInstance makes the system disk again from the image: same disk, size and device, the
    // file gone.
    await user.stopInstance(a.id);
    await waitStatus(user, a.id, 'stopped', 120_000);
    for (let i = 0; i < 300 && (await statusOf(req('GET', `/snapshots/${snapshotId}`))) !== 404; i++)
      await new Promise((r) => setTimeout(r, 100));
    await rebuild();
    await waitStatus(user, a.id, 'stopped', 180_000);
    await user.startInstance(a.id);
    await waitStatus(user, a.id, 'running', 120_000);
    await waitSsh(ip, 'root', key, 180_000);
    const rebuilt = (cmd: string) => sshExec(ip, 'root', key, cmd, 30_000).then((s) => s.trim());
    expect(await rebuilt('cat /mnt/root/proof 2>/dev/null || echo none')).toBe('none');
    expect(await rebuilt('cat /sys/block/vda/serial')).toBe(diskId);
    expect(await rebuilt('cat /sys/block/vda/size')).toBe(String((50 * GiB) / 512));
    expect((await user.describeInstance(a.id)).instance.systemDisk.cloudDisk!.diskId).toBe(diskId);

    // A second instance of the same image: its own clone of the same base.
    const b = await boot('root-b', 40);
    const bDisk = (await user.describeInstance(b.id)).instance.systemDisk.cloudDisk!.diskId;
    expect(await b.sh('cat /mnt/root/proof 2>/dev/null || echo none')).toBe('none');
    expect(poolImages()).toEqual([info.parent!.image]);

    for (const id of [a.id, b.id]) await user.deleteInstance(id);
    for (const id of [a.id, b.id]) await waitStatus(user, id, 'deleted', 120_000);
    for (const d of [diskId, bDisk]) {
      for (let i = 0; i < 300; i++) {
        if ((await statusOf(req('GET', `/disks/${d}`))) === 404) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await statusOf(req('GET', `/disks/${d}`))).toBe(404);
    }
    // Only the image's base is left in the pool, and no disk of the account.
    expect(rbd('ls', pool.pool).trim().split('\n')).toEqual(poolImages());
    expect((await req<{ totalCount: number }>('GET', '/disks')).totalCount).toBe(0);
  });

  test('createImage of a cloud system disk and a data disk: both come back in an instance launched from the image', async () => {
    const src = await boot('root-src', 40, cloud.images.tiny, [
      {
        diskCategory: 'cloud',
        cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20 },
        deviceName: 'vdd',
        autoDelete: true,
      },
    ]);
    const proof = `image-proof-${Date.now()}`;
    await src.sh(`echo ${proof} > /mnt/root/proof && sync`);
    const srcData = (await user.describeInstance(src.id)).instance.dataDisks[0]!.cloudDisk!.diskId;
    const pattern = `data-proof-${Date.now()}`;
    await src.sh(
      `printf '${pattern}' | dd of=/dev/$(${devOf(srcData)}) bs=512 count=1 conv=sync,fsync 2>/dev/null; sync`,
    );
    await user.stopInstance(src.id);
    await waitStatus(user, src.id, 'stopped', 120_000);
    // A whole-machine image: the data disk is snapshotted with it (JD's createImage default).
    const { imageId } = await user.createImage(src.id, { name: 'from-cloud-root', description: '' });
    let status = '';
    for (let i = 0; i < 600 && status !== 'ready'; i++) {
      status = (await req<{ image: { status: string } }>('GET', `/images/${imageId}`)).image.status;
      if (status === 'error') throw new Error('createImage failed');
      if (status !== 'ready') await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('ready');
    const { image } = await req<{
      image: {
        dataDisks: {
          deviceName: string;
          autoDelete: boolean;
          cloudDisk: { snapshotId: string; diskType: string; diskSizeGB: number };
        }[];
      };
    }>('GET', `/images/${imageId}`);
    expect(image.dataDisks).toEqual([
      {
        diskCategory: 'cloud',
        autoDelete: true,
        deviceName: 'vdd',
        status: 'detached',
        cloudDisk: { diskType: 'ssd', diskSizeGB: 20, snapshotId: expect.stringMatching(/^snapshot-/) },
      },
    ]);
    const snapshotId = image.dataDisks[0]!.cloudDisk.snapshotId;
    const { snapshot } = await req<{ snapshot: { status: string; diskId: string } }>(
      'GET',
      `/snapshots/${snapshotId}`,
    );
    expect(snapshot).toMatchObject({ status: 'available', diskId: srcData });
    // The image's snapshot is not deleted from under it; it cannot be shared (its data is the owner's).
    await expect(req('DELETE', `/snapshots/${snapshotId}`)).rejects.toMatchObject({
      httpStatus: 400,
      message: `Snapshot '${snapshotId}' belongs to image '${imageId}'; delete the image first`,
    });
    await expect(user.shareImage(imageId, ['roots'])).rejects.toMatchObject({
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
    });
    // Launched from it, on a cloud system disk of its own (a clone of the new image's base), with
    // a data disk made from the snapshot at the same device.
    const copy = await boot('root-copy', 40, imageId);
    expect(await copy.sh('cat /mnt/root/proof')).toBe(proof);
    const copyData = (await user.describeInstance(copy.id)).instance.dataDisks.find(
      (x) => x.deviceName === 'vdd',
    )!;
    expect(copyData.cloudDisk!.diskId).not.toBe(srcData);
    expect(
      await copy.sh(
        `dd if=/dev/$(${devOf(copyData.cloudDisk!.diskId)}) bs=${pattern.length} count=1 2>/dev/null`,
      ),
    ).toBe(pattern);
    const copyDisk = (await user.describeInstance(copy.id)).instance.systemDisk.cloudDisk!.diskId;
    const parent = (
      JSON.parse(rbd('info', '--format', 'json', `${pool.pool}/${copyDisk}`)) as { parent: { image: string } }
    ).parent.image;
    expect(poolImages()).toContain(parent);
    expect(poolImages()).toHaveLength(2);
    for (const id of [src.id, copy.id]) await user.deleteInstance(id);
    for (const id of [src.id, copy.id]) await waitStatus(user, id, 'deleted', 120_000);
    const bases = poolImages();
    await req('DELETE', `/images/${imageId}`);
    // The private image's base goes with it, once its last clone (the copy's root, deleted by the
    // storage worker after the instance) is gone too, whichever goes last; the public image's
    // base stays (an image still names it).
    const want = bases.filter((n) => n !== parent);
    for (let i = 0; i < 150 && poolImages().length !== want.length; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(poolImages()).toEqual(want);
    expect(poolImages()).toHaveLength(1);
    // With the image gone, its snapshot can go once the copy's disk made from it is deleted (with
    // the copy: autoDelete); the source's disk, kept while it had a snapshot, after it.
    const retried = async (path: string) => {
      for (let i = 0; ; i++) {
        const code = await statusOf(req('DELETE', path));
        if (code === 200 || i >= 150) return code;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    expect(await retried(`/snapshots/${snapshotId}`)).toBe(200);
    expect(await retried(`/disks/${srcData}`)).toBe(200);
  });
});
