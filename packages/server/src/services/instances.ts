// Instance policy: the lifecycle operations (claim through the lifecycle table, then a durable
// task); createInstances (validation, quota, idempotency, placement) is instance-creation.ts'. Returns domain records;
// the wire views are http/views'.
import { Errors, ID_PATTERNS } from '@kumo/contract';
import {
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
import { imageSupports } from '../compute/image-files.js';
import { checkPassword, hashPassword } from '../compute/passwords.js';
import type { ZoneSnapshots } from '../compute/zone-snapshots.js';
import type { ComputeConfig } from '../config.js';
import { claimFor, TRANSITIONS } from '../jobs/lifecycle.js';
import type { ResizeArgs } from '../jobs/tasks/resizeInstance.js';
import type { RebuildArgs } from '../jobs/tasks/rebuildInstance.js';
import type { KeysArgs } from '../jobs/tasks/setInstanceKeys.js';
import type { ImageService } from './images.js';
import type { InstanceTypeService } from './instance-types.js';
import type { Caller, CreateRequest, InstanceDisks, InstanceNetwork } from './instance-requests.js';
import { InstanceCreation } from './instance-creation.js';
import type { QuotaService } from './quotas.js';

export type { Caller, CreateRequest, InstanceNetwork } from './instance-requests.js';

/** What instance operations need. */
export interface InstanceServiceDeps {
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
}

/** Instance operations. */
export class InstanceService {
  private readonly creation: InstanceCreation;

  constructor(private readonly deps: InstanceServiceDeps) {
    this.creation = new InstanceCreation(deps);
  }

  /** createInstances (instance-creation.ts). */
  create(scope: Scope, caller: Caller, req: CreateRequest): Promise<{ instanceIds: string[] }> {
    return this.creation.create(scope, caller, req);
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
