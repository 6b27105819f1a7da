// Renewal of prepaid instances (the admin's, as a private cloud's billing desk would do it): the
// expiry moves by the period bought and the timer starts over. The timer itself is billing/charge-timer.ts.
import { Errors, ID_PATTERNS } from '@kumo/contract';
import type { InstanceChargesModel, InstanceRecord, InstancesModel } from '@kumo/store';
import { parsePeriod, type ChargePolicy } from '../billing/charges.js';
import type { Logger } from '../logger.js';

/** Prepaid renewals. */
export class InstanceChargeService {
  constructor(
    private readonly deps: {
      instances: InstancesModel;
      charges: InstanceChargesModel;
      policy: ChargePolicy;
      log: Logger;
    },
  ) {}

  /** Adds a prepaid period to any account's instance; a retired or expired one becomes paid up again. */
  async renew(
    id: string,
    unit: string | undefined,
    duration: number | undefined,
    requestedBy: string,
  ): Promise<InstanceRecord> {
    const period = parsePeriod(unit, duration, 'renew');
    const inst = ID_PATTERNS.instance.test(id) ? await this.deps.instances.get(id) : undefined;
    if (!inst) throw Errors.instanceNotFound(id.slice(0, 64));
    const current = inst.charge.expiresAt;
    if (inst.charge.mode !== 'prepaid_by_duration' || !current) throw Errors.notPrepaid(inst.id);
    const renewed = await this.deps.charges.renew(
      undefined,
      inst.id,
      current,
      this.deps.policy.renewedExpiry(current, period.unit, period.duration),
    );
    // Another renewal (or the delete) got there first: the caller may look and try again.
    if (!renewed) throw Errors.conflictWithTask('renew');
    this.deps.log.info(
      { instanceId: id, expiresAt: renewed.charge.expiresAt, requestedBy },
      'prepaid instance renewed',
    );
    return renewed;
  }
}
