// The operator's way out of stuck instances: tasks past their deadline fail, an instance can be
// deleted from the inventory while its host is gone (the reconciler removes the leftovers when the
// host answers again), and a status can be reset. Each is one short, conditional transaction.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { releaseClaim } from './hosts.js';
import { releaseInstanceInterfaces } from './network-interfaces.js';
import { INSTANCES, type TaskName } from './instances.js';

/** A task failed by its deadline. */
export interface ExpiredTask {
  id: string;
  task: TaskName;
  reason: string;
}

/** Statuses the admin may reset an instance to; the reconciler then corrects it from what the host reports. */
export const RESETTABLE_STATUSES = ['error', 'stopped', 'running'] as const;
export type ResettableStatus = (typeof RESETTABLE_STATUSES)[number];

/** Operator actions on instances. */
export class InstanceAdminModel {
  constructor(private readonly db: Database) {}

  /**
   * Fails every task claimed more than `deadlineSeconds` ago that no live worker holds (it was given
   * back because its host did not answer, or its worker died): status `error`, task cleared. A
   * delete is exempt: it completes when the host answers (or by forceDelete).
   */
  async expireTasks(deadlineSeconds: number, staleSeconds: number): Promise<ExpiredTask[]> {
    const r = await this.db.raw<{ rows: { id: string; task: TaskName; error_reason: string }[] }>(
      `WITH due AS (
         SELECT id, task FROM instances
          WHERE task IS NOT NULL AND task <> 'delete'
            AND task_claimed_at < now() - make_interval(secs => ?)
            AND (task_owner IS NULL OR task_heartbeat_at < now() - make_interval(secs => ?))
          FOR UPDATE SKIP LOCKED),
       expired AS (
         UPDATE instances i
            SET status = 'error', power_state = 'unknown',
                error_reason = due.task || ' did not finish within ' || ?::int || ' s (its host did not answer)',
                task = NULL, task_step = NULL, task_owner = NULL, task_heartbeat_at = NULL, task_args = NULL,
                updated_at = now()
           FROM due
          WHERE i.id = due.id AND i.task = due.task
          RETURNING i.id, due.task, i.error_reason),
       -- The action log entry closes in the same statement, so no crash leaves it 'accepted'.
       logged AS (
         UPDATE instance_actions a
            SET outcome = 'failed', detail = e.error_reason, finished_at = now()
           FROM expired e
          WHERE a.id = (SELECT max(id) FROM instance_actions
                         WHERE instance_id = e.id AND action = e.task AND finished_at IS NULL))
       SELECT id, task, error_reason FROM expired`,
      [deadlineSeconds, staleSeconds, deadlineSeconds],
    );
    return r.rows.map((x) => ({ id: x.id, task: x.task, reason: x.error_reason }));
  }

  /**
   * Removes an instance from the inventory at once, whatever its task or host: its capacity claim
   * goes with it and so does its quota. Returns the host it was on (whose reconciler sweep removes
   * the domain and volumes once it answers), or null when it had none; undefined when unknown.
   */
  async forceDelete(id: string): Promise<{ hostId: string | null } | undefined> {
    return this.db.transaction(async (trx: Transaction) => {
      const row = await trx(INSTANCES).where({ id }).forUpdate().first('host_id');
      if (!row) return undefined;
      await releaseClaim(trx, id);
      await releaseInstanceInterfaces(trx, id);
      await trx(INSTANCES).where({ id }).delete();
      return { hostId: (row as { host_id: string | null }).host_id };
    });
  }

  /** Sets a status and drops any task in flight (its worker is fenced out); false when unknown. */
  async resetState(id: string, status: ResettableStatus): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id })
      .update({
        status,
        error_reason: status === 'error' ? 'status reset by the admin' : null,
        task: null,
        task_step: null,
        task_owner: null,
        task_heartbeat_at: null,
        task_args: null,
        updated_at: this.db.fn.now(),
      });
    return n > 0;
  }
}
