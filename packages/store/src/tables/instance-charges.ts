// The charge columns of instances as a durable timer: which prepaid instances reached a deadline
// (expiry, retirement, deletion), the conditional moves of their phase, and renewal. Times come
// from the caller's clock. No policy: what each deadline leads to is the charge service's.
import type { Database } from '../db.js';
import {
  INSTANCES,
  toInstance,
  type ChargePhase,
  type InstanceRecord,
  type InstanceRow,
} from './instance-records.js';
import type { Scope } from './keypairs.js';

/** Prepaid instances' timers. */
export class InstanceChargesModel {
  constructor(private readonly db: Database) {}

  /**
   * Prepaid instances with something due at `now`: paid-up ones past expiry, expired ones past
   * retirement, retired ones past `deleteAfterSeconds` more, and expired or retired ones whose guest
   * still runs (a stop that did not happen yet).
   */
  async due(now: Date, deleteAfterSeconds: number, limit = 200): Promise<InstanceRecord[]> {
    const rows = await this.db<InstanceRow>(INSTANCES)
      .where({ charge_mode: 'prepaid_by_duration' })
      .andWhere((w) => {
        w.where((x) => {
          x.where({ charge_phase: 'active' }).andWhere('charge_expires_at', '<=', now);
        })
          .orWhere((x) => {
            x.where({ charge_phase: 'expired' }).andWhere('charge_retire_at', '<=', now);
          })
          .orWhere((x) => {
            x.where({ charge_phase: 'retired' }).andWhereRaw(
              'charge_retire_at + make_interval(secs => ?) <= ?',
              [deleteAfterSeconds, now],
            );
          })
          .orWhere((x) => {
            x.whereNot({ charge_phase: 'active' }).andWhere({ status: 'running' });
          });
      })
      .orderBy('charge_expires_at')
      .limit(limit);
    return rows.map(toInstance);
  }

  /** Moves an instance's timer from one phase to the next; false when it was not in `from`. */
  async advance(id: string, from: ChargePhase, to: ChargePhase): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, charge_phase: from, charge_mode: 'prepaid_by_duration' })
      .update({ charge_phase: to, updated_at: this.db.fn.now() });
    return n > 0;
  }

  /**
   * Renews a prepaid instance: a new expiry and retirement, the timer active again. Conditional
   * on the expiry read by the caller, so two renewals at once cannot both extend from one base.
   */
  async renew(
    scope: Scope | undefined,
    id: string,
    readExpiry: Date,
    to: { expiresAt: Date; retireAt: Date },
  ): Promise<InstanceRecord | undefined> {
    const where: Record<string, unknown> = {
      id,
      charge_mode: 'prepaid_by_duration',
      charge_expires_at: readExpiry,
    };
    if (scope) Object.assign(where, { account_id: scope.accountId, region_id: scope.regionId });
    const [row] = await this.db<InstanceRow>(INSTANCES)
      .where(where)
      .update({
        charge_expires_at: to.expiresAt,
        charge_retire_at: to.retireAt,
        charge_phase: 'active',
        updated_at: this.db.fn.now() as never,
      })
      .returning('*');
    return row && toInstance(row);
  }
}
