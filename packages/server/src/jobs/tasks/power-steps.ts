// The power steps that several tasks share (stop, start, reboot, and the spawn's link): each re-checks the domain's
// state first, so a re-run after a takeover does nothing twice.
import type { Step } from '../steps.js';
import { onHost } from '../instance-spec.js';

/** ACPI shutdown, forced after the configured grace period; a domain already off is left alone. */
export const powerOffStep: Step = {
  name: 'power-off',
  async run(ctx, run) {
    await onHost(ctx, run.inst, async (h) => {
      // Only a cleanly stopped domain is already done; a crashed one is powered off as before.
      if ((await h.state(run.inst.id)) === 'stopped') return;
      await h.powerOff(run.inst.id, { gracefulTimeoutMs: ctx.compute.stopTimeoutSeconds * 1000 });
    });
  },
};

/** Power on, unless the domain already runs. */
export const powerOnStep: Step = {
  name: 'power-on',
  async run(ctx, run) {
    await onHost(ctx, run.inst, async (h) => {
      if ((await h.state(run.inst.id)) === 'running') return;
      await h.powerOn(run.inst.id);
    });
  },
};

/** Running means reachable: the host's chassis has bound the primary port and OVN reports it up. */
export const linkStep: Step = {
  name: 'link',
  async run(ctx, run) {
    const [primary] = await ctx.network.interfaces(run.inst.id);
    if (primary) await ctx.network.portUp(primary.id);
  },
};
