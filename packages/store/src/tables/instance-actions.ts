// instance_actions and client_tokens: the per-instance action log, and createInstances idempotency.
import type { Transaction } from '../locks.js';
import type { Database } from '../db.js';
import type { Scope } from './keypairs.js';

export const INSTANCE_ACTIONS = 'instance_actions';
export const CLIENT_TOKENS = 'client_tokens';

/** One entry of an instance's action log. */
export interface InstanceAction {
  id: number;
  instanceId: string;
  action: string;
  requestedBy: string;
  requestId: string | null;
  requestedAt: Date;
  outcome: 'accepted' | 'succeeded' | 'failed' | 'rejected';
  detail: string | null;
  finishedAt: Date | null;
}

/** How a task ended, as its action-log entry records it. */
export interface ActionResult {
  outcome: 'succeeded' | 'failed';
  detail?: string;
}

/**
 * Marks the latest unfinished action of that name on an instance as finished. Takes the caller's
 * transaction so a task's end and its log entry commit together: a crash between them would
 * otherwise leave the action `accepted` forever.
 */
export async function closeAction(
  q: Database | Transaction,
  instanceId: string,
  action: string,
  result: ActionResult,
): Promise<void> {
  await q.raw(
    `UPDATE instance_actions SET outcome = ?, detail = ?, finished_at = now()
      WHERE id = (SELECT id FROM instance_actions WHERE instance_id = ? AND action = ? AND finished_at IS NULL
                  ORDER BY id DESC LIMIT 1)`,
    [result.outcome, result.detail ?? null, instanceId, action],
  );
}

/** The action log. */
export class InstanceActionsModel {
  constructor(private readonly db: Database) {}

  /** Records that an action was asked for; returns its id. */
  async record(
    a: { instanceId: string; accountId: string; action: string; requestedBy: string; requestId?: string },
    trx?: Transaction,
  ): Promise<number> {
    const [row] = await (trx ?? this.db)(INSTANCE_ACTIONS)
      .insert({
        instance_id: a.instanceId,
        account_id: a.accountId,
        action: a.action,
        requested_by: a.requestedBy,
        request_id: a.requestId ?? null,
      })
      .returning('id');
    return Number((row as { id: number }).id);
  }

  /** Marks the latest unfinished action of that name on an instance as finished. */
  async finish(
    instanceId: string,
    action: string,
    outcome: 'succeeded' | 'failed',
    detail?: string,
  ): Promise<void> {
    await closeAction(this.db, instanceId, action, { outcome, detail });
  }

  /** Marks one action (by the id record() returned) as finished. */
  async finishById(id: number, outcome: 'succeeded' | 'failed', detail?: string): Promise<void> {
    await this.db(INSTANCE_ACTIONS)
      .where({ id })
      .update({ outcome, detail: detail ?? null, finished_at: this.db.fn.now() });
  }

  /** The log of one instance, oldest first. */
  async list(instanceId: string): Promise<InstanceAction[]> {
    const rows = await this.db(INSTANCE_ACTIONS).where({ instance_id: instanceId }).orderBy('id');
    return rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      instanceId: r.instance_id as string,
      action: r.action as string,
      requestedBy: r.requested_by as string,
      requestId: r.request_id as string | null,
      requestedAt: r.requested_at as Date,
      outcome: r.outcome as InstanceAction['outcome'],
      detail: r.detail as string | null,
      finishedAt: r.finished_at as Date | null,
    }));
  }
}

/** createInstances client tokens. */
export class ClientTokensModel {
  constructor(private readonly db: Database) {}

  /** The instance ids a token already produced, if any (locks the token row inside `trx`). */
  async find(scope: Scope, token: string, trx?: Transaction): Promise<string[] | undefined> {
    const row = await (trx ?? this.db)(CLIENT_TOKENS)
      .where({ account_id: scope.accountId, region_id: scope.regionId, token })
      .first('instance_ids');
    return row?.instance_ids as string[] | undefined;
  }

  /** Remembers what a token produced (inside the creating transaction). */
  async save(trx: Transaction, scope: Scope, token: string, instanceIds: string[]): Promise<void> {
    await trx(CLIENT_TOKENS).insert({
      account_id: scope.accountId,
      region_id: scope.regionId,
      token,
      instance_ids: instanceIds,
    });
  }
}
