// instances: the queries over every VM's desired and observed state (the row types and their
// conversion are instance-records.ts'). The task columns (claim, lease, step) are written only by
// instance-tasks.ts. No policy, no libvirt.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import type { Scope } from './keypairs.js';
import { addressPlan } from './subnets.js';
import {
  INSTANCES,
  TASK_NAMES,
  toInstance,
  toColumns,
  type InstanceStatus,
  type TaskName,
  type InstanceRow,
  type InstanceRecord,
  type NewInstance,
  type InstancePatch,
} from './instance-records.js';

export { CHARGE_MODES, type ChargeMode, type ChargePhase, type InstanceCharge } from './instance-records.js';
export {
  INSTANCES,
  TASK_NAMES,
  toInstance,
  toColumns,
  type InstanceStatus,
  type TaskName,
  type InstanceRow,
  type InstanceRecord,
  type NewInstance,
  type InstancePatch,
};

/** describeInstances filters (all optional; values within one filter OR, filters AND). */
export interface InstanceFilter {
  instanceId?: string[];
  privateIpAddress?: string[];
  az?: string[];
  vpcId?: string[];
  subnetId?: string[];
  imageId?: string[];
  networkInterfaceId?: string[];
  status?: string[];
  name?: string;
  agId?: string[];
  faultDomain?: string[];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * An instance as the list operations show it: the record without its secrets and task arguments
 * (user data, password hashes), which no list view renders and which may be large.
 */
export type ListedInstance = Omit<
  InstanceRecord,
  'userdata' | 'passwordHash' | 'pendingPasswordHash' | 'taskArgs'
>;

/** A listed instance from a row of LIST_COLUMNS (the other fields were not read). */
function toListed(r: InstanceRow): ListedInstance {
  const { userdata: _u, passwordHash: _p, pendingPasswordHash: _pp, taskArgs: _t, ...listed } = toInstance(r);
  return listed;
}

/** The columns a listed instance is read from. */
const LIST_COLUMNS = [
  'id',
  'account_id',
  'region_id',
  'az',
  'name',
  'description',
  'hostname',
  'instance_type',
  'vcpus',
  'memory_mb',
  'nested_virt',
  'image_id',
  'host_id',
  'status',
  'task',
  'task_step',
  'task_owner',
  'power_state',
  'subnet_id',
  'vpc_id',
  'network_interface_id',
  'private_ip',
  'mac',
  'key_names',
  'system_disk_category',
  'system_disk_gb',
  'error_reason',
  'spawn_attempts',
  'launch_time',
  'nat_era',
  'charge_mode',
  'charge_start_at',
  'charge_expires_at',
  'charge_retire_at',
  'charge_phase',
  'created_at',
] as const;

/** Queries over instances. */
export class InstancesModel {
  constructor(private readonly db: Database) {}

