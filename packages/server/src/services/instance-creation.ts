// createInstances: every check first (type, image, AZ, keys, disks, password, user-data, quota),
// then, under the account's create lock, the clientToken, placement with its capacity claim, the
// network interface, the instance row and its disks in one transaction per instance; the spawn
// tasks are queued after the commit.
import { Errors } from '@kumo/contract';
import { newId, type InstanceRecord, type Scope, type Transaction } from '@kumo/store';
import type { InstanceTypeSpec } from '../catalogue.js';
import { imageSupports } from '../compute/image-files.js';
import { checkUserData } from '@kumo/hypervisor';
import { checkRequestedHostname, hostnameFor } from '../compute/hostnames.js';
import { checkPassword, hashPassword } from '../compute/passwords.js';
import { placeAndClaim } from '../compute/placement.js';
import { TRANSITIONS } from '../jobs/lifecycle.js';
import { MAX_DATA_DISKS } from './disk-attachments.js';
import type { Caller, CreateRequest, DataDiskPlan } from './instance-requests.js';
import type { InstanceServiceDeps } from './instances.js';

const LOCAL_DISK_GB = 40;
const CLOUD_DISK_RANGE = [40, 500] as const;

/** createInstances for InstanceService. */
export class InstanceCreation {
  constructor(private readonly deps: InstanceServiceDeps) {}

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
    // A whole-machine image brings its data disks; one the request puts at the same device wins.
    const asked = req.dataDisks ?? [];
    const dataDisks = [
      ...image.dataDisks
        .filter((x) => !asked.some((a) => a.deviceName === x.deviceName))
        .map((x) => ({
          diskType: x.diskType,
          diskSizeGB: x.diskSizeGB,
          ...(x.snapshotId ? { snapshotId: x.snapshotId } : {}),
          description: `data disk ${x.deviceName} of image ${image.id}`,
          multiAttachable: false,
          autoDelete: x.autoDelete,
          deviceName: x.deviceName,
        })),
      ...asked,
    ];
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
}
