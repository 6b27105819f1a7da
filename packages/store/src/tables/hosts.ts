// hosts and claims: KVM hosts, their capacity, and the capacity each instance holds on one.
import type { Database } from '../db.js';
import { CheckViolation, translatePgErrors, UniqueViolation } from '../errors.js';
import { newId } from '../ids.js';
import type { Transaction } from '../locks.js';
import { claimRanked } from './host-claims.js';

export const HOSTS = 'hosts';
export const CLAIMS = 'claims';

/** Row of `hosts`. */
export interface HostRow {
  id: string;
  name: string;
  uri: string;
  chassis: string | null;
  region_id: string;
  az: string;
  pool_path: string;
  accelerator: string;
  enabled: boolean;
  health: string;
  health_reason: string | null;
  last_seen_at: Date | null;
  arch: string;
  nested_virt: boolean;
  total_vcpus: number;
  total_memory_mb: number;
  total_disk_gb: number;
  cpu_ratio: string;
  memory_ratio: string;
  disk_ratio: string;
  used_vcpus: number;
  used_memory_mb: number;
  used_disk_gb: number;
  created_at: Date;
}

/** Capacity of one kind: usable = floor(total × ratio). */
export interface HostResource {
  total: number;
  used: number;
  ratio: number;
}

/** A host as the rest of Kumo sees it. */
export interface HostRecord {
  id: string;
  name: string;
  uri: string;
  /** The host's OVN chassis name, when the operator gave it (ports of its instances bind only there). */
  chassis: string | null;
  regionId: string;
  az: string;
  poolPath: string;
  accelerator: 'kvm' | 'qemu' | 'probe';
  enabled: boolean;
  health: 'up' | 'down' | 'unknown';
  healthReason: string | null;
  lastSeenAt: Date | null;
  arch: string;
  nestedVirt: boolean;
  vcpus: HostResource;
  memoryMB: HostResource;
  diskGB: HostResource;
  createdAt: Date;
}

/** What a claim holds. */
export interface ClaimSize {
  vcpus: number;
  memoryMB: number;
  diskGB: number;
}

const toHost = (r: HostRow): HostRecord => ({
  id: r.id,
  name: r.name,
  uri: r.uri,
  chassis: r.chassis,
  regionId: r.region_id,
  az: r.az,
  poolPath: r.pool_path,
  accelerator: r.accelerator as HostRecord['accelerator'],
  enabled: r.enabled,
  health: r.health as HostRecord['health'],
  healthReason: r.health_reason,
  lastSeenAt: r.last_seen_at,
  arch: r.arch,
  nestedVirt: r.nested_virt,
  vcpus: { total: r.total_vcpus, used: r.used_vcpus, ratio: Number(r.cpu_ratio) },
  memoryMB: { total: r.total_memory_mb, used: r.used_memory_mb, ratio: Number(r.memory_ratio) },
  diskGB: { total: r.total_disk_gb, used: r.used_disk_gb, ratio: Number(r.disk_ratio) },
  createdAt: r.created_at,
});

/** Releases an instance's claim inside `trx` (idempotent); returns the host it was on. */
export async function releaseClaim(trx: Transaction, instanceId: string): Promise<string | undefined> {
  const [claim] = await trx(CLAIMS).where({ instance_id: instanceId }).delete().returning('*');
  if (!claim) return undefined;
  await trx(HOSTS)
    .where({ id: claim.host_id })
    .decrement({ used_vcpus: claim.vcpus, used_memory_mb: claim.memory_mb, used_disk_gb: claim.disk_gb });
  return claim.host_id as string;
}

/** Queries over hosts and claims. */
export class HostsModel {
  constructor(private readonly db: Database) {}

  /** Registers a host; throws UniqueViolation on a duplicate name. */
  async create(h: {
    name: string;
    uri: string;
    regionId: string;
    az: string;
    poolPath: string;
    accelerator: string;
    cpuRatio: number;
    memoryRatio: number;
    diskRatio: number;
    chassis?: string | undefined;
  }): Promise<HostRecord> {
    const [row] = await translatePgErrors(() =>
      this.db<HostRow>(HOSTS)
        .insert({
          id: newId('host'),
          name: h.name,
          uri: h.uri,
          chassis: h.chassis ?? null,
          region_id: h.regionId,
          az: h.az,
          pool_path: h.poolPath,
          accelerator: h.accelerator,
          cpu_ratio: String(h.cpuRatio),
          memory_ratio: String(h.memoryRatio),
          disk_ratio: String(h.diskRatio),
        })
        .returning('*'),
    );
    return toHost(row!);
  }

