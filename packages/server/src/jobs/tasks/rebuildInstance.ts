// The rebuild task of rebuildInstance: the image on the host, then a new root disk (a new overlay,
// or a cloud system disk cloned again from the image) and seed for the stopped domain; the instance then records the image, keys and password it was rebuilt with.
// An instance of the NAT era moves onto the network plane first (its new seed names its port's MTU).
import type { TaskDefinition, TaskRun } from '../steps.js';
import { buildSpec, imageOf, onHost } from '../instance-spec.js';
import { adoptNetworkStep } from './adopt-network.js';

/** The arguments rebuildInstance stores with the claim. */
export interface RebuildArgs {
  imageId: string;
  keyNames: string[];
  passwordHash: string;
}

const argsOf = (run: TaskRun) => run.inst.taskArgs as unknown as RebuildArgs;

async function specOf(ctx: Parameters<TaskDefinition['steps'][number]['run']>[0], run: TaskRun) {
  const a = argsOf(run);
  const image = await imageOf(ctx, a.imageId);
  return {
    image,
    ...(await buildSpec(ctx, run.inst, image, { keyNames: a.keyNames, passwordHash: a.passwordHash })),
  };
}

export const rebuildInstance: TaskDefinition = {
  task: 'rebuild',
  steps: [
    adoptNetworkStep,
    {
      name: 'image',
      async run(ctx, run) {
        const { image, spec, files } = await specOf(ctx, run);
        await onHost(ctx, run.inst, (h) =>
          ctx.locks.locked(`${run.inst.hostId}:image:${image.id}`, () => h.ensureImage(spec.image, files)),
        );
      },
    },
    {
      // A cloud system disk is the storage plane's: made again from the image before the domain
      // gets its new seed and boot block (the host keeps the disk's device as it is).
      name: 'reimage-root',
      async run(ctx, run) {
        await ctx.disks.reimageRoot(run.inst.id, argsOf(run).imageId);
      },
    },
    {
      // Not skippable by a check: a half-done rebuild looks like a finished one from outside, and
      // the hypervisor's rebuild converges when re-run.
      name: 'rebuild-domain',
      async run(ctx, run) {
        const { spec } = await specOf(ctx, run);
        await onHost(ctx, run.inst, (h) => h.rebuild(run.inst.id, spec));
      },
    },
  ],
  done: (run) => {
    const a = argsOf(run);
    return {
      imageId: a.imageId,
      keyNames: a.keyNames,
      passwordHash: a.passwordHash,
      pendingPasswordHash: null,
    };
  },
};
