// usage_records: the usage ledger. Its rows are written only by the metered tables' triggers
// (migration 0014), never from here; this model reads them, clipped to a period.
import type { Database } from '../db.js';

export const USAGE_RECORDS = 'usage_records';

/** One state interval of one resource. */
export interface UsageRecord {
  id: number;
  accountId: string;
  regionId: string;
  resourceType: string;
  resourceId: string;
  /** What is metered: `instance:<type>:running|stopped`, `disk:<type>`, `snapshot`, `eip:bandwidth`, `image`. */
  item: string;
  /** 1 for an instance, GB for disks, snapshots and images, Mbps for an elastic IP. */
  quantity: number;
  startedAt: Date;
  /** Null while the interval is still open. */
  endedAt: Date | null;
}

/** Seconds of one item of one resource inside a period. */
export interface UsageLine {
  accountId: string;
  regionId: string;
  resourceType: string;
  resourceId: string;
  item: string;
  quantity: number;
  seconds: number;
}

/** Which part of the ledger to read. */
export interface UsageFilter {
  accountId?: string;
  regionId?: string;
  resourceId?: string;
  resourceType?: string;
  /** The period [from, to); records are clipped to it. */
  from: Date;
  to: Date;
}

interface UsageRow {
  id: number;
  account_id: string;
  region_id: string;
  resource_type: string;
  resource_id: string;
  item: string;
  quantity: string;
  started_at: Date;
  ended_at: Date | null;
}

/** Reads the usage ledger. */
export class UsageModel {
  constructor(private readonly db: Database) {}

  private where(f: UsageFilter) {
    const q = this.db<UsageRow>(USAGE_RECORDS)
      .where('started_at', '<', f.to)
      .andWhere((w) => {
        w.whereNull('ended_at').orWhere('ended_at', '>', f.from);
      });
    if (f.accountId) q.andWhere({ account_id: f.accountId });
    if (f.regionId) q.andWhere({ region_id: f.regionId });
    if (f.resourceId) q.andWhere({ resource_id: f.resourceId });
    if (f.resourceType) q.andWhere({ resource_type: f.resourceType });
    return q;
  }

  /** The records overlapping the period, oldest first (unclipped). */
  async records(f: UsageFilter, limit = 10_000): Promise<UsageRecord[]> {
    const rows = await this.where(f).orderBy('id').limit(limit);
    return rows.map((r) => ({
      id: Number(r.id),
      accountId: r.account_id,
      regionId: r.region_id,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      item: r.item,
      quantity: Number(r.quantity),
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  /**
   * Seconds per resource and item inside the period; an open interval counts up to the ledger's
   * clock (or the period's end, if earlier).
   */
  async lines(f: UsageFilter): Promise<UsageLine[]> {
    const rows = (await this.where(f)
      .select('account_id', 'region_id', 'resource_type', 'resource_id', 'item', 'quantity')
      .select(
        this.db.raw(
          `sum(greatest(0, extract(epoch FROM least(coalesce(ended_at, kumo_usage_now()), ?::timestamptz)
                                      - greatest(started_at, ?::timestamptz))))::bigint AS seconds`,
          [f.to, f.from],
        ),
      )
      .groupBy('account_id', 'region_id', 'resource_type', 'resource_id', 'item', 'quantity')
      .orderBy(['account_id', 'resource_type', 'resource_id', 'item'])) as unknown as (UsageRow & {
      seconds: number;
    })[];
    return rows.map((r) => ({
      accountId: r.account_id,
      regionId: r.region_id,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      item: r.item,
      quantity: Number(r.quantity),
      seconds: Number(r.seconds),
    }));
  }
}
