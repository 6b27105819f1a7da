// Instance policy: createInstances validation, quota, idempotency and placement; the lifecycle
// operations (claim through the lifecycle table, then a durable task). Returns domain records;
// the wire views are http/views'.
import { Errors, ID_PATTERNS } from '@kumo/contract';
import {
  newId,
  type ClientTokensModel,
  type HostsModel,
  type ImagesModel,
  type InstanceAction,
  type InstanceActionsModel,
  type InstanceFilter,
  type InstanceRecord,
  type InstancesModel,
  type InstanceTasksModel,
  type KeypairsModel,
  type Scope,
  type TaskName,
  type Transaction,
  type Transactions,
} from '@kumo/store';
import type { ChargePolicy } from '../billing/charges.js';
import type { InstanceTypeSpec } from '../catalogue.js';
import { imageSupports } from '../compute/image-files.js';
import { checkUserData } from '@kumo/hypervisor';
import { checkRequestedHostname, hostnameFor } from '../compute/hostnames.js';
import { checkPassword, hashPassword } from '../compute/passwords.js';
import { placeAndClaim } from '../compute/placement.js';
import type { ZoneSnapshots } from '../compute/zone-snapshots.js';
import type { ComputeConfig } from '../config.js';
import { claimFor, TRANSITIONS } from '../jobs/lifecycle.js';
import { MAX_DATA_DISKS } from './disk-attachments.js';
import type { ResizeArgs } from '../jobs/tasks/resizeInstance.js';
import type { RebuildArgs } from '../jobs/tasks/rebuildInstance.js';
import type { KeysArgs } from '../jobs/tasks/setInstanceKeys.js';
import type { ImageService } from './images.js';
import type { InstanceTypeService } from './instance-types.js';
import type {
  Caller,
  CreateRequest,
  DataDiskPlan,
  InstanceDisks,
  InstanceNetwork,
} from './instance-requests.js';
import type { QuotaService } from './quotas.js';

export type { Caller, CreateRequest, InstanceNetwork } from './instance-requests.js';

const LOCAL_DISK_GB = 40;
const CLOUD_DISK_RANGE = [40, 500] as const;

/** Instance operations. */
export class InstanceService {
  constructor(
    private readonly deps: {
      tx: Transactions;
      instances: InstancesModel;
      leases: InstanceTasksModel;
      hosts: HostsModel;
      images: ImagesModel;
      imageService: ImageService;
      network: InstanceNetwork;
      disks: InstanceDisks;
      keypairs: KeypairsModel;
      actions: InstanceActionsModel;
      clientTokens: ClientTokensModel;
      instanceTypes: InstanceTypeService;
      quotas: QuotaService;
      enqueue: (instanceId: string, task: TaskName) => Promise<void>;
      compute: ComputeConfig;
      /** The process's recent AZ snapshots placements rank with. */
      snapshots: ZoneSnapshots;
      charges: ChargePolicy;
    },
  ) {}

