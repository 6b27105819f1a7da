// The reconciler's decisions as pure functions: what an observation of a settled instance (no
// task in flight) changes in the inventory. No I/O, so every rule is unit-tested.
import type { PowerState } from '@kumo/hypervisor';
import type { InstancePatch, InstanceRecord, InstanceStatus } from '@kumo/store';

/** The error reason of instances on a host that stopped answering (healed when it answers). */
export const HOST_UNREACHABLE = 'host unreachable';
/** The error reason of an instance whose domain is gone from its host. */
export const DOMAIN_VANISHED = 'domain vanished from its host';

/** What status an observed power state implies for a settled instance. */
export function statusFor(power: PowerState): InstanceStatus | undefined {
  if (power === 'running' || power === 'paused') return 'running';
  // A guest still shutting down is not stopped yet: its status changes when it is really off.
  if (power === 'stopped') return 'stopped';
  if (power === 'crashed') return 'error';
  return undefined;
}

/** What changes, if anything, for an instance whose host answered with `power`. */
export function decide(inst: InstanceRecord, power: PowerState): InstancePatch | undefined {
  if (inst.task) return undefined;
  const healing = inst.status === 'error' && inst.errorReason === HOST_UNREACHABLE;
  if (power === 'absent') {
    if (inst.status !== 'error' || healing) {
      return { status: 'error', powerState: 'absent', errorReason: DOMAIN_VANISHED };
    }
    return undefined;
  }
  const want = statusFor(power);
  if (want && (want !== inst.status || healing) && (inst.status !== 'error' || healing)) {
    return { status: want, powerState: power, errorReason: want === 'error' ? 'guest crashed' : null };
  }
  if (power !== inst.powerState) return { powerState: power };
  return undefined;
}

/** What changes for an instance on a host that did not answer. */
export function decideUnreachable(inst: InstanceRecord): InstancePatch | undefined {
  if (inst.task || inst.status === 'error') return undefined;
  return { status: 'error', errorReason: HOST_UNREACHABLE, powerState: 'unknown' };
}

/**
 * Whether a domain found on a host is a leftover no instance owns: its id has Kumo's instance
 * shape, and no row places it there or has a task in flight (a spawn moving hosts).
 */
export function isOrphan(
  domainId: string,
  hostId: string,
  row: Pick<InstanceRecord, 'hostId' | 'task'> | undefined,
  instanceId: RegExp,
): boolean {
  if (!instanceId.test(domainId)) return false;
  return !row || (row.hostId !== hostId && !row.task);
}
