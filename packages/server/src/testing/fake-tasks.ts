// In-memory stand-ins for what task steps run against: a lease over one instance record (fenced
// like the store's), hosts of FakeHostDrivers, inventory and placement. For unit tests only.
import type { ImageManifest } from '@kumo/hypervisor';
import type {
  ActionResult,
  ImageRecord,
  InstancePatch,
  InstanceRecord,
  NetworkInterfaceRecord,
  SubnetRecord,
  TaskName,
} from '@kumo/store';
import type { HostAccess } from '../compute/host-registry.js';
import type { ComputeConfig } from '../config.js';
import type { HostDriver } from '../drivers/host-driver.js';
import type { LeaseRef } from '../compute/placement.js';
import type { TaskContext } from '../jobs/context.js';
import type { TaskLease } from '../jobs/steps.js';
import { createLogger } from '../logger.js';
import { FakeHostDriver } from './fake-host-driver.js';
import { MemoryImageStore } from './memory-image-store.js';

/** An instance record with test defaults. */
export function sampleInstance(over: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    id: 'i-aaaaaaaaaaaa',
    accountId: 'acc-1',
    regionId: 'cn-north-1',
    az: 'cn-north-1a',
    name: 'web',
    description: '',
    hostname: 'web',
    instanceType: 'g.n2.medium',
    vcpus: 2,
    memoryMB: 4096,
    nestedVirt: false,
    imageId: 'img-aaaaaaaaaaaa',
    hostId: 'host-a',
    status: 'pending',
    task: 'spawn',
    taskStep: null,
    taskOwner: null,
    taskArgs: null,
    powerState: 'absent',
    subnetId: 'subnet-aaaaaaaaaa',
    vpcId: 'vpc-1',
    networkInterfaceId: 'port-1',
    privateIp: '10.240.0.10',
    mac: '52:54:00:00:00:01',
    keyNames: [],
    passwordHash: null,
    pendingPasswordHash: null,
    userdata: null,
    systemDiskCategory: 'local',
    systemDiskGB: 40,
    errorReason: null,
    spawnAttempts: 0,
    launchTime: null,
    natEra: false,
    charge: { mode: 'postpaid_by_duration', startAt: null, expiresAt: null, retireAt: null, phase: 'active' },
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

const manifest: ImageManifest = {
  name: 'debian-12',
  os: 'debian',
  version: '12',
  arch: 'x86_64',
  rootDevice: 'virtio-blk',
  minDiskBytes: 2 ** 30,
  boot: { mode: 'firmware' },
  defaultUser: 'debian',
  sshPasswordAuth: false,
  files: { root: { path: 'root.qcow2', bytes: 1, sha256: 'x' } },
};

/** An image record with test defaults. */
export const sampleImage = (over: Partial<ImageRecord> = {}): ImageRecord => ({
  id: 'img-aaaaaaaaaaaa',
  regionId: 'cn-north-1',
  ownerAccountId: null,
  name: 'debian-12',
  description: '',
  imageSource: 'public',
  platform: 'Debian',
  osType: 'linux',
  osVersion: '12',
  architecture: 'x86_64',
  status: 'ready',
  minDiskGB: 1,
  sizeBytes: 1,
  filesDir: '/images/debian-12',
  manifest,
  constraint: null,
  progress: 100,
  errorReason: null,
  sourceInstanceId: null,
  sourceImageId: null,
  dataDisks: [],
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
});

/** A subnet record with test defaults. */
export const sampleSubnet = (): SubnetRecord => ({
  id: 'subnet-aaaaaaaaaa',
  vpcId: 'vpc-1',
  regionId: 'cn-north-1',
  az: 'cn-north-1a',
  cidr: '10.240.0.0/24',
  gateway: '10.240.0.1',
  prefix: 24,
});

/** A primary network interface record with test defaults. */
export const samplePort = (over: Partial<NetworkInterfaceRecord> = {}): NetworkInterfaceRecord => ({
  id: 'port-aaaaaaaaaa',
  accountId: 'acc-1',
  regionId: 'cn-north-1',
  az: 'cn-north-1a',
  vpcId: 'vpc-1',
  subnetId: 'subnet-aaaaaaaaaa',
  interfaceId: '7d0c8f3e-2f1a-4b7e-9d61-0a1b2c3d4e5f',
  mac: '52:54:00:00:00:01',
  primaryIp: '10.240.0.10',
  secondaryIps: [],
  name: '',
  description: '',
  securityGroupIds: [],
  role: 'Primary',
  instanceId: 'i-aaaaaaaaaaaa',
  deviceIndex: 0,
  autoDelete: true,
  attachTask: null,
  attachError: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
});

/**
 * One instance row and its task lease, fenced like InstanceTasksModel: every write checks the
 * task and owner. `preempt` does what a delete's claim does to a spawn in flight.
 */
export class FakeLease implements TaskLease {
  /** The row; undefined once deleted. */
  row: InstanceRecord | undefined;
  /** Every step recorded, in order. */
  readonly steps: string[] = [];

  constructor(inst: InstanceRecord, owner: string) {
    this.row = { ...inst, taskOwner: owner };
  }

  private holds(id: string, task: TaskName, owner: string): boolean {
    return this.row?.id === id && this.row.task === task && this.row.taskOwner === owner;
  }

  /** Another task takes the instance and clears the lease (as the store's claim does). */
  preempt(task: TaskName, status: InstanceRecord['status']): void {
    if (this.row) this.row = { ...this.row, task, status, taskOwner: null, taskStep: null };
  }

  async recordStep(id: string, task: TaskName, owner: string, step: string): Promise<boolean> {
    if (!this.holds(id, task, owner)) return false;
    this.steps.push(step);
    this.row = { ...this.row!, taskStep: step };
    return true;
  }
  async update(id: string, task: TaskName, owner: string, patch: InstancePatch): Promise<boolean> {
    if (!this.holds(id, task, owner)) return false;
    this.row = { ...this.row!, ...patch };
    return true;
  }
  /** How each finished task ended, as the action log would record it. */
  readonly results: ActionResult[] = [];

  async finish(
    id: string,
    task: TaskName,
    owner: string,
    patch: InstancePatch,
    result: ActionResult,
  ): Promise<boolean> {
    if (!this.holds(id, task, owner)) return false;
    this.results.push(result);
    this.row = { ...this.row!, ...patch, task: null, taskStep: null, taskOwner: null, taskArgs: null };
    return true;
  }
  async finishDelete(id: string, owner: string): Promise<boolean> {
    if (!this.holds(id, 'delete', owner)) return false;
    this.row = undefined;
    return true;
  }
}

/** Hosts by id, each a FakeHostDriver. */
export class FakeHosts implements HostAccess {
  readonly byId = new Map<string, FakeHostDriver>();

  constructor(ids: string[]) {
    for (const id of ids) this.byId.set(id, new FakeHostDriver(id));
  }

  host(id: string): FakeHostDriver {
    const h = this.byId.get(id);
    if (!h) throw new Error(`no fake host ${id}`);
    return h;
  }

  with<T>(hostId: string, fn: (h: HostDriver) => Promise<T>): Promise<T> {
    return fn(this.host(hostId));
  }
}

const compute: ComputeConfig = {
  libvirtPrefix: 'kumo-',
  subnetBlock: '10.240',
  localHostUri: '',
  localHostChassis: '',
  localHostAccelerator: 'qemu',
  localPoolDir: '/tmp/pool',
  weigher: 'spread',
  jobWorkers: 1,
  stopTimeoutSeconds: 1,
  reconcileIntervalSeconds: 60,
  taskStaleSeconds: 30,
  taskDeadlineSeconds: 1800,
  vncListen: '127.0.0.1',
  crashAtStep: '',
};

/**
 * A task context over fake hosts and one lease. Placement hands out the hosts in `order` that
 * the instance has not failed on, like the scheduler with `avoidHostIds`, bounded by `maxAttempts`.
 */
export function fakeContext(opts: {
  hosts: FakeHosts;
  lease: FakeLease;
  order?: string[];
  maxAttempts?: number;
  /** The instance's network interfaces (default: one primary, {@link samplePort}). */
  interfaces?: NetworkInterfaceRecord[];
  /** The interface an instance of the NAT era is given, and how many others share its network. */
  adoption?: { nic: NetworkInterfaceRecord; othersOnHost: number };
  /** The instance's cloud data disks (default: none). */
  dataDisks?: { diskId: string; local: boolean; failed: boolean; system?: boolean }[];
}) {
  const moves: { from: string | null; to: string | null }[] = [];
  const networkCalls: string[] = [];
  const diskCalls: string[] = [];
  const ctx: TaskContext = {
    vncPassword: (id) => `vnc-${id}`.slice(0, 8),
    hosts: opts.hosts,
    imageStore: new MemoryImageStore(),
    images: {
      setProgress: async () => undefined,
      settle: async () => true,
    },
    inventory: {
      image: async (id) => (id === sampleImage().id ? sampleImage() : undefined),
      subnet: async (_regionId, id) => (id === sampleSubnet().id ? sampleSubnet() : undefined),
      publicKeys: async () => [],
      instance: async () => opts.lease.row,
    },
    network: {
      bridge: 'br-int',
      interfaces: async () => opts.interfaces ?? [samplePort()],
      converged: async (id) => void networkCalls.push(`converged:${id}`),
      portUp: async (id) => void networkCalls.push(`up:${id}`),
    },
    disks: {
      dataDisks: async () => (opts.dataDisks ?? []).map((x) => ({ system: false, ...x })),
      rootDiskXml: async () => undefined,
      fenceAll: async () => [],
      reimageRoot: async () => false,
      exportRoot: async () => undefined,
      snapshotsReady: async (ids) => void diskCalls.push(`snapshots:${ids.join(',')}`),
      async created(id) {
        diskCalls.push(`created:${id}`);
        const failed = opts.dataDisks?.find((x) => x.failed);
        if (failed) throw new Error(`data disk ${failed.diskId} could not be created`);
      },
      // Records the domain's state when the disks join it (stopped: before the first boot).
      attachAll: async (id, hostId) =>
        void diskCalls.push(
          `attach:${id}@${hostId}:${opts.hosts.host(hostId).instances.get(id) ?? 'absent'}`,
        ),
    },
    natEra: {
      async adopt(inst) {
        networkCalls.push(`adopt:${inst.id}`);
        if (!opts.adoption) throw new Error('no adoption configured');
        return { nic: opts.adoption.nic, sharedSubnetId: inst.subnetId };
      },
      sharedSubnetOf: async (inst) => inst.subnetId,
      othersOnHost: async () => opts.adoption?.othersOnHost ?? 0,
      async settle(id) {
        networkCalls.push(`settle:${id}`);
        if (opts.lease.row) opts.lease.row = { ...opts.lease.row, natEra: false };
      },
    },
    placement: {
      async moveToAnotherHost(inst: InstanceRecord, avoid: readonly string[], lease: LeaseRef) {
        const spawnAttempts = inst.spawnAttempts + 1;
        const next =
          spawnAttempts >= (opts.maxAttempts ?? 3)
            ? undefined
            : (opts.order ?? [...opts.hosts.byId.keys()]).find((h) => !avoid.includes(h));
        const hostId = next ?? null;
        if (!(await opts.lease.update(inst.id, lease.task, lease.owner, { hostId, spawnAttempts })))
          return 'fenced';
        moves.push({ from: inst.hostId, to: hostId });
        return hostId ? { ...inst, hostId, spawnAttempts } : 'exhausted';
      },
    },
    locks: { locked: (_key, fn) => fn() },
    compute,
    log: createLogger('silent'),
  };
  return { ctx, moves, networkCalls, diskCalls };
}
