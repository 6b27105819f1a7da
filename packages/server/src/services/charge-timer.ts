// The prepaid instances' durable timer: their deadlines are columns of their rows, and this loop
// (one sweeper at a time across kumods, under an advisory lock) acts on the ones that are due —
// an expired instance is stopped, retired after the grace period and deleted one more period
// later. Every step is a conditional update or an ordinary lifecycle claim, so a sweep that dies
// half-way is finished by the next one, on any kumod.
import { ApiError } from '@kumo/contract';
import type { InstanceChargesModel, InstanceRecord, Transactions } from '@kumo/store';
import { WorkLoop } from '../jobs/work-loop.js';
import type { Logger } from '../logger.js';
import type { InstanceService } from './instances.js';
import type { ChargePolicy } from '../billing/charges.js';

const TIMER_LOCK = 'billing:charge-timer';

/** What the timer reads and acts through. */
export interface ChargeTimerDeps {
  tx: Transactions;
  charges: InstanceChargesModel;
  instances: InstanceService;
  policy: ChargePolicy;
  intervalMs: number;
  log: Logger;
}

/** The charge timer of one kumod process. */
export class ChargeTimer {
  private running = false;
  // One sweep per tick; stop() waits for a sweep in progress, so none outlives the pool.
  private readonly loop: WorkLoop;

  constructor(private readonly d: ChargeTimerDeps) {
    this.loop = new WorkLoop({
      name: 'charge sweep',
      intervalMs: d.intervalMs,
      maxPasses: 1,
      log: d.log,
      pass: () => this.sweep(),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One sweep; returns the instances it acted on (0 when another kumod is sweeping). */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const r = await this.d.tx.tryLocked(TIMER_LOCK, async () => {
        const due = await this.d.charges.due(this.d.policy.now(), this.d.policy.graceSeconds);
        let acted = 0;
        for (const inst of due) if (await this.advance(inst)) acted++;
        return acted;
      });
      return r.ran ? r.value : 0;
    } finally {
      this.running = false;
    }
  }

  private async advance(inst: InstanceRecord): Promise<boolean> {
    const now = this.d.policy.now();
    const c = inst.charge;
    let phase = c.phase;
    if (phase === 'active' && c.expiresAt && c.expiresAt <= now) {
      if (!(await this.d.charges.advance(inst.id, 'active', 'expired'))) return false;
      phase = 'expired';
    }
    if (phase === 'expired' && c.retireAt && c.retireAt <= now) {
      if (await this.d.charges.advance(inst.id, 'expired', 'retired')) phase = 'retired';
    }
    const deleteAt = c.retireAt && new Date(c.retireAt.getTime() + this.d.policy.graceSeconds * 1000);
    if (phase === 'retired' && deleteAt && deleteAt <= now) return this.act(inst, 'delete');
    if (inst.status === 'running' && inst.task === null) return this.act(inst, 'stop');
    return true;
  }

  /** A lifecycle operation on the owner's behalf; a refusal (busy, wrong status) waits for the next sweep. */
  private async act(inst: InstanceRecord, task: 'stop' | 'delete'): Promise<boolean> {
    const scope = { accountId: inst.accountId, regionId: inst.regionId };
    const caller = {
      account: { id: inst.accountId, name: '', isAdmin: false, createdAt: inst.createdAt },
      accessKey: 'kumo:charge-timer',
      requestId: `charge-${task}-${inst.id}`,
    };
    try {
      await this.d.instances.act(scope, caller, inst.id, task);
      this.d.log.info({ instanceId: inst.id, task }, 'prepaid instance reached a charge deadline');
      return true;
    } catch (err) {
      if (err instanceof ApiError) return false;
      throw err;
    }
  }
}
