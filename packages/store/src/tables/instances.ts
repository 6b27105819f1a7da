// instances: every VM's desired and observed state, its in-flight task (claimed with conditional
// updates) and the lease of the kumod process working on that task.
import type { Knex } from 'knex';
import type { Database } from '../db.js';
import type { Scope } from './keypairs.js';

export const INSTANCES = 'instances';

/** Instance statuses (JD enum). */
export type InstanceStatus =
  | 'pending'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'rebooting'
  | 'rebuilding'
  | 'resizing'
  | 'deleting'
  | 'error';

/** Row of `instances`. */
export interface InstanceRow {
  id: string;
  account_id: string;
  region_id: string;
  az: string;
  name: string;
  description: string;
  hostname: string;
  instance_type: string;
  vcpus: number;
  memory_mb: number;
  nested_virt: boolean;
  image_id: string;
  host_id: string | null;
  status: InstanceStatus;
  task: string | null;
  task_owner: string | null;
  task_heartbeat_at: Date | null;
  task_args: Record<string, unknown> | null;
  power_state: string;
  subnet_id: string;
  vpc_id: string;
  network_interface_id: string;
  private_ip: string;
  mac: string;
  key_names: string[];
  password_hash: string | null;
  pending_password_hash: string | null;
  userdata: string | null;
  system_disk_category: string;
  system_disk_gb: number;
  error_reason: string | null;
  spawn_attempts: number;
  launch_time: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** An instance as the rest of Kumo sees it (row fields, camel-cased). */
export interface InstanceRecord {
  id: string;
  accountId: string;
  regionId: string;
  az: string;
  name: string;
  description: string;
  hostname: string;
  instanceType: string;
  vcpus: number;
  memoryMB: number;
  nestedVirt: boolean;
  imageId: string;
  hostId: string | null;
  status: InstanceStatus;
  task: string | null;
  taskOwner: string | null;
  taskArgs: Record<string, unknown> | null;
  powerState: string;
  subnetId: string;
  vpcId: string;
  networkInterfaceId: string;
  privateIp: string;
  mac: string;
  keyNames: string[];
  passwordHash: string | null;
  pendingPasswordHash: string | null;
  userdata: string | null;
  systemDiskCategory: string;
  systemDiskGB: number;
  errorReason: string | null;
  spawnAttempts: number;
  launchTime: Date | null;
  createdAt: Date;
}

/** Converts a row. */
export const toInstance = (r: InstanceRow): InstanceRecord => ({
  id: r.id,
  accountId: r.account_id,
  regionId: r.region_id,
  az: r.az,
  name: r.name,
  description: r.description,
  hostname: r.hostname,
  instanceType: r.instance_type,
  vcpus: r.vcpus,
  memoryMB: r.memory_mb,
  nestedVirt: r.nested_virt,
  imageId: r.image_id,
  hostId: r.host_id,
  status: r.status,
  task: r.task,
  taskOwner: r.task_owner,
  taskArgs: r.task_args,
  powerState: r.power_state,
  subnetId: r.subnet_id,
  vpcId: r.vpc_id,
  networkInterfaceId: r.network_interface_id,
  privateIp: r.private_ip,
  mac: r.mac,
  keyNames: r.key_names,
  passwordHash: r.password_hash,
  pendingPasswordHash: r.pending_password_hash,
  userdata: r.userdata,
  systemDiskCategory: r.system_disk_category,
  systemDiskGB: r.system_disk_gb,
  errorReason: r.error_reason,
  spawnAttempts: r.spawn_attempts,
  launchTime: r.launch_time,
  createdAt: r.created_at,
});

/** Fields of a new instance (the IP is allocated by {@link InstancesModel.insert}). */
export type NewInstance = Omit<
  InstanceRow,
  | 'private_ip'
  | 'task_owner'
  | 'task_heartbeat_at'
  | 'power_state'
  | 'error_reason'
  | 'spawn_attempts'
  | 'launch_time'
  | 'created_at'
  | 'updated_at'
  | 'pending_password_hash'
> & { private_ip?: string };

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

/** Why a task could not be claimed. */
export type ClaimRefusal =
  { reason: 'missing' } | { reason: 'busy'; task: string } | { reason: 'status'; status: string };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Queries over instances. */
export class InstancesModel {
  constructor(private readonly db: Database) {}