  /** createInstances: validates everything, then claims capacity and writes rows in one transaction. */
  async create(scope: Scope, caller: Caller, req: CreateRequest): Promise<{ instanceIds: string[] }> {
    const d = this.deps;
    const type = d.instanceTypes.find(req.instanceType);
    if (!type) throw Errors.instanceTypeNotFound(req.instanceType.slice(0, 64));
    const image = await d.imageService.get(scope.regionId, caller.account, req.imageId);
    if (image.status !== 'ready') throw Errors.imageNotReady(image.id);
    if (!imageSupports(image, type.instanceType)) throw Errors.imageConstraint(type.instanceType);
    const zones = (await d.hosts.zones()).filter((z) => z.regionId === scope.regionId).map((z) => z.az);
    if (!zones.includes(req.az)) throw Errors.azNotFound(req.az.slice(0, 64));
    // The subnet, groups and addresses are resolved with the interface, inside the transaction.
    if (req.networkInterface?.primaryIpAddress !== undefined && req.maxCount !== 1)
      throw Errors.invalidParameter('maxCount', 'must be 1 when primaryIpAddress is given');
    for (const k of req.keyNames) {
      if (!(await d.keypairs.find(scope, k))) throw Errors.keypairNotFound(k.slice(0, 64));
    }
    let diskGB = LOCAL_DISK_GB;
    if (req.diskCategory === 'cloud') {
      diskGB = req.diskSizeGB ?? image.minDiskGB;
      if (diskGB < CLOUD_DISK_RANGE[0] || diskGB > CLOUD_DISK_RANGE[1]) {
        throw Errors.outOfRange('InstanceSpec.SystemDisk.CloudDiskSpec.DiskSizeGB');
      }
    }
    if (diskGB < image.minDiskGB) throw Errors.imageDiskTooSmall(image.minDiskGB);
    // JD: at most 8 data disks, 7 beside a cloud system disk.
    const maxData = req.diskCategory === 'cloud' ? MAX_DATA_DISKS - 1 : MAX_DATA_DISKS;
    const dataDisks = req.dataDisks ?? [];
    if (dataDisks.length > maxData)
      throw Errors.invalidParameter('InstanceSpec.DataDisks', `at most ${maxData} data disks`);
    const system =
      req.diskCategory === 'cloud'
        ? { diskType: req.systemDiskType ?? 'ssd', diskSizeGB: diskGB, imageId: image.id }
        : undefined;
    const disks = await d.disks.plan(scope, req.az, dataDisks, req.maxCount, system);
    if (req.password !== undefined) checkPassword(req.password);
    // Everything the seed builder checks, checked now: a request it would refuse is refused here,
    // before any placement, and never retried on other hosts.
    if (req.hostname !== undefined) checkRequestedHostname(req.hostname, req.maxCount);
    try {
      checkUserData(req.userdata);
    } catch (err) {
      throw Errors.invalidParameter(
        'InstanceSpec.Userdata',
        (err as Error).message.replace(/^invalid user-data: /, ''),
      );
    }
    // A cheap quota check before the (CPU-costly) password hash; the locked count below decides.
    // Not for a clientToken retry: that one returns the earlier instances even at a full quota.
    if (!req.clientToken && (await d.instances.count(scope)) + req.maxCount > d.quotas.limit('instance')) {
      throw Errors.quotaExceeded('instance');
    }
    const passwordHash = req.password !== undefined ? await hashPassword(req.password) : null;

    // Serialises this account's creates so the quota count and token lookup cannot interleave.
    const result = await d.tx.locked(`create:${scope.accountId}`, async (trx) => {
      if (req.clientToken) {
        const earlier = await d.clientTokens.find(scope, req.clientToken, trx);
        if (earlier) return { instanceIds: earlier, created: [] as InstanceRecord[] };
      }
      const used = await d.instances.count(scope, trx);
      if (used + req.maxCount > d.quotas.limit('instance')) throw Errors.quotaExceeded('instance');
      const created: InstanceRecord[] = [];
      for (let i = 1; i <= req.maxCount; i++) {
        created.push(
          await this.createOne(
            trx,
            scope,
            caller,
            req,
            type,
            image.id,
            image.architecture,
            diskGB,
            passwordHash,
            disks,
            i,
          ),
        );
      }
      const instanceIds = created.map((c) => c.id);
      if (req.clientToken) await d.clientTokens.save(trx, scope, req.clientToken, instanceIds);
      return { instanceIds, created };
    });
    if (result.created.length > 0) d.network.kick();
    if (result.created.length > 0 && disks.disks.length > 0) d.disks.kick();
    for (const inst of result.created) await d.enqueue(inst.id, 'spawn');
    return { instanceIds: result.instanceIds };
  }

