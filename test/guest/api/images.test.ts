// The image lifecycle with real guests: a file written to a running instance's root disk is found
// in an instance launched from an image made of it, by another account it was shared with (its own
// hostname, address and key); sharing, unsharing and deleting follow JD's rules. kumod is killed
// (SIGKILL) inside createImage's host steps and a restarted kumod converges: the image becomes
// ready, the instance stays stopped, no flattened copy is left on the host. copyImages takes an
// image into a second region (a host registered there) and an instance boots from the copy. An
// image imported from a URL (importImage) reaches the host byte for byte and backs the root disk
// of an instance launched from it.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { KumoClient } from '@kumo/client';
import { buildImage } from '../../../packages/hypervisor/test/support.js';
import { startTestHost, stopAllTestHosts } from '../../support/hosts.js';
import { clientFor, startKumod, type KumodProcess } from '../../support/kumod.js';
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

jest.setTimeout(20 * 60_000);

let cloud: GuestCloud;
let user: KumoClient;
let keys: { accessKey: string; secretKey: string };
let key: string;
// One image store for every kumod of this file, as one control plane has (each kumod here gets its
// own data directory).
const store = mkdtempSync(join(tmpdir(), 'kimg-store-'));

beforeAll(async () => {
  cloud = await startGuestCloud('kimgapi', '10.218', {
    // importImage reads from this test's loopback file server.
    env: {
      KUMO_TASK_STALE_SECONDS: '10',
      KUMO_IMAGE_STORE_DIR: store,
      KUMO_IMAGE_IMPORT_ALLOW_CIDRS: '127.0.0.0/8',
    },
  });
  keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'imager' } });
  user = clientFor(cloud.kumod.endpoint, keys);
  key = opensshPrivateKey((await user.createKeypair('img-key')).privateKey);
});

afterAll(async () => {
  await cloud?.cleanup();
  await stopAllTestHosts();
  rmSync(store, { recursive: true, force: true });
});

function died(k: KumodProcess, ms: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (k.child.exitCode !== null || k.child.signalCode !== null) return resolve(k.child.signalCode);
    const t = setTimeout(() => reject(new Error(`kumod did not crash within ${ms} ms`)), ms);
    k.child.once('exit', (_code, signal) => {
      clearTimeout(t);
      resolve(signal);
    });
  });
}

