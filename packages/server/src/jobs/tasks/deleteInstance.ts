// The delete task of deleteInstance: the host forgets the instance (domain and volumes), then the
// engine releases its claim and removes its row in one transaction. Preempts a pending spawn.
import type { TaskDefinition } from '../steps.js';
import { onHost } from '../instance-spec.js';

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
  ],
};
