// Instance policy: createInstances validation, quota, idempotency and placement; the lifecycle
// operations (claim with a conditional update, then a durable job); describe views.
import { randomBytes } from 'node:crypto';
import { Errors } from '@kumo/contract';
import {
  newId,
  randomAlnum,
  type Account,
  type ClientTokensModel,
  type Database,
  type HostsModel,
  type ImagesModel,
  type InstanceActionsModel,
  type InstanceFilter,
  type InstanceRecord,
  type InstancesModel,
  type KeypairsModel,
  type Scope,
  type SubnetsModel,
} from '@kumo/store';
import type { InstanceTypeSpec } from '../catalogue.js';
import { instanceView } from '../compute/instance-view.js';
import { TRANSITIONS, type TaskName } from '../compute/lifecycle.js';
import { checkPassword, hashPassword } from '../compute/passwords.js';
import { placeAndClaim } from '../compute/placement.js';
import type { ComputeConfig } from '../config.js';
import type { JobRunner } from '../jobs/runner.js';
import type { ImageService } from './images.js';
import { imageSupports } from './images.js';
import type { InstanceTypeService } from './instance-types.js';
import type { QuotaService } from './quotas.js';

/** A validated createInstances request. */
export interface CreateRequest {
  name: string;
  az: string;
  instanceType: string;
  imageId: string;
  subnetId: string;
  primaryIpAddress?: string;
  keyNames: string[];
  password?: string;
  hostname?: string;
  description: string;
  diskCategory: 'local' | 'cloud';
  diskSizeGB?: number;
  userdata?: string;
  maxCount: number;
  clientToken?: string;
}

/** Who asked, for the action log. */
export interface Caller {
  account: Account;
  accessKey: string;
  requestId: string;
}

const LOCAL_DISK_GB = 40;
const CLOUD_DISK_RANGE = [40, 500] as const;

/** Instance operations. */
export class InstanceService {
  constructor(
    private readonly deps: {
      db: Database;
      instances: InstancesModel;
      hosts: HostsModel;
      images: ImagesModel;
      imageService: ImageService;
      subnets: SubnetsModel;
      keypairs: KeypairsModel;
      actions: InstanceActionsModel;
      clientTokens: ClientTokensModel;
      instanceTypes: InstanceTypeService;
      quotas: QuotaService;
      runner: JobRunner;
      compute: ComputeConfig;
    },
  ) {}

  /** The region's AZs with their default subnet (created on first use). */
  async defaultSubnets(regionId: string) {
    const zones = (await this.deps.hosts.zones()).filter((z) => z.regionId === regionId);
    return Promise.all(
      zones.map((z) => this.deps.subnets.ensureDefault(regionId, z.az, this.deps.compute.subnetBlock)),
    );
  }

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
    const subnet = /^subnet-[a-z0-9]{1,32}$/.test(req.subnetId)
      ? await d.subnets.find(scope.regionId, req.subnetId)
      : undefined;
    if (!subnet) throw Errors.subnetNotFound(req.subnetId.slice(0, 64));
    if (subnet.az !== req.az)
      throw Errors.invalidParameter('subnetId', `subnet is in ${subnet.az}, not ${req.az}`);
    if (req.primaryIpAddress !== undefined) {
      if (req.maxCount !== 1)
        throw Errors.invalidParameter('maxCount', 'must be 1 when primaryIpAddress is given');
      const base = subnet.cidr.split('.').slice(0, 3).join('.');
      const host = req.primaryIpAddress.startsWith(`${base}.`)
        ? Number(req.primaryIpAddress.slice(base.length + 1))
        : NaN;
      if (!(host >= 10 && host <= 250)) {
        throw Errors.invalidParameter('primaryIpAddress', `must be within ${base}.10-${base}.250`);
      }
    }
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
    if (req.password !== undefined) checkPassword(req.password);
    const passwordHash = req.password !== undefined ? await hashPassword(req.password) : null;

