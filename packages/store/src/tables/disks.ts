// disks, snapshots and disk_attachments: JD's cloud disks and snapshots of one account, and the
// storage worker's claims on rows with a task in flight (a lease per row, so kumods sharing a
// database split the work and a killed one's claims lapse). No policy: the disk service decides
// what is allowed, the worker what a task does.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { pageOf } from '../paging.js';
import type { Scope } from './keypairs.js';

/** A disk's attachment to an instance. */
export interface DiskAttachmentRecord {
  diskId: string;
  instanceId: string;
  deviceName: string | null;
  autoDelete: boolean;
  status: string;
  createdAt: Date;
}

/** Columns both disks and snapshots have. */
interface TaskFields {
  task: string | null;
  taskArgs: Record<string, unknown> | null;
  errorReason: string | null;
  createdAt: Date;
}

/** A cloud disk. */
export interface DiskRecord extends TaskFields {
  id: string;
  accountId: string;
  regionId: string;
  az: string;
  backendId: string;
  hostId: string | null;
  name: string;
  description: string;
  diskType: string;
  sizeGb: number;
  status: string;
  snapshotId: string | null;
  multiAttachable: boolean;
  clientToken: string | null;
  attachments: DiskAttachmentRecord[];
}

/** A snapshot of a disk. */
export interface SnapshotRecord extends TaskFields {
  id: string;
  accountId: string;
  regionId: string;
  diskId: string;
  backendId: string;
  hostId: string | null;
  name: string;
  description: string;
  sizeGb: number;
  status: string;
  clientToken: string | null;
}

/** The two tables a storage task lives on. */
export type StorageTable = 'disks' | 'snapshots';

type Row = Record<string, unknown>;
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function fromRow<T>(r: Row): T {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) if (k !== 'task_owner' && k !== 'task_until') out[camel(k)] = v;
  return out as T;
}
function toRow(o: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[snake(k)] = v;
  return out;
}

/** Disk list filters (values OR within one, filters AND). */
export interface DiskFilter {
  ids?: string[];
  names?: string[];
  statuses?: string[];
  azs?: string[];
  instanceIds?: string[];
  diskTypes?: string[];
}
/** Snapshot list filters. */
export interface SnapshotFilter {
  ids?: string[];
  names?: string[];
  statuses?: string[];
  diskIds?: string[];
}

/** What a task claim sets: the task, its arguments and the status pollers see meanwhile. */
export interface TaskClaim {
  task: string;
  status: string;
  args?: Record<string, unknown>;
  /** Statuses the row must be in (and no task in flight). */
  from: readonly string[];
  /** Other fields set with the claim (e.g. the new size of an extend). */
  patch?: Record<string, unknown>;
}

/** Queries over disks, snapshots and attachments. */
export class DisksModel {
  constructor(private readonly db: Database) {}

  private async withAttachments(rows: Row[], q: Database | Transaction = this.db): Promise<DiskRecord[]> {
    const ids = rows.map((r) => r.id as string);
    const atts = ids.length
      ? ((await q('disk_attachments').whereIn('disk_id', ids).orderBy('created_at')) as Row[])
      : [];
    return rows.map((r) => ({
      ...fromRow<DiskRecord>(r),
      attachments: atts.filter((a) => a.disk_id === r.id).map((a) => fromRow<DiskAttachmentRecord>(a)),
    }));
  }

  /** Inserts new disks (in the caller's transaction). */
  async insertDisks(
    trx: Transaction,
    disks: Omit<DiskRecord, 'attachments' | 'createdAt' | 'errorReason'>[],
  ): Promise<void> {
    await trx('disks').insert(
      disks.map((d) => ({
        ...toRow(d as unknown as Row),
        task_args: d.taskArgs ? JSON.stringify(d.taskArgs) : null,
      })),
    );
  }

  /** The disks an earlier createDisks with this client token made. */
  async disksByToken(trx: Transaction, scope: Scope, token: string): Promise<DiskRecord[]> {
    const rows = (await trx('disks')
      .where({ account_id: scope.accountId, region_id: scope.regionId, client_token: token })
      .orderBy('id')) as Row[];
    return this.withAttachments(rows, trx);
  }