  /**
   * Inserts an instance, allocating the lowest free address of its subnet (from .10) unless one
   * is given. A per-subnet transaction lock makes the choice race-free across kumod processes.
   * Returns 'ip-in-use' / 'ip-exhausted' instead of inserting when no address can be had.
   */
  async insert(
    trx: Knex.Transaction,
    row: NewInstance,
    subnet: { cidr: string },
  ): Promise<InstanceRecord | 'ip-in-use' | 'ip-exhausted'> {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`subnet:${row.subnet_id}`]);
    const used = new Set(
      (await trx(INSTANCES).where({ subnet_id: row.subnet_id }).pluck('private_ip')) as string[],
    );
    let ip = row.private_ip;
    if (ip) {
      if (used.has(ip)) return 'ip-in-use';
    } else {
      const base = subnet.cidr.split('.').slice(0, 3).join('.');
      for (let h = 10; h <= 250 && !ip; h++) if (!used.has(`${base}.${h}`)) ip = `${base}.${h}`;
      if (!ip) return 'ip-exhausted';
    }
    const [inserted] = await trx<InstanceRow>(INSTANCES)
      .insert({
        ...row,
        private_ip: ip,
        task_args: row.task_args ? JSON.stringify(row.task_args) : null,
      } as never)
      .returning('*');
    return toInstance(inserted as InstanceRow);
  }

  /** One instance of an account. */
  async find(scope: Scope, id: string): Promise<InstanceRecord | undefined> {
    const row = await this.db<InstanceRow>(INSTANCES)
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .first();
    return row && toInstance(row);
  }

  /** One instance by id (jobs, reconciler, admin). */
  async get(id: string): Promise<InstanceRecord | undefined> {
    const row = await this.db<InstanceRow>(INSTANCES).where({ id }).first();
    return row && toInstance(row);
  }

  /** Several instances by id, in one query. */
  async getMany(ids: string[]): Promise<InstanceRecord[]> {
    if (ids.length === 0) return [];
    return (await this.db<InstanceRow>(INSTANCES).whereIn('id', ids).orderBy('created_at')).map(toInstance);
  }

  /** A page of an account's instances. */
  async page(
    scope: Scope,
    f: InstanceFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: InstanceRecord[]; total: number }> {
    const q = this.db<InstanceRow>(INSTANCES).where({
      account_id: scope.accountId,
      region_id: scope.regionId,
    });
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
      if (Array.isArray(v)) q.whereIn(col, v);
    }
    if (f.privateIpAddress) {
      const ips = f.privateIpAddress;
      q.andWhere((w) => {
        for (const ip of ips) w.orWhere('private_ip', 'like', `%${escapeLike(ip)}%`);
      });
    }
    if (f.name !== undefined) q.andWhere('name', 'ilike', `%${escapeLike(f.name)}%`);
    // Kumo has no availability groups or fault domains yet: asking for one matches nothing.
    if (f.agId || f.faultDomain) q.whereRaw('false');
    const [rows, [{ n }]] = await Promise.all([
      q
        .clone()
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .offset(offset)
        .limit(limit),
      q.clone().count({ n: '*' }) as unknown as Promise<[{ n: number }]>,
    ]);
    return { items: rows.map(toInstance), total: n };
  }

  /** How many instances an account has in a region (quota). */
  async count(scope: Scope, trx?: Knex.Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)(INSTANCES)
      .where({ account_id: scope.accountId, region_id: scope.regionId })
      .count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /**
   * Claims an instance for a task: succeeds only when no task is in flight and the status is one
   * of `from`; sets the transient status at once so pollers see it. Returns the refusal otherwise.
   */
  async claimTask(
    scope: Scope | undefined,
    id: string,
    c: {
      task: string;
      from: readonly InstanceStatus[];
      transient: InstanceStatus;
      args?: Record<string, unknown>;
    },
  ): Promise<InstanceRecord | ClaimRefusal> {
    const where: Record<string, string> = { id };
    if (scope) Object.assign(where, { account_id: scope.accountId, region_id: scope.regionId });
    const [row] = await this.db<InstanceRow>(INSTANCES)
      .where(where)
      .whereNull('task')
      .whereIn('status', c.from as InstanceStatus[])
      .update({
        task: c.task,
        status: c.transient,
        task_owner: null,
        task_heartbeat_at: null,
        task_args: (c.args ? JSON.stringify(c.args) : null) as never,
        updated_at: this.db.fn.now() as never,
      })
      .returning('*');
    if (row) return toInstance(row as InstanceRow);
    const now = await this.db<InstanceRow>(INSTANCES).where(where).first();
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
    task: string,
    owner: string,
    staleSeconds: number,
  ): Promise<InstanceRecord | undefined> {
    const [row] = await this.db<InstanceRow>(INSTANCES)
      .where({ id, task })
      .andWhere((w) =>
        w
          .whereNull('task_owner')
          .orWhere({ task_owner: owner })
          .orWhereRaw('task_heartbeat_at < now() - make_interval(secs => ?)', [staleSeconds]),
      )
      .update({ task_owner: owner, task_heartbeat_at: this.db.fn.now() as never })
      .returning('*');
    return row && toInstance(row as InstanceRow);
  }

  /** Renews a lease; false when the worker lost it. */
  async heartbeat(id: string, task: string, owner: string): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, task, task_owner: owner })
      .update({ task_heartbeat_at: this.db.fn.now() });
    return n > 0;
  }

  /** Updates fields while the worker still holds the task's lease; false when it does not. */
  async updateUnderLease(
    id: string,
    task: string,
    owner: string,
    patch: Partial<InstanceRow>,
  ): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, task, task_owner: owner })
      .update({ ...serialize(patch), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Ends a task: clears it and applies the final fields, only if this worker still holds it. */
  async finishTask(id: string, task: string, owner: string, patch: Partial<InstanceRow>): Promise<boolean> {
    return this.updateUnderLease(id, task, owner, {
      ...patch,
      task: null,
      task_owner: null,
      task_heartbeat_at: null,
      task_args: null,
    });
  }

  /** Applies an observation when no task is in flight (the reconciler never races a task). */
  async observe(
    id: string,
    expected: { status: InstanceStatus },
    patch: Partial<InstanceRow>,
  ): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, status: expected.status })
      .whereNull('task')
      .update({ ...serialize(patch), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Plain update of descriptive fields (name, description, password) of an account's instance. */
  async updateAttributes(scope: Scope, id: string, patch: Partial<InstanceRow>): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, account_id: scope.accountId, region_id: scope.regionId })
      .update({ ...serialize(patch), updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Deletes the row (and, by cascade, its claim row) inside the caller's transaction. */
  async remove(trx: Knex.Transaction, id: string): Promise<void> {
    await trx(INSTANCES).where({ id }).delete();
  }

  /** Instances with a task whose worker is gone (no lease, or a stale heartbeat). */
  async orphanedTasks(staleSeconds: number): Promise<InstanceRecord[]> {
    const rows = await this.db<InstanceRow>(INSTANCES)
      .whereNotNull('task')
      .andWhere((w) =>
        w
          .whereRaw('task_owner IS NULL AND updated_at < now() - make_interval(secs => ?)', [staleSeconds])
          .orWhereRaw('task_heartbeat_at < now() - make_interval(secs => ?)', [staleSeconds]),
      )
      .limit(500);
    return rows.map(toInstance);
  }

  /**
   * Clears a stale lease and stamps the row so the next sweep waits a full stale period before
   * queueing the task again; false when the task changed meanwhile.
   */
  async markRequeued(id: string, task: string): Promise<boolean> {
    const n = await this.db(INSTANCES)
      .where({ id, task })
      .update({ task_owner: null, task_heartbeat_at: null, updated_at: this.db.fn.now() });
    return n > 0;
  }

  /** Every instance placed on a host (reconciler sweep). */
  async onHost(hostId: string): Promise<InstanceRecord[]> {
    return (await this.db<InstanceRow>(INSTANCES).where({ host_id: hostId })).map(toInstance);
  }
}

function serialize(patch: Partial<InstanceRow>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...patch };
  if ('task_args' in patch) out.task_args = patch.task_args ? JSON.stringify(patch.task_args) : null;
  return out;
}
