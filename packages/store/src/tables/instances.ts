// instances: every VM's desired and observed state, and the row <-> domain conversion. The task
// columns (claim, lease, step) are written only by instance-tasks.ts. No policy, no libvirt.
import type { InstanceStatusValue } from '@kumo/contract';
import type { Database } from '../db.js';
import { pageOf } from '../paging.js';
import type { Transaction } from '../locks.js';
import type { Scope } from './keypairs.js';
import { addressPlan } from './subnets.js';

export const INSTANCES = 'instances';

/** Instance statuses: the JD enum of @kumo/contract, the one definition. */
export type InstanceStatus = InstanceStatusValue;

/** The durable operations on an instance; the `task` column holds one of these or null. */
export const TASK_NAMES = [
  'spawn',
  'start',
  'stop',
  'reboot',
  'resize',
  'rebuild',
  'image',
  'delete',
] as const;
/** One durable operation on an instance. */
export type TaskName = (typeof TASK_NAMES)[number];

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
  task: TaskName | null;
  task_step: string | null;
  task_owner: string | null;
  task_heartbeat_at: Date | null;
  task_args: Record<string, unknown> | null;
  task_claimed_at?: Date | null;
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
  task: TaskName | null;
  /** The step the task reached (see the task runner); null before its first step. */
  taskStep: string | null;
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
  systemDiskCategory: 'local' | 'cloud';
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
  taskStep: r.task_step,
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
  systemDiskCategory: r.system_disk_category as InstanceRecord['systemDiskCategory'],
  systemDiskGB: r.system_disk_gb,
  errorReason: r.error_reason,
  spawnAttempts: r.spawn_attempts,
  launchTime: r.launch_time,
  createdAt: r.created_at,
});

/** Fields of a new instance (the IP is allocated by {@link InstancesModel.insert} unless given). */
export type NewInstance = Omit<
  InstanceRecord,
  | 'privateIp'
  | 'taskStep'
  | 'taskOwner'
  | 'powerState'
  | 'errorReason'
  | 'spawnAttempts'
  | 'launchTime'
  | 'createdAt'
  | 'pendingPasswordHash'
> & { privateIp?: string };

/** The fields of an instance that callers may change (domain-shaped; the store maps columns). */
export type InstancePatch = Partial<
  Pick<
    InstanceRecord,
    | 'name'
    | 'description'
    | 'status'
    | 'powerState'
    | 'launchTime'
    | 'errorReason'
    | 'hostId'
    | 'instanceType'
    | 'vcpus'
    | 'memoryMB'
    | 'nestedVirt'
    | 'imageId'
    | 'keyNames'
    | 'passwordHash'
    | 'pendingPasswordHash'
    | 'spawnAttempts'
  >
>;

const COLUMNS: { [K in keyof Required<InstancePatch>]: keyof InstanceRow } = {
  name: 'name',
  description: 'description',
  status: 'status',
  powerState: 'power_state',
  launchTime: 'launch_time',
  errorReason: 'error_reason',
  hostId: 'host_id',
  instanceType: 'instance_type',
  vcpus: 'vcpus',
  memoryMB: 'memory_mb',
  nestedVirt: 'nested_virt',
  imageId: 'image_id',
  keyNames: 'key_names',
  passwordHash: 'password_hash',
  pendingPasswordHash: 'pending_password_hash',
  spawnAttempts: 'spawn_attempts',
};

/** The columns a patch writes (undefined fields are left alone). */
export function toColumns(patch: InstancePatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v !== undefined) out[COLUMNS[k as keyof InstancePatch]] = v;
  }
  return out;
}

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
      | 'created_at'
      | 'updated_at'
      | 'pending_password_hash'
    > = {
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
    };
    const [inserted] = await trx<InstanceRow>(INSTANCES)
      .insert({ ...row, task_args: row.task_args ? JSON.stringify(row.task_args) : null } as never)
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
    const { rows, total } = await pageOf(q, offset, limit);
    return { items: rows.map(toInstance), total };
  }

  /** Instances of every account by status (the metrics gauge). */
  async countByStatus(): Promise<{ status: string; count: number }[]> {
    const r = await this.db.raw<{ rows: { status: string; n: number }[] }>(
      `SELECT status, count(*)::int AS n FROM ${INSTANCES} GROUP BY status`,
    );
    return r.rows.map((x) => ({ status: x.status, count: x.n }));
  }

  /** How many instances an account has in a region (quota). */
  async count(scope: Scope, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)(INSTANCES)
      .where({ account_id: scope.accountId, region_id: scope.regionId })
      .count({ n: '*' })) as [{ n: number }];
    return n;
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