  async findDisk(scope: Scope, id: string, trx?: Transaction): Promise<DiskRecord | undefined> {
    const r = (await (trx ?? this.db)('disks')
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .first()) as Row | undefined;
    return r ? (await this.withAttachments([r], trx ?? this.db))[0] : undefined;
  }

  /** A disk by id alone (the worker's view). */
  async diskById(id: string): Promise<DiskRecord | undefined> {
    const r = (await this.db('disks').where({ id }).first()) as Row | undefined;
    return r ? (await this.withAttachments([r]))[0] : undefined;
  }

  /** The disks attached to any of these instances, with their attachments. */
  async attachedTo(instanceIds: string[]): Promise<DiskRecord[]> {
    if (instanceIds.length === 0) return [];
    const rows = (await this.db('disks')
      .whereIn('id', this.db('disk_attachments').select('disk_id').whereIn('instance_id', instanceIds))
      .orderBy('created_at')) as Row[];
    return this.withAttachments(rows);
  }

  async listDisks(
    scope: Scope,
    f: DiskFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: DiskRecord[]; total: number }> {
    const q = this.db('disks').where({ account_id: scope.accountId, region_id: scope.regionId });
    if (f.ids) q.whereIn('id', f.ids);
    if (f.names) q.whereIn('name', f.names);
    if (f.statuses) q.whereIn('status', f.statuses);
    if (f.azs) q.whereIn('az', f.azs);
    if (f.diskTypes) q.whereIn('disk_type', f.diskTypes);
    if (f.instanceIds)
      q.whereIn('id', this.db('disk_attachments').select('disk_id').whereIn('instance_id', f.instanceIds));
    const { rows, total } = await pageOf(q as never, offset, limit);
    return { items: await this.withAttachments(rows as Row[]), total: Number(total) };
  }

