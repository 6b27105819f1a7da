// The image task of createImage: the stopped instance's root disk is flattened on its host into a
// standalone qcow2 (a cloud system disk: exported by its storage into one), streamed into the
// image store while hashing, and the pending image becomes `ready` with that object as its root
// (kernel and initrd, for direct-boot images, are the source image's) once the snapshots of a
// whole-machine image's data disks are available. Each step is idempotent: a re-flatten replaces
// a partial copy, a re-put of the same bytes stores nothing new, and only a `pending` image is
// settled. A failure marks the image `error` and leaves the instance `stopped`; the flattened copy
// is removed either way.
import { isHypervisorError, type ImageManifest } from '@kumo/hypervisor';
import { ensureSourceFilesInStore } from '../../compute/image-files.js';
import type { TaskContext } from '../context.js';
import type { TaskDefinition, TaskRun } from '../steps.js';
import { imageOf, onHost } from '../instance-spec.js';

/** The arguments createImage stores with the claim. */
export interface CreateImageArgs {
  imageId: string;
}

const argsOf = (run: TaskRun) => run.inst.taskArgs as unknown as CreateImageArgs;
// The export volume's tag: the image id without its `img-` prefix (lowercase letters and digits).
const tagOf = (run: TaskRun) => argsOf(run).imageId.replace(/^img-/, '');

const cloudRoot = async (ctx: TaskContext, run: TaskRun) =>
  (await ctx.disks.dataDisks(run.inst.id)).some((x) => x.system);

async function pendingImage(ctx: TaskContext, run: TaskRun) {
  const img = await ctx.inventory.image(argsOf(run).imageId);
  return img?.status === 'pending' ? img : undefined;
}

export const createImage: TaskDefinition = {
  task: 'image',
  steps: [
    {
      name: 'flatten',
      async run(ctx, run) {
        // Settled by an earlier run that died before removing its copy: only the removal is left.
        if (!(await pendingImage(ctx, run))) return { hop: 'discard' };
        // A cloud system disk is exported by its storage in the upload step.
        if (!(await cloudRoot(ctx, run)))
          await onHost(ctx, run.inst, (h) => h.flattenRoot(run.inst.id, tagOf(run)));
        await ctx.images.setProgress(argsOf(run).imageId, 10);
      },
    },
    {
      // A whole-machine image is ready only with its data disks' snapshots (taken by the storage
      // worker from the rows createImage wrote).
      name: 'snapshots',
      async run(ctx, run) {
        const image = await pendingImage(ctx, run);
        if (!image) return { hop: 'discard' };
        const ids = image.dataDisks.flatMap((x) => (x.snapshotId ? [x.snapshotId] : []));
        if (ids.length > 0) await ctx.disks.snapshotsReady(ids);
      },
    },
    {
      name: 'upload',
      async run(ctx, run) {
        const image = await pendingImage(ctx, run);
        if (!image) return { hop: 'discard' };
        const source = await imageOf(ctx, run.inst.imageId);
        const base = source.manifest as ImageManifest;
        await ensureSourceFilesInStore(source, ctx.imageStore);
        // The copy's size is known only once it is written; the disk's size bounds it for progress.
        const bound = run.inst.systemDiskGB * 2 ** 30;
        const expect = {
          onProgress: (n: number) =>
            void ctx.images.setProgress(image.id, 10 + (89 * n) / bound).catch(() => undefined),
        };
        const exported = await ctx.disks.exportRoot(run.inst.id);
        const stored = exported
          ? await ctx.imageStore.put(exported, expect)
          : await onHost(ctx, run.inst, async (h) =>
              ctx.imageStore.put(await h.readFlattened(run.inst.id, tagOf(run)), expect),
            );
        const manifest: ImageManifest = {
          ...base,
          // The host cache is keyed by name and root hash; the image id is a valid, unique name.
          name: image.id,
          minDiskBytes: Math.max(base.minDiskBytes, bound),
          files: { ...base.files, root: { path: 'root.qcow2', sha256: stored.sha256, bytes: stored.bytes } },
        };
        const extra = (base.files.kernel?.bytes ?? 0) + (base.files.initrd?.bytes ?? 0);
        await ctx.images.settle(image.id, { status: 'ready', manifest, sizeBytes: stored.bytes + extra });
      },
    },
    {
      name: 'discard',
      async run(ctx, run) {
        try {
          await onHost(ctx, run.inst, (h) => h.removeFlattened(run.inst.id, tagOf(run)));
        } catch (err) {
          // A host that does not answer is retried by the runner; anything else leaves a copy that
          // deleting the instance removes (it is named after it), so the image's outcome stands.
          if (isHypervisorError(err, 'HOST_UNAVAILABLE')) throw err;
          ctx.log.warn({ instanceId: run.inst.id, err }, 'could not remove the flattened root disk');
        }
      },
    },
  ],
  async recover(ctx, run, err) {
    const reason = err.message;
    ctx.log.warn({ instanceId: run.inst.id, imageId: argsOf(run).imageId, err }, 'createImage failed');
    await ctx.images.settle(argsOf(run).imageId, { status: 'error', reason: reason.slice(0, 300) });
    return { hop: 'discard' };
  },
};