  /**
   * Inserts an instance, allocating the lowest free address of its subnet (from .10) unless one
   * is given. A per-subnet transaction lock makes the choice race-free across kumod processes.
   * Returns 'ip-in-use' / 'ip-exhausted' instead of inserting when no address can be had.
   */
  async insert(
    trx: Transaction,
    inst: NewInstance,
    subnet: { cidr: string } | 'address-of-interface',
  ): Promise<InstanceRecord | 'ip-in-use' | 'ip-exhausted'> {
    // An instance on the network plane holds the address its primary interface claimed (in
    // subnet_addresses, in the same transaction): nothing to allocate here.
    if (subnet === 'address-of-interface') return this.write(trx, inst, inst.privateIp!);
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`subnet:${inst.subnetId}`]);
    // Network interfaces (subnet_addresses) share the subnet and the lock: neither takes the other's.
    const used = new Set([
      ...((await trx(INSTANCES).where({ subnet_id: inst.subnetId }).pluck('private_ip')) as string[]),
      ...((await trx('subnet_addresses').where({ subnet_id: inst.subnetId }).pluck('ip')) as string[]),
    ]);
    let ip = inst.privateIp;
    if (ip) {
      if (used.has(ip)) return 'ip-in-use';
    } else {
      for (const candidate of addressPlan(subnet.cidr).statics()) {
        if (!used.has(candidate)) {
          ip = candidate;
          break;
        }
      }
      if (!ip) return 'ip-exhausted';
    }
    return this.write(trx, inst, ip);
  }

  private async write(trx: Transaction, inst: NewInstance, ip: string): Promise<InstanceRecord> {
    const row: Omit<
      InstanceRow,
      | 'task_owner'
      | 'task_heartbeat_at'
      | 'task_step'
      | 'power_state'
      | 'error_reason'
      | 'spawn_attempts'
      | 'launch_time'
      | 'nat_era'
      | 'created_at'
      | 'updated_at'
      | 'pending_password_hash'
      | 'charge_mode'
      | 'charge_start_at'
      | 'charge_expires_at'
      | 'charge_retire_at'
      | 'charge_phase'
    > &
      Partial<InstanceRow> = {
      id: inst.id,
      account_id: inst.accountId,
      region_id: inst.regionId,
      az: inst.az,
      name: inst.name,
      description: inst.description,
      hostname: inst.hostname,
      instance_type: inst.instanceType,
      vcpus: inst.vcpus,
      memory_mb: inst.memoryMB,
      nested_virt: inst.nestedVirt,
      image_id: inst.imageId,
      host_id: inst.hostId,
      status: inst.status,
      task: inst.task,
      task_args: inst.taskArgs,
      subnet_id: inst.subnetId,
      vpc_id: inst.vpcId,
      network_interface_id: inst.networkInterfaceId,
      private_ip: ip,
      mac: inst.mac,
      key_names: inst.keyNames,
      password_hash: inst.passwordHash,
      userdata: inst.userdata,
      system_disk_category: inst.systemDiskCategory,
      system_disk_gb: inst.systemDiskGB,
      ...(inst.charge
        ? {
            charge_mode: inst.charge.mode,
            charge_start_at: inst.charge.startAt,
            charge_expires_at: inst.charge.expiresAt,
            charge_retire_at: inst.charge.retireAt,
            charge_phase: inst.charge.phase,
          }
        : {}),
    };
    const [inserted] = await trx<InstanceRow>(INSTANCES)
      .insert({ ...row, task_args: row.task_args ? JSON.stringify(row.task_args) : null } as never)
      .returning('*');
    return toInstance(inserted as InstanceRow);
  }

  /** One instance of an account (its row locked until the end of `trx` when given one). */
  async find(scope: Scope, id: string, trx?: Transaction): Promise<InstanceRecord | undefined> {
    const q = (trx ?? this.db)<InstanceRow>(INSTANCES)
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .first();
    if (trx) q.forUpdate();
    const row = await q;
    return row && toInstance(row);
  }

  /** One instance by id (jobs, reconciler, admin). */
  async get(id: string, trx?: Transaction): Promise<InstanceRecord | undefined> {
    const row = await (trx ?? this.db)<InstanceRow>(INSTANCES).where({ id }).first();
    return row && toInstance(row);
  }

  /** Several instances by id, in one query. */
  async getMany(ids: string[]): Promise<InstanceRecord[]> {
    if (ids.length === 0) return [];
    return (await this.db<InstanceRow>(INSTANCES).whereIn('id', ids).orderBy('created_at')).map(toInstance);
  }

  /**
   * A page of an account's instances and the exact number matching `f`, in one statement (one
   * snapshot, one round trip). The page is a deferred join: its keys are picked in list order on
   * the 0003 indexes (index-only where the visibility map allows), then only those rows are read.
   * An unfiltered total is the account's maintained count (migration 0013), not a count of its rows.
   */
  async page(
    scope: Scope,
    f: InstanceFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: ListedInstance[]; total: number }> {
    const { q, filtered } = this.matching(scope, f);
    const keys = q
      .clone()
      .select('id')
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .offset(offset)
      .limit(limit);
    const total = filtered
      ? q.clone().count('*')
      : this.db.raw('coalesce((?), 0)', [this.accountCount(scope)]);
    const rows = (await this.db(INSTANCES)
      .select(this.db.raw('(?)::int AS total_count', [total]), ...LIST_COLUMNS)
      .whereIn('id', keys)
      .orderBy([{ column: 'created_at' }, { column: 'id' }])) as (InstanceRow & { total_count: number })[];
    // No row: either nothing matches (a first page says so) or the page is past the end.
    if (rows.length === 0) {
      if (offset === 0) return { items: [], total: 0 };
      const [{ n }] = (await (filtered
        ? q.clone().count({ n: '*' })
        : this.db.select({ n: this.db.raw('coalesce((?), 0)', [this.accountCount(scope)]) }))) as [
        { n: number },
      ];
      return { items: [], total: Number(n) };
    }
    return { items: rows.map(toListed), total: rows[0]!.total_count };
  }

  /** The WHERE of describeInstances' filters (`filtered`: anything beyond the account and region). */
  private matching(scope: Scope, f: InstanceFilter) {
    const q = this.db<InstanceRow>(INSTANCES).where({
      account_id: scope.accountId,
      region_id: scope.regionId,
    });
    let filtered = false;
    const exact: [keyof InstanceFilter, string][] = [
      ['instanceId', 'id'],
      ['az', 'az'],
      ['vpcId', 'vpc_id'],
      ['subnetId', 'subnet_id'],
      ['imageId', 'image_id'],
      ['networkInterfaceId', 'network_interface_id'],
      ['status', 'status'],
    ];
    for (const [k, col] of exact) {
      const v = f[k];
      if (Array.isArray(v)) {
        q.whereIn(col, v);
        filtered = true;
      }
    }
    if (f.privateIpAddress) {
      const ips = f.privateIpAddress;
      q.andWhere((w) => {
        for (const ip of ips) w.orWhere('private_ip', 'like', `%${escapeLike(ip)}%`);
      });
      filtered = true;
    }
    if (f.name !== undefined) {
      q.andWhere('name', 'ilike', `%${escapeLike(f.name)}%`);
      filtered = true;
    }
    // Kumo has no availability groups or fault domains yet: asking for one matches nothing.
    if (f.agId || f.faultDomain) {
      q.whereRaw('false');
      filtered = true;
    }
    return { q, filtered };
  }

  /** The maintained number of an account's instances in a region (migration 0013's triggers). */
  private accountCount(scope: Scope, trx?: Transaction) {
    return (trx ?? this.db)('resource_counts')
      .select(this.db.raw('coalesce(sum(n), 0)::int AS n'))
      .where({ resource: INSTANCES, account_id: scope.accountId, region_id: scope.regionId });
  }

  /** Instances of every account by status (the metrics gauge). */
  async countByStatus(): Promise<{ status: string; count: number }[]> {
    const r = await this.db.raw<{ rows: { status: string; n: number }[] }>(
      `SELECT status, count(*)::int AS n FROM ${INSTANCES} GROUP BY status`,
    );
    return r.rows.map((x) => ({ status: x.status, count: x.n }));
  }

  /** How many instances an account has in a region (quota): its maintained count. */
  async count(scope: Scope, trx?: Transaction): Promise<number> {
    const row = (await this.accountCount(scope, trx).first()) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Applies an observation when no task is in flight (the reconciler never races a task). */
  async observe(id: string, expected: { status: InstanceStatus }, patch: InstancePatch): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, status: expected.status })
      .whereNull('task')
      .update({ ...toColumns(patch), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Plain update of descriptive fields (name, description, password) of an account's instance. */
  async updateAttributes(
    scope: Scope,
    id: string,
    patch: Pick<InstancePatch, 'name' | 'description' | 'pendingPasswordHash'>,
  ): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .update({ ...toColumns(patch), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Every instance placed on a host (reconciler sweep). */
  async onHost(hostId: string): Promise<InstanceRecord[]> {
    return (await this.db<InstanceRow>(INSTANCES).where({ host_id: hostId })).map(toInstance);
  }
}
