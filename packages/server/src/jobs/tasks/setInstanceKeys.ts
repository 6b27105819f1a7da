// The keys task (Tencent's AssociateInstancesKeyPairs and DisassociateInstancesKeyPairs): the
// domain powered off when it runs (ForceStop), then a new seed with the instance's new keys in
// place of the old one; the guest installs them at its next boot (see the hypervisor's seed). The
// instance then records the keys. Both steps check their own end state, so a re-run converges.
import type { TaskDefinition, TaskRun } from '../steps.js';
import { buildSpec, imageOf, onHost } from '../instance-spec.js';
import { adoptNetworkStep } from './adopt-network.js';
import { powerOffStep } from './power-steps.js';

/** The arguments the keys operations store with the claim. */
export interface KeysArgs {
  keyNames: string[];
}

const argsOf = (run: TaskRun) => run.inst.taskArgs as unknown as KeysArgs;

export const setInstanceKeys: TaskDefinition = {
  task: 'keys',
  steps: [
    powerOffStep,
    adoptNetworkStep,
    {
      name: 'reseed',
      async run(ctx, run) {
        const image = await imageOf(ctx, run.inst.imageId);
        const { spec } = await buildSpec(ctx, run.inst, image, { keyNames: argsOf(run).keyNames });
        await onHost(ctx, run.inst, (h) => h.reseed(run.inst.id, spec));
      },
    },
  ],
  done: (run) => ({ keyNames: argsOf(run).keyNames, powerState: 'stopped' }),
};
