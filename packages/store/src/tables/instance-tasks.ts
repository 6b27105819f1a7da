// The task protocol on instance rows: claim (a conditional update from the statuses the lifecycle
// allows), lease (owner + heartbeat, taken over once stale), the step reached, and the end of a
// task. Every write after the claim is fenced: it applies only while the writer still holds the
// lease of that task, so a worker that lost it (to a takeover or a preempting delete) changes nothing.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { releaseClaim } from './hosts.js';
import { closeAction, type ActionResult } from './instance-actions.js';
import { releaseInstanceInterfaces } from './network-interfaces.js';
import {
  INSTANCES,
  toColumns,
  toInstance,
  type InstancePatch,
  type InstanceRecord,
  type InstanceRow,
  type InstanceStatus,
  type TaskName,
} from './instances.js';
import type { Scope } from './keypairs.js';

/** Why a task could not be claimed. */
export type ClaimRefusal =
  { reason: 'missing' } | { reason: 'busy'; task: TaskName } | { reason: 'status'; status: InstanceStatus };

/** What a claim asks for. */
export interface ClaimRequest {
  task: TaskName;
  /** Statuses the instance may be in (with no task in flight). */
  from: readonly InstanceStatus[];
  /** The status shown while the task runs. */
  transient: InstanceStatus;
  /** Tasks in flight this one may take the instance from (delete preempts a pending spawn). */
  preempts?: readonly TaskName[];
  args?: Record<string, unknown>;
}

const fenced = (id: string, task: TaskName, owner: string) => ({ id, task, task_owner: owner });

/** Claims, leases and steps of instance tasks. */
export class InstanceTasksModel {
  constructor(private readonly db: Database) {}

  /**
   * Claims an instance for a task: succeeds only when no task is in flight and the status is one
   * of `from` (or the task in flight is one `preempts` names); sets the transient status at once
   * so pollers see it, and clears any lease so the previous worker is fenced out.
   */
  async claim(
    scope: Scope | undefined,
    id: string,
    c: ClaimRequest,
    /** Claim inside the caller's transaction (e.g. with the capacity change a resize needs). */
    trx?: Transaction,
  ): Promise<InstanceRecord | ClaimRefusal> {
    const db: Database = trx ?? this.db;
    const where: Record<string, string> = { id };
    if (scope) Object.assign(where, { account_id: scope.accountId, region_id: scope.regionId });
    const preempts = c.preempts ?? [];
    const [row] = await db<InstanceRow>(INSTANCES)
      .where(where)
      .andWhere((w) => {
        w.where((x) => {
          x.whereNull('task').whereIn('status', c.from as InstanceStatus[]);
        });
        if (preempts.length > 0) w.orWhereIn('task', preempts as TaskName[]);
      })
      .update({
        task: c.task,
        task_step: null,
        status: c.transient,
        task_owner: null,
        task_heartbeat_at: null,
        task_args: (c.args ? JSON.stringify(c.args) : null) as never,
        task_claimed_at: db.fn.now() as never,
        updated_at: db.fn.now() as never,
      })
      .returning('*');
    if (row) return toInstance(row);
    const now = await db<InstanceRow>(INSTANCES).where(where).first();
    if (!now) return { reason: 'missing' };
    if (now.task) return { reason: 'busy', task: now.task };
    return { reason: 'status', status: now.status };
  }

  /**
   * Takes the lease on an instance's task for one worker. Fails (undefined) when the task is no
   * longer the one named, or another live worker holds it (heartbeat fresher than staleSeconds).
   */
  async takeLease(
    id: string,
    task: TaskName,
    owner: string,
    staleSeconds: number,
  ): Promise<InstanceRecord | undefined> {
    const [row] = await this.db<InstanceRow>(INSTANCES)
      .where({ id, task })
      .andWhere((w) => {
        w.whereNull('task_owner')
          .orWhere({ task_owner: owner })
          .orWhereRaw('task_heartbeat_at < now() - make_interval(secs => ?)', [staleSeconds]);
      })
      .update({ task_owner: owner, task_heartbeat_at: this.db.fn.now() as never })
      .returning('*');
    return row && toInstance(row);
  }

