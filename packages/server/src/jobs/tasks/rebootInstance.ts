// The reboot task of rebootInstance. A reboot leaves nothing to check afterwards, so a re-run
// after a takeover reboots once more, which is harmless. A password set with
// modifyInstancePassword takes effect now, as JD documents.
import type { TaskDefinition } from '../steps.js';
import { onHost } from '../instance-spec.js';

export const rebootInstance: TaskDefinition = {
  task: 'reboot',
  steps: [
    {
      name: 'reboot',
      async run(ctx, run) {
        await onHost(ctx, run.inst, (h) => h.reboot(run.inst.id));
      },
    },
  ],
  done: (run) => {
    const pending = run.inst.pendingPasswordHash;
    return {
      powerState: 'running',
      ...(pending ? { passwordHash: pending, pendingPasswordHash: null } : {}),
    };
  },
};
