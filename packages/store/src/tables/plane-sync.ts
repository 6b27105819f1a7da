// The network plane's work list: rows whose desired generation is ahead of the converged one
// (new, changed or tombstoned objects), claimed with a lease so several kumods on one database
// never drive the same object at once, and a kumod killed mid-step leaves work another (or it,
// restarted) picks up once the lease runs out. No plane calls here: the converger makes them.
import type { Database } from '../db.js';

/** The inventory tables the converger drives, in creation order. */
export const PLANE_TABLES = [
  'external_networks',
  'vpcs',
  'subnets',
  'security_groups',
  'network_interfaces',
  'elastic_ips',
] as const;
/** One of {@link PLANE_TABLES}. */
export type PlaneTable = (typeof PLANE_TABLES)[number];

/** A claimed row: which object, which generation, and whether it is to be removed. */
export interface PlaneWork {
  table: PlaneTable;
  id: string;
  generation: number;
  deleting: boolean;
}

// A tombstone is removed only after what hangs off it is gone from the plane and the database.
const BLOCKERS: Record<PlaneTable, string> = {
  external_networks: `NOT EXISTS (SELECT 1 FROM eip_pools p WHERE p.external_network_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM vpcs v WHERE v.gateway_network_id = t.id)`,
  elastic_ips: 'TRUE',
  vpcs: `NOT EXISTS (SELECT 1 FROM subnets s WHERE s.vpc_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM security_groups g WHERE g.vpc_id = t.id)`,
  subnets: `NOT EXISTS (SELECT 1 FROM network_interfaces p WHERE p.subnet_id = t.id)`,
  security_groups: `NOT EXISTS (SELECT 1 FROM network_interfaces p WHERE t.id = ANY(p.security_group_ids))`,
  network_interfaces: `NOT EXISTS (SELECT 1 FROM elastic_ips e WHERE e.interface_id = t.id)`,
};

/** Claims, completes and re-marks convergence work. */
export class PlaneSyncModel {
  constructor(private readonly db: Database) {}

  /**
   * Claims up to `limit` unconverged rows of a table for `owner` for `leaseSeconds`. Creations
   * and changes come first; tombstones only once nothing depends on them.
   */
  async claim(table: PlaneTable, owner: string, leaseSeconds: number, limit: number): Promise<PlaneWork[]> {
    const shared = table === 'subnets' ? 'AND t.account_id IS NOT NULL' : '';
    const r = await this.db.raw<{ rows: { id: string; generation: number; deleting: boolean }[] }>(
      `UPDATE ${table} AS u SET sync_owner = ?, sync_until = now() + make_interval(secs => ?)
       WHERE u.id IN (
         SELECT t.id FROM ${table} t
         WHERE t.generation > t.converged_generation ${shared}
           AND (t.sync_until IS NULL OR t.sync_until < now())
           AND (NOT t.deleting OR (${BLOCKERS[table]}))
         ORDER BY t.created_at, t.id
         LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING u.id, u.generation, u.deleting`,
      [owner, leaseSeconds, limit],
    );
    return r.rows.map((row) => ({ table, ...row }));
  }

  /** Records that the plane holds `generation` of the object; false when the lease was lost. */
  async converged(w: PlaneWork, owner: string): Promise<boolean> {
    const n = await this.db(w.table).where({ id: w.id, sync_owner: owner }).update({
      converged_generation: w.generation,
      sync_owner: null,
      sync_until: null,
      sync_error: null,
    });
    return n > 0;
  }

  /** Deletes a tombstone the plane no longer holds (only the generation that was removed). */
  async removed(w: PlaneWork, owner: string): Promise<boolean> {
    const n = await this.db(w.table)
      .where({ id: w.id, sync_owner: owner, generation: w.generation })
      .delete();
    return n > 0;
  }

  /** Gives a row back after a failed plane call; it is retried after `retrySeconds`. */
  async failed(w: PlaneWork, owner: string, error: string, retrySeconds: number): Promise<void> {
    await this.db(w.table)
      .where({ id: w.id, sync_owner: owner })
      .update({
        sync_owner: null,
        sync_until: this.db.raw('now() + make_interval(secs => ?)', [retrySeconds]),
        sync_error: error.slice(0, 500),
      });
  }

  /** One row as stored (snake_case columns), for the converger to translate; undefined when gone. */
  async row(table: PlaneTable, id: string): Promise<Record<string, unknown> | undefined> {
    return (await this.db(table).where({ id }).first()) as Record<string, unknown> | undefined;
  }

  /** A group's rules as stored, in priority order. */
  async rules(groupId: string): Promise<Record<string, unknown>[]> {
    return (await this.db('security_group_rules')
      .where({ group_id: groupId })
      .orderBy([{ column: 'priority' }, { column: 'id' }])) as Record<string, unknown>[];
  }

  /** A port's addresses, primary first. */
  async addresses(interfaceId: string): Promise<string[]> {
    const rows = (await this.db('subnet_addresses')
      .where({ interface_id: interfaceId })
      .orderBy([{ column: 'is_primary', order: 'desc' }, { column: 'ip' }])) as { ip: string }[];
    return rows.map((r) => r.ip);
  }

  /**
   * The chassis a port must bind on: that of the host its instance is placed on, when the
   * operator recorded one; undefined for a detached port or a host of unknown chassis.
   */
  async chassisOf(interfaceId: string): Promise<string | undefined> {
    const row: { chassis: string | null } | undefined = await this.db('network_interfaces as n')
      .join('instances as i', 'i.id', 'n.instance_id')
      .join('hosts as h', 'h.id', 'i.host_id')
      .where('n.id', interfaceId)
      .first('h.chassis');
    return row?.chassis ?? undefined;
  }

  /** Every id of a table the plane should or may hold (tombstones included). */
  async ids(table: PlaneTable): Promise<Set<string>> {
    const q = this.db(table).select('id');
    if (table === 'subnets') q.whereNotNull('account_id');
    return new Set(((await q) as { id: string }[]).map((r) => r.id));
  }

  /**
   * Marks converged live rows the plane turned out not to hold as unconverged again, so the
   * converger recreates them. Rows under a lease are left to their worker.
   */
  async remarkMissing(table: PlaneTable, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db(table)
      .whereIn('id', ids)
      .andWhere({ deleting: false })
      .andWhereRaw('converged_generation = generation')
      .andWhereRaw('(sync_until IS NULL OR sync_until < now())')
      .update({ converged_generation: 0 });
  }

  /** Live converged ids of a table (what the plane must hold). */
  async convergedIds(table: PlaneTable): Promise<string[]> {
    const q = this.db(table)
      .select('id')
      .where({ deleting: false })
      .whereRaw('converged_generation = generation');
    if (table === 'subnets') q.whereNotNull('account_id');
    return ((await q) as { id: string }[]).map((r) => r.id);
  }

  /** Whether the plane holds a row's current generation (undefined: no such live row). */
  async isConverged(table: PlaneTable, id: string): Promise<boolean | undefined> {
    const r: { generation: number; converged_generation: number } | undefined = await this.db(table)
      .where({ id, deleting: false })
      .first('generation', 'converged_generation');
    return r && r.generation === r.converged_generation;
  }

  /** How many rows of each table are not converged yet (tests and health). */
  async pending(): Promise<number> {
    let total = 0;
    for (const table of PLANE_TABLES) {
      const q = this.db(table).whereRaw('generation > converged_generation');
      if (table === 'subnets') q.whereNotNull('account_id');
      const [{ n }] = (await q.count({ n: '*' })) as [{ n: number }];
      total += n;
    }
    return total;
  }
}
