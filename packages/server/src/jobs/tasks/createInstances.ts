// The spawn task of createInstances: image on the host, the instance's port in the network plane,
// its cloud data disks made, the domain (only defined when it has data disks, which join the
// definition before the first boot, so the guest finds them as it comes up), then the port up; a host that fails the spawn is left for another (bounded by the
// spawn attempts). A spawn that a delete preempted removes what it made on its host, since the
// delete may have looked already.
import { isHypervisorError } from '@kumo/hypervisor';
import type { TaskDefinition } from '../steps.js';
import { imageFiles } from '../../compute/image-files.js';
import { buildSpec, imageOf, onHost } from '../instance-spec.js';
import { adoptNetworkStep } from './adopt-network.js';
import { linkStep } from './power-steps.js';

/** Hosts this run already failed on (the next placement avoids them). */
const tried = (scratch: Record<string, unknown>): string[] => (scratch.failedHosts ??= []) as string[];

export const createInstances: TaskDefinition = {
  task: 'spawn',
  steps: [
    {
      // Several kumod processes may prepare the same host at once: one at a time per image.
      name: 'image',
      async run(ctx, run) {
        const image = await imageOf(ctx, run.inst.imageId);
        const { manifest, files } = await imageFiles(image, ctx.imageStore);
        await onHost(ctx, run.inst, (h) =>
          ctx.locks.locked(`${run.inst.hostId}:image:${image.id}`, () => h.ensureImage(manifest, files)),
        );
      },
    },
    {
      // The primary interface's port in the plane (the converger makes it from the row written
      // with the instance). A spawn of the NAT era an upgrade interrupted moves onto the plane.
      name: 'network',
      async run(ctx, run) {
        if (run.inst.natEra) {
          // Its fresh disk holds nothing of the user's yet: start the domain over, on the plane.
          await onHost(ctx, run.inst, (h) => h.destroy(run.inst.id));
          return adoptNetworkStep.run(ctx, run);
        }
        const [primary] = await ctx.network.interfaces(run.inst.id);
        if (!primary) throw new Error(`instance ${run.inst.id} has no network interface`);
        await ctx.network.converged(primary.id);
      },
    },
    {
      // The storage worker makes the volumes the create wrote; a failed one fails the spawn.
      name: 'disks',
      run: (ctx, run) => ctx.disks.created(run.inst.id),
    },
    {
      name: 'domain',
      async run(ctx, run) {
        const image = await imageOf(ctx, run.inst.imageId);
        const { spec } = await buildSpec(ctx, run.inst, image);
        // A cloud system disk is in the definition; data disks join it before the first boot.
        const start = (await ctx.disks.dataDisks(run.inst.id)).every((x) => x.system);
        await onHost(ctx, run.inst, async (h) => {
          if ((await h.state(run.inst.id)) === 'running') return;
          await h.spawn(spec, { start });
        });
      },
    },
    {
      name: 'attach-disks',
      async run(ctx, run) {
        const disks = await ctx.disks.dataDisks(run.inst.id);
        if (disks.length === 0) return;
        const hostId = run.inst.hostId;
        if (!hostId) throw new Error(`instance ${run.inst.id} is on no host`);
        // Marks a cloud system disk attached too (it is already in the definition).
        await ctx.disks.attachAll(run.inst.id, hostId);
        if (disks.some((x) => !x.system)) await onHost(ctx, run.inst, (h) => h.powerOn(run.inst.id));
      },
    },
    linkStep,
  ],
  done: () => ({ powerState: 'running', launchTime: new Date(), errorReason: null }),
  async recover(ctx, run, err) {
    const hostId = run.inst.hostId;
    ctx.log.warn({ instanceId: run.inst.id, hostId, err }, 'spawn failed on host');
    // A spec the host refused as invalid would be refused by every host: fail now, no retries
    // (the claim stays with the instance until it is deleted, like any failed task's).
    if (isHypervisorError(err, 'INVALID_ARGUMENT')) return { fail: err.message };
    // Local data disks live on this host: the instance stays with them. A disk that could not be
    // made would not be on another host either.
    if ((await ctx.disks.dataDisks(run.inst.id)).some((x) => x.local || x.failed))
      return { fail: err.message };
    if (hostId) tried(run.scratch).push(hostId);
    const moved = await ctx.placement.moveToAnotherHost(run.inst, tried(run.scratch), run);
    if (moved === 'fenced') return { fail: err.message };
    if (moved === 'exhausted') return { fail: err.message, patch: { powerState: 'absent', hostId: null } };
    run.inst = moved;
    return { hop: 'image' };
  },
  async fenced(ctx, run) {
    const hostId = run.inst.hostId;
    if (!hostId) return;
    const now = await ctx.inventory.instance(run.inst.id);
    // Only a delete takes an instance from its spawn; anything else (a takeover by another
    // worker of the same spawn) owns the host work and must be left alone.
    if (now && now.task !== 'delete') return;
    try {
      await ctx.hosts.with(hostId, (h) => h.destroy(run.inst.id));
    } catch (err) {
      // The reconciler removes domains no row owns; this only makes that sooner.
      if (!isHypervisorError(err, 'HOST_UNAVAILABLE')) throw err;
    }
  },
};
