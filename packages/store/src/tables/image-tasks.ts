// image_tasks: image imports and exports (JD's importImage and exportImage; imageTasks lists them).
// An import's row is created with its pending image in the caller's transaction, an export's
// alone; a worker claims unfinished rows under a lease (a
// killed kumod's lapses and another takes the task over) and ends them `finished` or `failed`.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { newId } from '../ids.js';
import { pageOf } from '../paging.js';
import type { Scope } from './keypairs.js';

export const IMAGE_TASKS = 'image_tasks';

interface ImageTaskRow {
  id: string;
  account_id: string;
  region_id: string;
  action: string;
  status: string;
  image_id: string;
  source_url: string;
  target_url: string;
  system_disk_gb: number;
  progress: number;
  message: string;
  client_token: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/** An image task as the rest of Kumo sees it. */
export interface ImageTaskRecord {
  id: string;
  accountId: string;
  regionId: string;
  action: 'ImportImage' | 'ExportImage';
  status: 'pending' | 'running' | 'failed' | 'finished';
  imageId: string;
  /** Where the import reads from: shown to nobody, logged by origin only. */
  sourceUrl: string;
  /** Where an export writes (`s3://` in the image exchange); empty for an import. */
  targetUrl: string;
  systemDiskGB: number;
  progress: number;
  message: string;
  clientToken: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** imageTasks' filters. */
export interface ImageTaskFilter {
  ids?: string[];
  action?: string;
  status?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

const toTask = (r: ImageTaskRow): ImageTaskRecord => ({
  id: r.id,
  accountId: r.account_id,
  regionId: r.region_id,
  action: r.action as ImageTaskRecord['action'],
  status: r.status as ImageTaskRecord['status'],
  imageId: r.image_id,
  sourceUrl: r.source_url,
  targetUrl: r.target_url,
  systemDiskGB: r.system_disk_gb,
  progress: r.progress,
  message: r.message,
  clientToken: r.client_token,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export class ImageTasksModel {
  constructor(private readonly db: Database) {}

  /**
   * Writes a pending task: an import (`sourceUrl`, inside the transaction that writes its image)
   * or an export (`targetUrl`).
   */
  async create(
    scope: Scope,
    t: { imageId: string; systemDiskGB: number; clientToken?: string } & (
      { action?: 'ImportImage'; sourceUrl: string } | { action: 'ExportImage'; targetUrl: string }
    ),
    trx: Transaction,
  ): Promise<string> {
    const id = newId('imt');
    await trx(IMAGE_TASKS).insert({
      id,
      account_id: scope.accountId,
      region_id: scope.regionId,
      action: t.action ?? 'ImportImage',
      image_id: t.imageId,
      source_url: 'sourceUrl' in t ? t.sourceUrl : '',
      target_url: 'targetUrl' in t ? t.targetUrl : '',
      system_disk_gb: t.systemDiskGB,
      client_token: t.clientToken ?? null,
    });
    return id;
  }

  /** The account's task written with `token`, if any (clientToken idempotency). */
  async byToken(scope: Scope, token: string, trx?: Transaction): Promise<ImageTaskRecord | undefined> {
    const row = (await (trx ?? this.db)(IMAGE_TASKS)
      .where({ account_id: scope.accountId, region_id: scope.regionId, client_token: token })
      .first()) as ImageTaskRow | undefined;
    return row && toTask(row);
  }

  async get(id: string): Promise<ImageTaskRecord | undefined> {
    const row = (await this.db(IMAGE_TASKS).where({ id }).first()) as ImageTaskRow | undefined;
    return row && toTask(row);
  }

  /** One page of the account's tasks in a region, oldest first. */
  async page(scope: Scope, f: ImageTaskFilter, offset: number, limit: number) {
    const q = this.db<ImageTaskRow>(IMAGE_TASKS).where({
      account_id: scope.accountId,
      region_id: scope.regionId,
    });
    if (f.ids) q.whereIn('id', f.ids);
    if (f.action) q.where('action', f.action);
    if (f.status) q.where('status', f.status);
    if (f.createdFrom) q.where('created_at', '>=', f.createdFrom);
    if (f.createdTo) q.where('created_at', '<=', f.createdTo);
    const { rows, total } = await pageOf(q, offset, limit);
    return { items: rows.map(toTask), total: Number(total) };
  }

  /** Claims up to `limit` unfinished tasks nobody holds (or whose holder's lease lapsed); marks them running. */
  async claimWork(owner: string, leaseSeconds: number, limit: number): Promise<string[]> {
    const r = await this.db.raw<{ rows: { id: string }[] }>(
      `UPDATE ${IMAGE_TASKS} SET task_owner = ?, task_until = now() + make_interval(secs => ?), status = 'running'
       WHERE id IN (SELECT id FROM ${IMAGE_TASKS} WHERE status IN ('pending', 'running')
                      AND (task_owner IS NULL OR task_until < now())
                    ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [owner, leaseSeconds, limit],
    );
    return r.rows.map((row) => row.id);
  }

  /** Extends `owner`'s lease; false when it lost the task. */
  async renew(id: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const n = await this.db(IMAGE_TASKS)
      .where({ id, task_owner: owner, status: 'running' })
      .update({ task_until: this.db.raw('now() + make_interval(secs => ?)', [leaseSeconds]) });
    return n > 0;
  }

  /** Gives a held task back at once (a stopping kumod): the next claim takes it over. */
  async release(id: string, owner: string): Promise<void> {
    await this.db(IMAGE_TASKS)
      .where({ id, task_owner: owner })
      .update({ task_owner: null, task_until: null });
  }

  /** Progress of a running task held by `owner`. */
  async setProgress(id: string, owner: string, progress: number): Promise<void> {
    await this.db(IMAGE_TASKS)
      .where({ id, task_owner: owner, status: 'running' })
      .update({ progress: Math.max(0, Math.min(99, Math.floor(progress))) });
  }

  /** Ends a task held by `owner`; false when it lost the lease (another holder ends it). */
  async finish(
    id: string,
    owner: string,
    outcome: { status: 'finished'; message?: string } | { status: 'failed'; message: string },
  ): Promise<boolean> {
    const n = await this.db(IMAGE_TASKS)
      .where({ id, task_owner: owner })
      .update({
        status: outcome.status,
        progress: outcome.status === 'finished' ? 100 : this.db.raw('progress'),
        message: (outcome.message ?? '').slice(0, 500),
        finished_at: this.db.fn.now(),
        task_owner: null,
        task_until: null,
      });
    return n > 0;
  }
}
