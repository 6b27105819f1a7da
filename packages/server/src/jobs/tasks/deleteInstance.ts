// The delete task of deleteInstance: the host forgets the instance (domain and volumes), then the
// engine releases its claim and removes its row in one transaction. Preempts a pending spawn.
// The last instance of the NAT era on a host to go takes its libvirt NAT network with it.
import type { TaskDefinition } from '../steps.js';
import { onHost } from '../instance-spec.js';
import { leaveNatNetwork } from './adopt-network.js';

export const deleteInstance: TaskDefinition = {
  task: 'delete',
  steps: [
    {
      name: 'destroy',
      async run(ctx, run) {
        if (!run.inst.hostId) return;
        await onHost(ctx, run.inst, (h) => h.destroy(run.inst.id));
      },
    },
    {
      name: 'leave-nat-network',
      async run(ctx, run) {
        if (!run.inst.natEra || !run.inst.hostId) return;
        const shared = await ctx.natEra.sharedSubnetOf(run.inst);
        if (!shared) return;
        await onHost(ctx, run.inst, (h) => leaveNatNetwork(ctx, run.inst, shared, h, async () => {}));
      },
    },
  ],
};
