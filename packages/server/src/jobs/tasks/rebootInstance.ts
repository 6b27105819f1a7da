// The reboot task of rebootInstance: a soft reboot as a power cycle — ACPI shutdown (forced after
// the configured grace period), then power on — so the task ends only once the guest really went
// down and came back, and a poller (or `kumo instance reboot --wait`) never sees "running" from
// before the restart. An ACPI reboot request would return at once, with the guest still up.
// Each step re-checks its end state, so a task taken over at either step finishes the cycle once.
// A password set with modifyInstancePassword takes effect now, as JD documents. An instance of
// the NAT era moves onto the network plane while it is down, and the task waits for its port.
import type { TaskDefinition } from '../steps.js';
import { adoptNetworkStep } from './adopt-network.js';
import { linkStep, powerOffStep, powerOnStep } from './power-steps.js';

export const rebootInstance: TaskDefinition = {
  task: 'reboot',
  steps: [powerOffStep, adoptNetworkStep, powerOnStep, linkStep],
  done: (run) => {
    const pending = run.inst.pendingPasswordHash;
    return {
      powerState: 'running',
      ...(pending ? { passwordHash: pending, pendingPasswordHash: null } : {}),
    };
  },
};