  private async createOne(
    trx: Transaction,
    scope: Scope,
    caller: Caller,
    req: CreateRequest,
    type: InstanceTypeSpec,
    imageId: string,
    arch: string,
    diskGB: number,
    passwordHash: string | null,
    disks: DataDiskPlan,
    index: number,
  ): Promise<InstanceRecord> {
    const d = this.deps;
    const id = newId('i');
    // JD suffixes names when one call creates several instances.
    const name = req.maxCount > 1 ? `${req.name}-${index}`.slice(0, 32) : req.name;
    const placed = await placeAndClaim(
      trx,
      d.hosts,
      id,
      {
        regionId: scope.regionId,
        az: req.az,
        vcpus: type.cpu,
        memoryMB: type.memoryMB,
        diskGB,
        arch,
        nestedVirt: type.nestedVirt,
      },
      d.compute.weigher,
      d.snapshots,
    );
    if (!placed.hostId) throw Errors.noCapacity(req.az, type.instanceType);
    const nic = await d.network.primaryInterface(
      trx,
      scope,
      id,
      req.networkInterface
        ? { ...req.networkInterface, name: req.networkInterface.name ?? name }
        : { az: req.az },
    );
    if (nic.az !== req.az)
      throw Errors.invalidParameter('subnetId', `subnet ${nic.subnetId} is in ${nic.az}, not ${req.az}`);
    if (req.elasticIp) await d.network.elasticIpFor(trx, scope, id, nic, req.elasticIp);
    const hostname = hostnameFor({ requested: req.hostname, name, id, index, count: req.maxCount });
    const inserted = await d.instances.insert(
      trx,
      {
        id,
        accountId: scope.accountId,
        regionId: scope.regionId,
        az: req.az,
        name,
        description: req.description,
        hostname,
        instanceType: type.instanceType,
        vcpus: type.cpu,
        memoryMB: type.memoryMB,
        nestedVirt: type.nestedVirt,
        imageId,
        hostId: placed.hostId,
        // The spawn's claim is the row itself: it starts in the lifecycle table's transient status.
        status: TRANSITIONS.spawn.transient,
        task: 'spawn',
        taskArgs: null,
        // Copies of the primary interface's, for describeInstances' filters and views.
        subnetId: nic.subnetId,
        vpcId: nic.vpcId,
        networkInterfaceId: nic.id,
        mac: nic.mac,
        privateIp: nic.primaryIp,
        keyNames: req.keyNames,
        passwordHash,
        userdata: req.userdata ?? null,
        systemDiskCategory: req.diskCategory,
        systemDiskGB: diskGB,
        charge: d.charges.chargeFor(req.charge ?? { mode: 'postpaid_by_duration' }),
      },
      'address-of-interface',
    );
    if (typeof inserted === 'string') throw new Error(`instance insert refused: ${inserted}`);
    await d.disks.write(trx, scope, disks, { id, name, hostId: placed.hostId });
    await d.actions.record(
      {
        instanceId: id,
        accountId: scope.accountId,
        action: 'spawn',
        requestedBy: caller.accessKey,
        requestId: caller.requestId,
      },
      trx,
    );
    return inserted;
  }

  /** One instance of the account, or NOT_FOUND. */
  async get(scope: Scope, id: string): Promise<InstanceRecord> {
    const inst = ID_PATTERNS.instance.test(id) ? await this.deps.instances.find(scope, id) : undefined;
    if (!inst) throw Errors.instanceNotFound(id.slice(0, 64));
    return inst;
  }

  /** A page of instances for the describe* list operations. */
  page(scope: Scope, f: InstanceFilter, offset: number, limit: number) {
    return this.deps.instances.page(scope, f, offset, limit);
  }

  /**
   * Claims the instance for a lifecycle task through the lifecycle table (one conditional
   * update), records the action and queues the task. Conflicts become JD's FAILED_PRECONDITION.
   */
  async act(scope: Scope, caller: Caller, id: string, task: Exclude<TaskName, 'spawn'>, args?: object) {
    // A prepaid instance may not be deleted before expiry, nor started after it (until renewed).
    if (task === 'delete' || task === 'start' || task === 'reboot')
      this.deps.charges.check(await this.get(scope, id), task);
    await this.claim(scope, id, task, args);
    await this.queue(scope, caller, id, task);
  }

  /** Why a task would be refused on this instance as read (batches check all first; the claim decides). */
  refusal(inst: InstanceRecord, task: Exclude<TaskName, 'spawn'>): 'busy' | 'status' | undefined {
    if (inst.task && task !== 'delete') return 'busy';
    return TRANSITIONS[task].from.includes(inst.status) ? undefined : 'status';
  }

  private async claim(
    scope: Scope,
    id: string,
    task: Exclude<TaskName, 'spawn'>,
    args?: object,
    trx?: Transaction,
  ) {
    if (!ID_PATTERNS.instance.test(id)) throw Errors.instanceNotFound(id.slice(0, 64));
    const r = await this.deps.leases.claim(scope, id, claimFor(task, args as Record<string, unknown>), trx);
    if ('reason' in r) {
      if (r.reason === 'missing') throw Errors.instanceNotFound(id);
      if (r.reason === 'busy') throw Errors.conflictWithTask(r.task);
      throw Errors.invalidInstanceStatus(r.status);
    }
    return r;
  }

  private async queue(scope: Scope, caller: Caller, id: string, task: TaskName) {
    await this.deps.actions.record({
      instanceId: id,
      accountId: scope.accountId,
      action: task,
      requestedBy: caller.accessKey,
      requestId: caller.requestId,
    });
    await this.deps.enqueue(id, task);
  }

