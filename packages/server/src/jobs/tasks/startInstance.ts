// The start task of startInstance: power the domain on unless it already runs.
import type { TaskDefinition } from '../steps.js';
import { onHost } from '../instance-spec.js';

export const startInstance: TaskDefinition = {
  task: 'start',
  steps: [
    {
      name: 'power-on',
      async run(ctx, run) {
        await onHost(ctx, run.inst, async (h) => {
          if ((await h.state(run.inst.id)) === 'running') return;
          await h.powerOn(run.inst.id);
        });
      },
    },
  ],
  done: () => ({ powerState: 'running' }),
};