  /** Renews a lease; false when the worker lost it. */
  async heartbeat(id: string, task: TaskName, owner: string): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where(fenced(id, task, owner))
      .update({ task_heartbeat_at: this.db.fn.now() });
    return n > 0;
  }

  /** Updates fields while the worker still holds the task's lease; false when it does not. */
  async update(id: string, task: TaskName, owner: string, patch: InstancePatch): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where(fenced(id, task, owner))
      .update({ ...toColumns(patch), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Records the step a task is about to run, under its lease; false when the lease is gone. */
  async recordStep(id: string, task: TaskName, owner: string, step: string): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where(fenced(id, task, owner))
      .update({ task_step: step, task_heartbeat_at: this.db.fn.now(), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Gives the lease back (the task stays, at its step) so a later run can take it. */
  async giveBack(id: string, task: TaskName, owner: string): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where(fenced(id, task, owner))
      .update({ task_owner: null, task_heartbeat_at: null, updated_at: this.db.fn.now() });
    return n > 0;
  }

  /**
   * Ends a task: clears it, applies the final fields and closes its action-log entry with
   * `result`, in one transaction, only if this worker still holds it.
   */
  async finish(
    id: string,
    task: TaskName,
    owner: string,
    patch: InstancePatch,
    result: ActionResult,
  ): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const n = await trx(INSTANCES)
        .where(fenced(id, task, owner))
        .update({
          ...toColumns(patch),
          task: null,
          task_step: null,
          task_owner: null,
          task_heartbeat_at: null,
          task_args: null,
          updated_at: trx.fn.now(),
        });
      if (n > 0) await closeAction(trx, id, task, result);
      return n > 0;
    });
  }

  /**
   * Points the instance at another host inside the caller's transaction (the claim was moved in
   * it too); false when the lease is gone, in which case the caller must roll back.
   */
  async moveHost(
    trx: Transaction,
    id: string,
    task: TaskName,
    owner: string,
    to: { hostId: string | null; spawnAttempts: number },
  ): Promise<boolean> {
    const n = await trx(INSTANCES)
      .where(fenced(id, task, owner))
      .update({ host_id: to.hostId, spawn_attempts: to.spawnAttempts, updated_at: trx.fn.now() });
    // Its ports are bound to the host's chassis: the plane must see the new one.
    if (n > 0)
      await trx('network_interfaces')
        .where({ instance_id: id })
        .update({ generation: trx.raw('generation + 1') });
    return n > 0;
  }

  /**
   * The end of a delete: the claim is released and the row goes, in one transaction, only while
   * `owner` holds the delete's lease. False (nothing changed) when it does not.
   */
  async finishDelete(id: string, owner: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const row = await trx(INSTANCES)
        .where(fenced(id, 'delete', owner))
        .forUpdate()
        .first('id');
      if (!row) return false;
      await releaseClaim(trx, id);
      await releaseInstanceInterfaces(trx, id);
      await trx(INSTANCES).where({ id }).delete();
      await closeAction(trx, id, 'delete', { outcome: 'succeeded' });
      return true;
    });
  }

  /** Instances with a task whose worker is gone (no lease, or a stale heartbeat). */
  async orphaned(staleSeconds: number): Promise<InstanceRecord[]> {
    const rows = await this.db<InstanceRow>(INSTANCES)
      .whereNotNull('task')
      .andWhere((w) => {
        w.whereRaw('task_owner IS NULL AND updated_at < now() - make_interval(secs => ?)', [
          staleSeconds,
        ]).orWhereRaw('task_heartbeat_at < now() - make_interval(secs => ?)', [staleSeconds]);
      })
      .limit(500);
    return rows.map(toInstance);
  }

  /**
   * Clears a stale lease and stamps the row so the next sweep waits a full stale period before
   * queueing the task again; false when the task changed meanwhile.
   */
  async markRequeued(id: string, task: TaskName): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, task })
      .update({ task_owner: null, task_heartbeat_at: null, updated_at: this.db.fn.now() });
    return n > 0;
  }
}