async function waitImage(c: KumoClient, id: string, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const { image } = await c.describeImage(id);
    const s = `${image.status}:${image.progress}`;
    if (seen[seen.length - 1] !== s) seen.push(s);
    if (image.status === 'ready') return seen;
    if (image.status === 'error') throw new Error(`image ${id} failed; seen ${seen.join(' → ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`image ${id} not ready in ${timeoutMs} ms; seen ${seen.join(' → ')}`);
}

const exportsOnHost = () =>
  virsh('vol-list', `${cloud.prefix}pool`)
    .split('\n')
    .filter((l) => l.includes('-export-'));

async function launch(
  c: KumoClient,
  name: string,
  imageId?: string,
  sshKey = key,
): Promise<{ id: string; ip: string }> {
  const { instanceIds } = await c.createInstances(
    tinyInstance(cloud, name, { keyNames: ['img-key'], elasticIp: EIP, ...(imageId ? { imageId } : {}) }),
  );
  const id = instanceIds[0]!;
  await waitStatus(c, id, 'running', 180_000);
  const ip = await loginIp(c, id);
  await waitSsh(ip, 'root', sshKey, 120_000);
  return { id, ip };
}

async function stop(c: KumoClient, id: string): Promise<void> {
  await c.stopInstance(id);
  await waitStatus(c, id, 'stopped', 120_000);
}

test('a file written inside an instance is in an instance launched from its image', async () => {
  const src = await launch(user, 'img-src');
  const proof = `kimg-${Date.now()}`;
  await sshExec(src.ip, 'root', key, `echo ${proof} > /mnt/root/proof && sync`, 15_000);

  // Refused while it runs, with JD's message; nothing is created.
  await expect(user.createImage(src.id, { name: 'too-soon', description: '' })).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: "Invalid instance status 'running'",
  });
  expect((await user.describeImages({ imageSource: 'private' })).totalCount).toBe(0);

  await stop(user, src.id);
  const { imageId } = await user.createImage(src.id, { name: 'with-proof', description: 'made by a test' });
  const first = await user.describeImage(imageId);
  expect(first.image).toMatchObject({ status: 'pending', imageSource: 'private', name: 'with-proof' });
  // While the copy is made, the instance takes no other task.
  await expect(user.startInstance(src.id)).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
  await waitImage(user, imageId, 180_000);
  const { image } = await user.describeImage(imageId);
  expect(image).toMatchObject({
    status: 'ready',
    progress: '100',
    desc: 'made by a test',
    platform: (await user.describeImage(cloud.images.tiny)).image.platform,
  });
  expect(image.sizeMB).toBeGreaterThan(0);
  expect((await user.describeInstance(src.id)).instance.status).toBe('stopped');
  expect(exportsOnHost()).toEqual([]);
  // Another account does not see it until it is shared with it (Kumo's pin: the account name).
  const otherKeys = await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>(
    'POST',
    '/accounts',
    { body: { name: 'stranger' } },
  );
  const other = clientFor(cloud.kumod.endpoint, otherKeys);
  await expect(other.describeImage(imageId)).rejects.toMatchObject({ httpStatus: 404 });
  expect(await user.describeImageMembers(imageId)).toEqual({ pins: [] });
  await expect(user.shareImage(imageId, ['stranger', 'nobody-here'])).rejects.toMatchObject({
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: "Invalid parameter pins: unknown pin 'nobody-here'",
  });
  expect(await user.describeImageMembers(imageId)).toEqual({ pins: [] });
  await expect(user.shareImage(cloud.images.tiny, ['stranger'])).rejects.toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  await user.shareImage(imageId, ['stranger']);
  expect(await user.describeImageMembers(imageId)).toEqual({ pins: ['stranger'] });
  const quotas = await user.request<{ quotas: { resourceType: string; used: number }[] }>(
    'GET',
    `/v1/regions/local-1/quotas`,
    { query: { imageId } },
  );
  expect(quotas.quotas.find((q) => q.resourceType === 'imageShare')?.used).toBe(1);
  expect(quotas.quotas.find((q) => q.resourceType === 'image')?.used).toBe(1);
  const seen = await other.describeImages({ imageSource: 'shared' });
  expect(seen.images.map((i) => [i.imageId, i.imageSource])).toEqual([[imageId, 'shared']]);
  // The member may launch it but not change, share on or delete it; the owner cannot delete it
  // while it is shared.
  await expect(other.modifyImageAttribute(imageId, { name: 'mine-now' })).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
  });
  await expect(other.deleteImage(imageId)).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
  await expect(other.shareImage(imageId, ['imager'])).rejects.toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  await expect(user.deleteImage(imageId)).rejects.toMatchObject({
    status: 'FAILED_PRECONDITION',
    message: `Image '${imageId}' is shared with other accounts; unshare it first`,
  });
  // copyImages to a region this installation does not serve is JD's 404.
  await expect(
    user.copyImages({ sourceImageIds: [imageId], destinationRegion: 'cn-east-9' }),
  ).rejects.toMatchObject({ httpStatus: 404 });

  const otherKey = opensshPrivateKey((await other.createKeypair('img-key')).privateKey);
  const copy = await launch(other, 'img-copy', imageId, otherKey);
  const sh = (cmd: string) => sshExec(copy.ip, 'root', otherKey, cmd, 15_000).then((x) => x.trim());
  expect(await sh('cat /mnt/root/proof')).toBe(proof);
  // Its own identity, not the source's: hostname, address and the member's key.
  expect(await sh('hostname')).toBe('img-copy');
  expect(copy.ip).not.toBe(src.ip);

  // Unsharing hides it from the member at once; its instance keeps running on it.
  await user.unShareImage(imageId, ['stranger']);
  await expect(other.describeImage(imageId)).rejects.toMatchObject({ httpStatus: 404 });
  expect((await other.describeImages({ imageSource: 'shared' })).totalCount).toBe(0);
  // In use by an instance: refused, with JD's envelope.
  await expect(user.deleteImage(imageId)).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: `Image '${imageId}' is in use by instances`,
  });
  await other.deleteInstance(copy.id);
  await waitStatus(other, copy.id, 'deleted', 120_000);
  await user.deleteImage(imageId);
  await expect(user.describeImage(imageId)).rejects.toMatchObject({ httpStatus: 404 });
  await user.deleteInstance(src.id);
  await waitStatus(user, src.id, 'deleted', 120_000);
});

test.each(['flatten-root', 'read-export'])(
  'createImage killed at host step %s converges to a ready image with no copy left',
  async (step) => {
    user = clientFor(cloud.kumod.endpoint, keys);
    const src = await launch(user, `crash-${step}`);
    await stop(user, src.id);
    // From here on exactly one kumod runs, so the one that crashes is the one working.
    await cloud.kumod.stop();
    const crashing = await startKumod(
      { ...cloud.env, KUMO_TEST_CRASH_AT: step },
      {
        adminCredentials: cloud.kumod.credentials,
      },
    );
    const c1 = clientFor(crashing.endpoint, keys);
    const { imageId } = await c1.createImage(src.id, { name: `crash-${step}`, description: '' });
    expect(await died(crashing, 120_000)).toBe('SIGKILL');

    const healer = await startKumod(cloud.env, { adminCredentials: cloud.kumod.credentials });
    try {
      const c2 = clientFor(healer.endpoint, keys);
      await waitImage(c2, imageId, 240_000);
      expect((await c2.describeInstance(src.id)).instance.status).toBe('stopped');
      // The runner removes the copy after settling the image: wait for the task to finish.
      await waitStatus(c2, src.id, 'stopped', 60_000);
      const deadline = Date.now() + 60_000;
      while (exportsOnHost().length > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
      expect(exportsOnHost()).toEqual([]);
      await c2.startInstance(src.id);
      await waitStatus(c2, src.id, 'running', 120_000);
    } finally {
      await healer.stop();
      // The restarted kumod listens elsewhere: later tests reach it through cloud.kumod.
      cloud.kumod = await startKumod(cloud.env, { adminCredentials: cloud.kumod.credentials });
    }
  },
);

test('copyImages into a second region served by the same kumod, and a launch from the copy there', async () => {
  user = clientFor(cloud.kumod.endpoint, keys);
  const src = await launch(user, 'copy-src');
  await stop(user, src.id);
  const { imageId } = await user.createImage(src.id, { name: 'to-copy', description: 'travels' });
  await waitImage(user, imageId, 180_000);
  // A host in region local-2 makes it a region this installation serves.
  const h = await startTestHost('kimg2');
  await cloud.kumod.admin().adminRequest('POST', '/hosts', {
    body: {
      name: 'kimg2',
      uri: h.uri,
      regionId: 'local-2',
      az: 'local-2a',
      poolPath: h.poolPath,
      accelerator: 'qemu',
      memoryRatio: 1,
      diskRatio: 20,
    },
  });
  const { copyImages } = await user.copyImages({ sourceImageIds: [imageId], destinationRegion: 'local-2' });
  expect(copyImages).toEqual([
    { sourceImageId: imageId, destinationImageId: expect.stringMatching(/^img-/) },
  ]);
  const there = clientFor(cloud.kumod.endpoint, keys, 'local-2');
  const copyId = copyImages[0]!.destinationImageId;
  // Each kumod learns of a new host's region within 5 s for requests signed for it.
  const deadline = Date.now() + 15_000;
  while (
    Date.now() < deadline &&
    !(await there.describeImage(copyId).then(
      () => true,
      () => false,
    ))
  )
    await new Promise((r) => setTimeout(r, 500));
  expect((await there.describeImage(copyId)).image).toMatchObject({
    status: 'ready',
    imageSource: 'private',
    name: 'to-copy',
    desc: 'travels',
  });
  // The source region does not list the copy; the copy region does not list the source.
  await expect(user.describeImage(copyId)).rejects.toMatchObject({ httpStatus: 404 });
  await expect(there.describeImage(imageId)).rejects.toMatchObject({ httpStatus: 404 });
  const { instanceIds } = await there.createInstances(
    tinyInstance(cloud, 'in-local-2', { az: 'local-2a', imageId: copyId }),
  );
  await waitStatus(there, instanceIds[0]!, 'running', 240_000);
  await there.deleteInstance(instanceIds[0]!);
  await waitStatus(there, instanceIds[0]!, 'deleted', 120_000);
  await user.deleteInstance(src.id);
  await waitStatus(user, src.id, 'deleted', 120_000);
});

test('importImage: the file at the URL reaches the host byte for byte and backs the root disk of an instance', async () => {
  user = clientFor(cloud.kumod.endpoint, keys);
  // A qcow2 as a user would publish it: the tiny image's root disk, served over loopback.
  const tiny = await buildImage('tiny');
  const manifest = JSON.parse(readFileSync(join(tiny.dir, 'manifest.json'), 'utf8')) as {
    files: { root: { path: string } };
  };
  const file = join(tiny.dir, manifest.files.root.path);
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { imageId, taskId } = await user.importImage({
      architecture: 'x86_64',
      osType: 'linux',
      platform: 'Other Linux',
      diskFormat: 'qcow2',
      systemDiskSizeGB: 40,
      imageUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/root.qcow2`,
      imageName: 'from-url',
    });
    const deadline = Date.now() + 120_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await user.imageTasks({ taskIds: taskId })).taskSet[0]?.taskStatus ?? '';
      if (status === 'finished' || status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('finished');
    expect((await user.describeImage(imageId)).image).toMatchObject({
      status: 'ready',
      imageSource: 'private',
    });

    const { instanceIds } = await user.createInstances(tinyInstance(cloud, 'from-url', { imageId }));
    const id = instanceIds[0]!;
    await waitStatus(user, id, 'running', 240_000);
    // On the host: the image's root volume holds exactly the served bytes, and the instance's root
    // disk is an overlay on it. (It boots by firmware, as imported cloud images do; the tiny root
    // has no boot loader, and no bootable cloud image can be fetched on these machines.)
    const pool = `${cloud.prefix}pool`;
    const base = virsh('vol-list', pool)
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find(([name]) => name?.endsWith(`img-${imageId}-${sha.slice(0, 12)}.root`));
    expect(base).toBeDefined();
    expect(createHash('sha256').update(readFileSync(base![1]!)).digest('hex')).toBe(sha);
    const domain = virsh('dumpxml', `${cloud.prefix}${id}`);
    const rootSource = /<disk type='file' device='disk'>[\s\S]*?<source file='([^']+)'/.exec(domain)?.[1];
    expect(virsh('vol-dumpxml', '--pool', pool, rootSource!.split('/').pop()!)).toContain(
      `<path>${base![1]}</path>`,
    );
    await user.deleteInstance(id);
    await waitStatus(user, id, 'deleted', 120_000);
  } finally {
    server.close();
  }
});