  /** Every host, optionally of one region (inside `trx` when given: callers in a transaction must). */
  async list(regionId?: string, trx?: Transaction): Promise<HostRecord[]> {
    const q = (trx ?? this.db)<HostRow>(HOSTS).orderBy('name');
    if (regionId) q.where({ region_id: regionId });
    return (await q).map(toHost);
  }

  /** The hosts of one AZ (what a placement ranks). */
  async inZone(regionId: string, az: string, trx?: Transaction): Promise<HostRecord[]> {
    const rows: HostRow[] = await (trx ?? this.db)<HostRow>(HOSTS).where({ region_id: regionId, az });
    return rows.map(toHost);
  }

  /** One host by id or name. */
  async find(idOrName: string): Promise<HostRecord | undefined> {
    const row = await this.db<HostRow>(HOSTS).where({ id: idOrName }).orWhere({ name: idOrName }).first();
    return row && toHost(row);
  }

  /** Records the accelerator a probe found. */
  async setAccelerator(id: string, accelerator: 'kvm' | 'qemu'): Promise<void> {
    await this.db(HOSTS).where({ id }).update({ accelerator });
  }

  /** Enables (placements allowed) or drains (no new placements) a host. */
  async setEnabled(id: string, enabled: boolean): Promise<boolean> {
    return (await this.db(HOSTS).where({ id }).update({ enabled })) > 0;
  }

  /** Records what a health probe saw; capacity is refreshed when the host answered. */
  async recordHealth(
    id: string,
    seen: { health: 'up' | 'down'; reason?: string; capacity?: ClaimSize & { nestedVirt: boolean } },
  ): Promise<void> {
    const patch: Record<string, unknown> = { health: seen.health, health_reason: seen.reason ?? null };
    if (seen.health === 'up') patch.last_seen_at = this.db.fn.now();
    if (seen.capacity) {
      patch.total_vcpus = seen.capacity.vcpus;
      patch.total_memory_mb = seen.capacity.memoryMB;
      patch.total_disk_gb = seen.capacity.diskGB;
      patch.nested_virt = seen.capacity.nestedVirt;
    }
    try {
      await translatePgErrors(() => this.db(HOSTS).where({ id }).update(patch));
    } catch (err) {
      // A host that shrank below what is already claimed keeps its old totals until claims drop.
      if (!(err instanceof CheckViolation)) throw err;
      delete patch.total_vcpus;
      delete patch.total_memory_mb;
      delete patch.total_disk_gb;
      await this.db(HOSTS).where({ id }).update(patch);
    }
  }

  /** Removes a host that holds no claims; false when claims remain or it does not exist. */
  async delete(id: string): Promise<'deleted' | 'in-use' | 'missing'> {
    return this.db.transaction(async (trx) => {
      const host = await trx<HostRow>(HOSTS).where({ id }).forUpdate().first();
      if (!host) return 'missing';
      const [{ n }] = (await trx(CLAIMS).where({ host_id: id }).count({ n: '*' })) as [{ n: number }];
      const [{ m }] = (await trx('instances').where({ host_id: id }).count({ m: '*' })) as [{ m: number }];
      if (n > 0 || m > 0) return 'in-use';
      await trx(HOSTS).where({ id }).delete();
      return 'deleted';
    });
  }

  /** Region and AZ pairs that have at least one host. */
  async zones(): Promise<{ regionId: string; az: string }[]> {
    const rows = await this.db(HOSTS).distinct('region_id', 'az').orderBy(['region_id', 'az']);
    return rows.map((r: { region_id: string; az: string }) => ({ regionId: r.region_id, az: r.az }));
  }