  async countDisks(scope: Scope, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)('disks')
      .where({ account_id: scope.accountId, region_id: scope.regionId })
      .count({ n: '*' })) as [{ n: string }];
    return Number(n);
  }

  async countSnapshots(scope: Scope): Promise<number> {
    const [{ n }] = (await this.db('snapshots')
      .where({ account_id: scope.accountId, region_id: scope.regionId })
      .count({ n: '*' })) as [{ n: string }];
    return Number(n);
  }

  /** Changes name/description; false when there is no such disk. */
  async modify(
    table: StorageTable,
    scope: Scope,
    id: string,
    patch: { name?: string; description?: string },
  ): Promise<boolean> {
    const set = toRow(patch);
    if (Object.keys(set).length === 0)
      return Boolean(await this.db(table).where({ id, account_id: scope.accountId }).first());
    return (
      (await this.db(table)
        .where({ id, account_id: scope.accountId, region_id: scope.regionId })
        .update(set)) > 0
    );
  }

  /**
   * Claims a task on a row as one conditional update: only when no task is in flight and the
   * status is one of `from`; false otherwise, and nothing changed.
   */
  async claim(
    table: StorageTable,
    scope: Scope,
    id: string,
    c: TaskClaim,
    trx?: Transaction,
  ): Promise<boolean> {
    const n = await (trx ?? this.db)(table)
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .whereNull('task')
      .whereIn('status', [...c.from])
      .update({
        ...toRow(c.patch ?? {}),
        task: c.task,
        status: c.status,
        task_args: c.args ? JSON.stringify(c.args) : null,
        task_owner: null,
        task_until: null,
        error_reason: null,
      });
    return n > 0;
  }

  async insertSnapshot(
    trx: Transaction,
    s: Omit<SnapshotRecord, 'createdAt' | 'errorReason'>,
  ): Promise<void> {
    await trx('snapshots').insert({
      ...toRow(s as unknown as Row),
      task_args: s.taskArgs ? JSON.stringify(s.taskArgs) : null,
    });
  }

  async snapshotByToken(trx: Transaction, scope: Scope, token: string): Promise<SnapshotRecord | undefined> {
    const r = (await trx('snapshots').where({ account_id: scope.accountId, client_token: token }).first()) as
      Row | undefined;
    return r && fromRow<SnapshotRecord>(r);
  }

  async findSnapshot(scope: Scope, id: string, trx?: Transaction): Promise<SnapshotRecord | undefined> {
    const r = (await (trx ?? this.db)('snapshots')
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .first()) as Row | undefined;
    return r && fromRow<SnapshotRecord>(r);
  }

  async snapshotById(id: string): Promise<SnapshotRecord | undefined> {
    const r = (await this.db('snapshots').where({ id }).first()) as Row | undefined;
    return r && fromRow<SnapshotRecord>(r);
  }

  async listSnapshots(
    scope: Scope,
    f: SnapshotFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: SnapshotRecord[]; total: number }> {
    const q = this.db('snapshots').where({ account_id: scope.accountId, region_id: scope.regionId });
    if (f.ids) q.whereIn('id', f.ids);
    if (f.names) q.whereIn('name', f.names);
    if (f.statuses) q.whereIn('status', f.statuses);
    if (f.diskIds) q.whereIn('disk_id', f.diskIds);
    const { rows, total } = await pageOf(q as never, offset, limit);
    return { items: (rows as Row[]).map((r) => fromRow<SnapshotRecord>(r)), total: Number(total) };
  }

  /** How many snapshots of the disk exist (any status). */
  async snapshotCount(diskId: string, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)('snapshots').where({ disk_id: diskId }).count({ n: '*' })) as [
      { n: string },
    ];
    return Number(n);
  }

  /** Records that a local disk now lives on `hostId` (its move's copy was verified). */
  async setHost(id: string, hostId: string): Promise<void> {
    await this.db('disks').where({ id }).update({ host_id: hostId });
  }

  /** How many disks were made from the snapshot and still exist. */
  async clonesOf(snapshotId: string, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)('disks')
      .where({ snapshot_id: snapshotId })
      .count({ n: '*' })) as [{ n: string }];
    return Number(n);
  }

  /** Rows with a task whose lease is free or lapsed, now leased to `owner`. */
  async claimWork(
    table: StorageTable,
    owner: string,
    leaseSeconds: number,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.raw<{ rows: { id: string }[] }>(
      `UPDATE ${table} SET task_owner = ?, task_until = now() + make_interval(secs => ?)
       WHERE id IN (SELECT id FROM ${table} WHERE task IS NOT NULL AND (task_owner IS NULL OR task_until < now())
                    ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [owner, leaseSeconds, limit],
    );
    return rows.rows.map((r) => r.id);
  }

  /** Extends `owner`'s lease on a row; false when it lost it. */
  async renew(table: StorageTable, id: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const n = await this.db(table)
      .where({ id, task_owner: owner })
      .update({ task_until: this.db.raw('now() + make_interval(secs => ?)', [leaseSeconds]) });
    return n > 0;
  }

  /** Ends the task under `owner`'s lease with `patch` (status and results); false when it lost the lease. */
  async finish(
    table: StorageTable,
    id: string,
    owner: string,
    patch: Record<string, unknown>,
  ): Promise<boolean> {
    const n = await this.db(table)
      .where({ id, task_owner: owner })
      .update({ ...toRow(patch), task: null, task_args: null, task_owner: null, task_until: null });
    return n > 0;
  }

  /** Deletes the row of a finished delete task under `owner`'s lease. */
  async finishDelete(table: StorageTable, id: string, owner: string): Promise<boolean> {
    return (await this.db(table).where({ id, task_owner: owner }).delete()) > 0;
  }

  /**
   * GB provisioned on a backend: its disks, and on one host of a local backend (`hostId`) also the
   * snapshots there (full copies; rbd snapshots are copy-on-write and count as nothing).
   */
  async provisionedGb(backendId: string, hostId: string | null): Promise<number> {
    const sum = async (table: StorageTable) => {
      const q = this.db(table).where({ backend_id: backendId });
      if (hostId) q.andWhere({ host_id: hostId });
      const [{ n }] = (await q.sum({ n: 'size_gb' })) as [{ n: string | null }];
      return Number(n ?? 0);
    };
    return (await sum('disks')) + (hostId ? await sum('snapshots') : 0);
  }

  /** Every volume id the inventory knows on a backend (disks and snapshots), for reconciling. */
  async idsOnBackend(backendId: string): Promise<{ disks: string[]; snapshots: string[] }> {
    const disks = (await this.db('disks').where({ backend_id: backendId }).pluck('id')) as string[];
    const snapshots = (await this.db('snapshots').where({ backend_id: backendId }).pluck('id')) as string[];
    return { disks, snapshots };
  }
}
