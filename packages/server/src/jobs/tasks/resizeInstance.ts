// The resize task of resizeInstance: the new size was claimed on the same host by the service
// before the task was queued; this changes the stopped domain's vCPUs and memory and records the
// new type. The status precondition is the lifecycle table's, checked by the claim.
import { memoryMiBFromMB } from '../../compute/units.js';
import type { TaskDefinition, TaskRun } from '../steps.js';
import { onHost } from '../instance-spec.js';

/** The arguments resizeInstance stores with the claim. */
export interface ResizeArgs {
  instanceType: string;
  vcpus: number;
  memoryMB: number;
  nestedVirt: boolean;
}

const argsOf = (run: TaskRun) => run.inst.taskArgs as unknown as ResizeArgs;

export const resizeInstance: TaskDefinition = {
  task: 'resize',
  steps: [
    {
      name: 'resize-domain',
      async run(ctx, run) {
        const a = argsOf(run);
        await onHost(ctx, run.inst, (h) =>
          h.resize(run.inst.id, {
            vcpus: a.vcpus,
            memoryMiB: memoryMiBFromMB(a.memoryMB),
            nested: a.nestedVirt,
          }),
        );
      },
    },
  ],
  done: (run) => {
    const a = argsOf(run);
    return { instanceType: a.instanceType, vcpus: a.vcpus, memoryMB: a.memoryMB, nestedVirt: a.nestedVirt };
  },
};
