// The admin's evacuate: an instance of a host that is down (or cut off from the control plane)
// comes up on another host of its AZ from its shared disks, as Nova's evacuate does. First every
// client that still has its rbd disks open is fenced off (the old host's QEMU may run on: a cut-
// off host is not a stopped one, and two guests writing one disk would corrupt it); then the
// instance's claim moves to another host; then the spawn's own steps make it there (image files,
// port on the new chassis, domain with the cloud root, data disks, link). The old host's domain
// and seed are removed by the reconciler when it answers again, since no row places the
// instance there any more. Every step re-checks its postcondition, so a re-run converges.
import type { TaskDefinition } from '../steps.js';
import { createInstances } from './createInstances.js';

/** What the service writes with the claim: the host the instance is leaving (null: none). */
export interface EvacuateArgs {
  fromHost: string | null;
  /** The host the admin asked for, and the other hosts of the AZ placement passes over for it. */
  toHost?: string;
  passOver?: string[];
}

export const evacuateInstance: TaskDefinition = {
  task: 'evacuate',
  steps: [
    {
      name: 'fence',
      async run(ctx, run) {
        const fenced = await ctx.disks.fenceAll(run.inst.id);
        if (fenced.length > 0)
          ctx.log.warn({ instanceId: run.inst.id, fenced }, 'evacuate fenced the clients of its disks');
      },
    },
    {
      name: 'relocate',
      async run(ctx, run) {
        const { fromHost, toHost, passOver = [] } = (run.inst.taskArgs ?? {}) as Partial<EvacuateArgs>;
        // Moved already (a re-run after a crash): the spawn steps take it from here.
        if (run.inst.hostId !== (fromHost ?? null)) return;
        // A fresh count of hosts tried: the spawns of its past do not limit where it may go now.
        const moved = await ctx.placement.moveToAnotherHost(
          { ...run.inst, spawnAttempts: 0 },
          [...(fromHost ? [fromHost] : []), ...passOver],
          run,
        );
        if (moved === 'fenced') return { fail: 'evacuate was preempted' };
        if (moved === 'exhausted')
          return {
            fail: toHost ? `host ${toHost} has no room` : `no other host of AZ ${run.inst.az} has room`,
            patch: { powerState: 'absent', hostId: null },
          };
        run.inst = moved;
      },
    },
    ...createInstances.steps,
  ],
  done: () => ({ powerState: 'running', errorReason: null }),
  recover: createInstances.recover!,
  fenced: createInstances.fenced!,
};