    const result = await d.db.transaction(async (trx) => {
      // Serialises this account's creates so the quota count and token lookup cannot interleave.
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`create:${scope.accountId}`]);
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
            subnet,
            diskGB,
            passwordHash,
            i,
          ),
        );
      }
      const instanceIds = created.map((c) => c.id);
      if (req.clientToken) await d.clientTokens.save(trx, scope, req.clientToken, instanceIds);
      return { instanceIds, created };
    });
    for (const inst of result.created) await d.runner.enqueue(inst.id, 'spawn');
    return { instanceIds: result.instanceIds };
  }

  private async createOne(
    trx: Parameters<Parameters<Database['transaction']>[0]>[0],
    scope: Scope,
    caller: Caller,
    req: CreateRequest,
    type: InstanceTypeSpec,
    imageId: string,
    arch: string,
    subnet: { id: string; vpcId: string; cidr: string },
    diskGB: number,
    passwordHash: string | null,
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
    );
    if (!placed.hostId) throw Errors.noCapacity(req.az, type.instanceType);
    const hostname = req.hostname
      ? req.maxCount > 1
        ? `${req.hostname}-${index}`
        : req.hostname
      : /^[a-z0-9-]{1,63}$/i.test(name)
        ? name.toLowerCase()
        : id;
    const inserted = await d.instances.insert(
      trx,
      {
        id,
        account_id: scope.accountId,
        region_id: scope.regionId,
        az: req.az,
        name,
        description: req.description,
        hostname,
        instance_type: type.instanceType,
        vcpus: type.cpu,
        memory_mb: type.memoryMB,
        nested_virt: type.nestedVirt,
        image_id: imageId,
        host_id: placed.hostId,
        status: 'pending',
        task: 'spawn',
        task_args: null,
        subnet_id: subnet.id,
        vpc_id: subnet.vpcId,
        network_interface_id: `port-${randomAlnum(10)}`,
        mac: `52:54:00:${randomBytes(3).toString('hex').match(/../g)!.join(':')}`,
        key_names: req.keyNames,
        password_hash: passwordHash,
        userdata: req.userdata ?? null,
        system_disk_category: req.diskCategory,
        system_disk_gb: diskGB,
        ...(req.primaryIpAddress ? { private_ip: req.primaryIpAddress } : {}),
      },
      subnet,
    );
    if (inserted === 'ip-in-use') throw Errors.ipInUse(req.primaryIpAddress!);
    if (inserted === 'ip-exhausted') throw Errors.noFreeIp(subnet.id);
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
    const inst = /^i-[a-z0-9]{1,32}$/.test(id) ? await this.deps.instances.find(scope, id) : undefined;
    if (!inst) throw Errors.instanceNotFound(id.slice(0, 64));
    return inst;
  }

  /** describeInstance. */
  async describe(scope: Scope, id: string) {
    return { instance: instanceView(await this.get(scope, id)) };
  }

  /** A page of instances for the describe* list operations. */
  page(scope: Scope, f: InstanceFilter, offset: number, limit: number) {
    return this.deps.instances.page(scope, f, offset, limit);
  }

  /**
   * Claims the instance for a lifecycle task with the conditional update, records the action and
   * queues the job. Conflicts become JD's FAILED_PRECONDITION messages.
   */
  async act(
    scope: Scope,
    caller: Caller,
    id: string,
    task: Exclude<TaskName, 'spawn'>,
    args?: Record<string, unknown>,
  ) {
    const t = TRANSITIONS[task];
    if (!/^i-[a-z0-9]{1,32}$/.test(id)) throw Errors.instanceNotFound(id.slice(0, 64));
    const r = await this.deps.instances.claimTask(scope, id, {
      task,
      from: t.from,
      transient: t.transient,
      args,
    });
    if ('reason' in r) {
      if (r.reason === 'missing') throw Errors.instanceNotFound(id);
      if (r.reason === 'busy') throw Errors.conflictWithTask(r.task);
      throw Errors.invalidInstanceStatus(r.status);
    }
    await this.deps.actions.record({
      instanceId: id,
      accountId: scope.accountId,
      action: task,
      requestedBy: caller.accessKey,
      requestId: caller.requestId,
    });
    await this.deps.runner.enqueue(id, task);
  }

  /** resizeInstance: the new size is claimed on the same host before the task starts. */
  async resize(scope: Scope, caller: Caller, id: string, instanceType: string) {
    const inst = await this.get(scope, id);
    const type = this.deps.instanceTypes.find(instanceType);
    if (!type) throw Errors.instanceTypeNotFound(instanceType.slice(0, 64));
    if (type.instanceType === inst.instanceType)
      throw Errors.invalidParameter('instanceType', 'is the current type');
    const image = await this.deps.images.get(inst.imageId);
    if (image && !imageSupports(image, type.instanceType)) throw Errors.imageConstraint(type.instanceType);
    if (inst.status !== 'stopped' || inst.task) {
      throw inst.task ? Errors.conflictWithTask(inst.task) : Errors.invalidInstanceStatus(inst.status);
    }
    const size = { vcpus: type.cpu, memoryMB: type.memoryMB, diskGB: inst.systemDiskGB };
    if (!(await this.deps.hosts.resizeClaim(inst.id, size)))
      throw Errors.noCapacity(inst.az, type.instanceType);
    try {
      await this.act(scope, caller, id, 'resize', {
        instanceType: type.instanceType,
        vcpus: type.cpu,
        memoryMB: type.memoryMB,
        nestedVirt: type.nestedVirt,
      });
    } catch (err) {
      // Lost a race for the instance: give the old size back.
      await this.deps.hosts.resizeClaim(inst.id, {
        vcpus: inst.vcpus,
        memoryMB: inst.memoryMB,
        diskGB: inst.systemDiskGB,
      });
      throw err;
    }
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
    await this.act(scope, caller, id, 'rebuild', { imageId: image.id, keyNames, passwordHash });
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
      pending_password_hash: await hashPassword(password),
    });
  }

  /** The action log of an instance (admin). */
  async events(id: string) {
    const actions = await this.deps.actions.list(id);
    if (actions.length === 0 && !(await this.deps.instances.get(id)))
      throw Errors.instanceNotFound(id.slice(0, 64));
    return actions;
  }
}
