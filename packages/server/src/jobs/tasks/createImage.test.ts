// The createImage task on a fake host and an in-memory store: the flattened root lands in the
// store under its hash and the image becomes ready with it; a re-run after a crash does nothing
// twice; a failure marks the image `error`, leaves the instance stopped and removes the copy.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, test } from '@jest/globals';
import { HypervisorError, type ImageManifest } from '@kumo/hypervisor';
import type { ImageRecord } from '@kumo/store';
import { fakeContext, FakeHosts, FakeLease, sampleImage, sampleInstance } from '../../testing/fake-tasks.js';
import { MemoryImageStore } from '../../testing/memory-image-store.js';
import { runTask } from '../steps.js';
import type { TaskContext } from '../context.js';
import { TASKS } from './index.js';

const OWNER = 'kumod-1';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function setup(taskStep: string | null = null) {
  const store = new MemoryImageStore();
  const base = Buffer.from('the base image');
  await store.put(Readable.from([base]));
  const manifest = sampleImage().manifest as ImageManifest;
  const source = sampleImage({
    manifest: { ...manifest, files: { root: { path: 'root.qcow2', bytes: base.length, sha256: sha(base) } } },
  });
  const images = new Map<string, ImageRecord>([
    [source.id, source],
    [
      'img-bbbbbbbbbbbb',
      sampleImage({ id: 'img-bbbbbbbbbbbb', status: 'pending', progress: 0, imageSource: 'private' }),
    ],
  ]);
  const hosts = new FakeHosts(['host-a']);
  const inst = sampleInstance({
    hostId: 'host-a',
    task: 'image',
    status: 'stopped',
    powerState: 'stopped',
    taskStep,
    taskArgs: { imageId: 'img-bbbbbbbbbbbb' },
  });
  const host = hosts.host('host-a');
  host.instances.set(inst.id, 'stopped');
  host.rootBytes.set(inst.id, Buffer.from('the guest wrote this'));
  const lease = new FakeLease(inst, OWNER);
  const base_ = fakeContext({ hosts, lease }).ctx;
  const ctx: TaskContext = {
    ...base_,
    imageStore: store,
    inventory: { ...base_.inventory, image: async (id) => images.get(id) },
    images: {
      setProgress: async (id, progress) => {
        const i = images.get(id)!;
        if (i.status === 'pending') images.set(id, { ...i, progress });
      },
      settle: async (id, o) => {
        const i = images.get(id)!;
        if (i.status !== 'pending') return false;
        images.set(
          id,
          o.status === 'ready'
            ? { ...i, status: 'ready', manifest: o.manifest, sizeBytes: o.sizeBytes, progress: 100 }
            : { ...i, status: 'error', errorReason: o.reason },
        );
        return true;
      },
    },
  };
  return { ctx, lease, host, inst, store, images };
}

test('the flattened root goes into the store and the image is ready with it; the copy is removed', async () => {
  const s = await setup();
  const r = await runTask(TASKS.image, s.ctx, s.lease, s.inst, OWNER);
  expect(r).toEqual({ kind: 'done' });
  const img = s.images.get('img-bbbbbbbbbbbb')!;
  const want = Buffer.from('the guest wrote this');
  expect(img).toMatchObject({ status: 'ready', progress: 100, sizeBytes: want.length });
  const m = img.manifest as ImageManifest;
  expect(m.files.root).toEqual({ path: 'root.qcow2', bytes: want.length, sha256: sha(want) });
  expect(m.name).toBe('img-bbbbbbbbbbbb');
  expect(s.store.objects.get(sha(want))?.equals(want)).toBe(true);
  expect(s.host.exports.size).toBe(0);
  expect(s.lease.row).toMatchObject({ status: 'stopped', task: null });
  expect(s.lease.steps).toEqual(['flatten', 'snapshots', 'upload', 'discard']);
});

test('a run resumed after the image was settled only removes the copy', async () => {
  const s = await setup('upload');
  s.images.set('img-bbbbbbbbbbbb', { ...s.images.get('img-bbbbbbbbbbbb')!, status: 'ready' });
  s.host.exports.set(`${s.inst.id}:bbbbbbbbbbbb`, Buffer.from('left by the crashed run'));
  await runTask(TASKS.image, s.ctx, s.lease, s.inst, OWNER);
  expect(s.host.calls.filter((c) => c.startsWith('flattenRoot') || c.startsWith('readFlattened'))).toEqual(
    [],
  );
  expect(s.host.exports.size).toBe(0);
  expect(s.store.objects.size).toBe(1); // only the base
});

test('a host refusal marks the image error, keeps the instance stopped and leaves no copy', async () => {
  const s = await setup();
  s.host.failNext('readFlattened', new HypervisorError('HOST_ERROR', 'disk read failed'));
  const r = await runTask(TASKS.image, s.ctx, s.lease, s.inst, OWNER);
  expect(r).toEqual({ kind: 'done' });
  expect(s.images.get('img-bbbbbbbbbbbb')).toMatchObject({
    status: 'error',
    errorReason: 'disk read failed',
  });
  expect(s.lease.row).toMatchObject({ status: 'stopped', task: null });
  expect(s.host.exports.size).toBe(0);
  expect(s.store.objects.size).toBe(1);
});