  /**
   * Claims capacity on a host for an instance inside the caller's transaction. Returns false when
   * the host has no room: the CHECK constraints refuse the update, so two concurrent claims can
   * never both fit into the last slot. The failed statement is rolled back to a savepoint so the
   * caller's transaction stays usable for a retry on another host.
   */
  async claim(trx: Transaction, instanceId: string, hostId: string, size: ClaimSize): Promise<boolean> {
    try {
      await translatePgErrors(() =>
        trx.transaction(async (sp) => {
          const n = await sp(HOSTS)
            .where({ id: hostId, enabled: true })
            .increment({ used_vcpus: size.vcpus, used_memory_mb: size.memoryMB, used_disk_gb: size.diskGB });
          if (n === 0) throw new CheckViolation('host_not_enabled');
          await sp(CLAIMS).insert({
            instance_id: instanceId,
            host_id: hostId,
            vcpus: size.vcpus,
            memory_mb: size.memoryMB,
            disk_gb: size.diskGB,
          });
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof CheckViolation) return false;
      if (err instanceof UniqueViolation)
        throw new Error(`instance ${instanceId} already holds a claim`, { cause: err });
      throw err;
    }
  }

  /**
   * Claims capacity on one of `ranked` (best first) without queueing behind concurrent claims of
   * the same host (see host-claims.ts); the host's id, or undefined when none of them fits now.
   */
  claimRanked(
    trx: Transaction,
    instanceId: string,
    ranked: readonly string[],
    size: ClaimSize,
  ): Promise<string | undefined> {
    return claimRanked(trx, instanceId, ranked, size);
  }

  /** Hosts by health (the metrics gauge). */
  async countByHealth(): Promise<{ health: string; count: number }[]> {
    const r = await this.db.raw<{ rows: { health: string; n: number }[] }>(
      `SELECT health, count(*)::int AS n FROM ${HOSTS} GROUP BY health`,
    );
    return r.rows.map((x) => ({ health: x.health, count: x.n }));
  }

  /** Releases an instance's claim (idempotent); returns the host it was on. */
  async release(instanceId: string, trx?: Transaction): Promise<string | undefined> {
    return trx ? releaseClaim(trx, instanceId) : this.db.transaction((t) => releaseClaim(t, instanceId));
  }

  /** Changes an instance's claim to a new size on the same host (resize); false when it does not fit. */
  async resizeClaim(instanceId: string, size: ClaimSize, outer?: Transaction): Promise<boolean> {
    try {
      return await translatePgErrors(() =>
        // Inside the caller's transaction this is a savepoint: a refusal (check violation: the
        // host is full) undoes only this, and the caller decides what else to roll back.
        (outer ?? this.db).transaction(async (trx) => {
          const claim = await trx(CLAIMS).where({ instance_id: instanceId }).forUpdate().first();
          if (!claim) return false;
          await trx(HOSTS)
            .where({ id: claim.host_id })
            .increment({
              used_vcpus: size.vcpus - claim.vcpus,
              used_memory_mb: size.memoryMB - claim.memory_mb,
              used_disk_gb: size.diskGB - claim.disk_gb,
            });
          await trx(CLAIMS)
            .where({ instance_id: instanceId })
            .update({ vcpus: size.vcpus, memory_mb: size.memoryMB, disk_gb: size.diskGB });
          return true;
        }),
      );
    } catch (err) {
      if (err instanceof CheckViolation) return false;
      throw err;
    }
  }

  /** Claims per host compared with hosts.used_* (for tests and health checks): rows that disagree. */
  async claimDrift(): Promise<{ hostId: string; used: ClaimSize; claimed: ClaimSize }[]> {
    const r = await this.db.raw<{
      rows: { id: string; uv: number; um: number; ud: number; cv: number; cm: number; cd: number }[];
    }>(`SELECT h.id, h.used_vcpus uv, h.used_memory_mb um, h.used_disk_gb ud,
              COALESCE(sum(c.vcpus),0)::int cv, COALESCE(sum(c.memory_mb),0)::int cm, COALESCE(sum(c.disk_gb),0)::int cd
         FROM hosts h LEFT JOIN claims c ON c.host_id = h.id GROUP BY h.id
        HAVING h.used_vcpus <> COALESCE(sum(c.vcpus),0) OR h.used_memory_mb <> COALESCE(sum(c.memory_mb),0)
            OR h.used_disk_gb <> COALESCE(sum(c.disk_gb),0)`);
    return r.rows.map((x) => ({
      hostId: x.id,
      used: { vcpus: x.uv, memoryMB: x.um, diskGB: x.ud },
      claimed: { vcpus: x.cv, memoryMB: x.cm, diskGB: x.cd },
    }));
  }
}