  /**
   * resizeInstance: the task claim (lifecycle table: stopped only) and the new size's claim on the
   * same host commit together, or neither does.
   */
  async resize(scope: Scope, caller: Caller, id: string, instanceType: string) {
    const inst = await this.get(scope, id);
    const type = this.deps.instanceTypes.find(instanceType);
    if (!type) throw Errors.instanceTypeNotFound(instanceType.slice(0, 64));
    if (type.instanceType === inst.instanceType)
      throw Errors.invalidParameter('instanceType', 'is the current type');
    const image = await this.deps.images.get(inst.imageId);
    if (image && !imageSupports(image, type.instanceType)) throw Errors.imageConstraint(type.instanceType);
    const args: ResizeArgs = {
      instanceType: type.instanceType,
      vcpus: type.cpu,
      memoryMB: type.memoryMB,
      nestedVirt: type.nestedVirt,
    };
    // The task and the new size's capacity are claimed in one transaction: a crash or a full host
    // can never leave a resize task holding the old size's claim, or a new-size claim without a task.
    await this.deps.tx.run(async (trx) => {
      const claimed = await this.claim(scope, id, 'resize', args, trx);
      const size = { vcpus: type.cpu, memoryMB: type.memoryMB, diskGB: claimed.systemDiskGB };
      if (!(await this.deps.hosts.resizeClaim(id, size, trx)))
        throw Errors.noCapacity(inst.az, type.instanceType);
    });
    await this.queue(scope, caller, id, 'resize');
  }

  /** rebuildInstance: new root from an image (default: the current one), new password and key. */
  async rebuild(
    scope: Scope,
    caller: Caller,
    id: string,
    req: { password: string; imageId?: string; keyNames?: string[] },
  ) {
    const inst = await this.get(scope, id);
    checkPassword(req.password);
    // A cloud system disk is made again from the image: its snapshots would outlive what they saved.
    const root = await this.deps.disks.cloudRoot(inst.id);
    if (root && root.snapshots > 0)
      throw Errors.invalidParameter(
        'instanceId',
        `the system disk ${root.diskId} has snapshots; delete them before rebuilding the instance`,
      );
    const imageId = req.imageId ?? inst.imageId;
    const image = await this.deps.imageService.get(scope.regionId, caller.account, imageId);
    if (image.status !== 'ready') throw Errors.imageNotReady(image.id);
    if (!imageSupports(image, inst.instanceType)) throw Errors.imageConstraint(inst.instanceType);
    if (inst.systemDiskGB < image.minDiskGB) throw Errors.imageDiskTooSmall(image.minDiskGB);
    const keyNames = req.keyNames ?? inst.keyNames;
    for (const k of keyNames) {
      if (!(await this.deps.keypairs.find(scope, k))) throw Errors.keypairNotFound(k.slice(0, 64));
    }
    const passwordHash = await hashPassword(req.password);
    const args: RebuildArgs = { imageId: image.id, keyNames, passwordHash };
    await this.act(scope, caller, id, 'rebuild', args);
  }

  /**
   * The keys of an instance (Tencent's key pair association): the given keypairs replace its keys
   * through a new seed, which the guest installs at its next boot; stopped only, or running with
   * `forceStop` (powered off first). Password login is left as it is.
   */
  async setKeys(scope: Scope, caller: Caller, id: string, keyNames: string[], forceStop: boolean) {
    const inst = await this.get(scope, id);
    for (const k of keyNames)
      if (!(await this.deps.keypairs.find(scope, k))) throw Errors.keypairNotFound(k.slice(0, 64));
    // The lifecycle table accepts running for ForceStop; without it, stopped only.
    if (!forceStop && inst.status !== 'stopped') throw Errors.invalidInstanceStatus(inst.status);
    await this.act(scope, caller, id, 'keys', { keyNames } satisfies KeysArgs);
  }

  /** modifyInstanceAttribute. */
  async modifyAttribute(scope: Scope, id: string, patch: { name?: string; description?: string }) {
    await this.get(scope, id);
    await this.deps.instances.updateAttributes(scope, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
    });
  }

  /** modifyInstancePassword: stored now, effective after the next reboot (as JD documents). */
  async modifyPassword(scope: Scope, id: string, password: string) {
    const inst = await this.get(scope, id);
    if (inst.task) throw Errors.conflictWithTask(inst.task);
    checkPassword(password);
    await this.deps.instances.updateAttributes(scope, id, {
      pendingPasswordHash: await hashPassword(password),
    });
  }

  /** The action log of an instance (admin). */
  async events(id: string): Promise<InstanceAction[]> {
    const actions = await this.deps.actions.list(id);
    if (actions.length === 0 && !(await this.deps.instances.get(id)))
      throw Errors.instanceNotFound(id.slice(0, 64));
    return actions;
  }
}
