// The instance row and record types, their conversion, and the patch-to-column map: the shape of
// an instance, shared by the queries of instances.ts and the task writes of instance-tasks.ts.
import type { InstanceStatusValue } from '@kumo/contract';

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
  'keys',
  'evacuate',
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
  nat_era: boolean;
  charge_mode: ChargeMode;
  charge_start_at: Date | null;
  charge_expires_at: Date | null;
  charge_retire_at: Date | null;
  charge_phase: ChargePhase;
  created_at: Date;
  updated_at: Date;
}

/** JD's billing modes of an instance. */
export const CHARGE_MODES = ['postpaid_by_duration', 'postpaid_by_usage', 'prepaid_by_duration'] as const;
/** One billing mode. */
export type ChargeMode = (typeof CHARGE_MODES)[number];
/** Where a prepaid instance is on its timer: paid up, expired (stopped), retired (then deleted). */
export type ChargePhase = 'active' | 'expired' | 'retired';

/** How an instance is billed; the times are set for prepaid instances only. */
export interface InstanceCharge {
  mode: ChargeMode;
  /** When billing started (creation); null reads as the creation time. */
  startAt: Date | null;
  expiresAt: Date | null;
  /** When an expired instance is retired; it is deleted one grace period later. */
  retireAt: Date | null;
  phase: ChargePhase;
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
  /** Still on its host's libvirt NAT network (created before the network plane): moved at its next power-on. */
  natEra: boolean;
  charge: InstanceCharge;
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
  natEra: r.nat_era,
  charge: {
    mode: r.charge_mode,
    startAt: r.charge_start_at,
    expiresAt: r.charge_expires_at,
    retireAt: r.charge_retire_at,
    phase: r.charge_phase,
  },
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
  | 'natEra'
  | 'createdAt'
  | 'pendingPasswordHash'
  | 'charge'
> & { privateIp?: string; charge?: InstanceCharge };

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
