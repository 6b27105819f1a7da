// The stop task of stopInstance: ACPI shutdown, forced after the configured grace period, unless
// the domain is already off.
import type { TaskDefinition } from '../steps.js';
import { onHost } from '../instance-spec.js';

export const stopInstance: TaskDefinition = {
  task: 'stop',
  steps: [
    {
      name: 'power-off',
      async run(ctx, run) {
        await onHost(ctx, run.inst, async (h) => {
          // Only a cleanly stopped domain is already done; a crashed one is powered off as before.
          if ((await h.state(run.inst.id)) === 'stopped') return;
          await h.powerOff(run.inst.id, { gracefulTimeoutMs: ctx.compute.stopTimeoutSeconds * 1000 });
        });
      },
    },
  ],
  done: () => ({ powerState: 'stopped' }),
};
