// createImage: policy for making a private image from a stopped instance. The image quota, the
// instance's claim (stopped, no task in flight) and the new `pending` image row commit in one
// transaction under the account's image lock, so concurrent calls can neither pass the quota nor
// leave an image without a task (or a task without an image); the task does the rest. A
// whole-machine image's data disk snapshots (services/image-data-disks.ts) are planned once the
// claim holds the instance (no disk can join or leave it then) and written in that transaction.
import { Errors, ID_PATTERNS, IMAGE_NAME, type CreateImageRequest } from '@kumo/contract';
import type { ImageManifest } from '@kumo/hypervisor';
import {
  newId,
  type DisksModel,
  type ImagesModel,
  type InstanceActionsModel,
  type InstancesModel,
  type InstanceTasksModel,
  type Scope,
  type TaskName,
  type Transactions,
} from '@kumo/store';
import { claimFor } from '../jobs/lifecycle.js';
import type { CreateImageArgs } from '../jobs/tasks/createImage.js';
import { planImageDataDisks, writeImageSnapshots } from './image-data-disks.js';
import type { Caller } from './instances.js';

/** What createImage needs. */
export interface ImageCreationDeps {
  tx: Transactions;
  images: ImagesModel;
  instances: InstancesModel;
  disks: DisksModel;
  /** Snapshots per account and region (KUMO_QUOTA_SNAPSHOT). */
  snapshotQuota: number;
  /** Wakes the storage worker (it takes the snapshots of a whole-machine image). */
  storageChanged(): void;
  leases: InstanceTasksModel;
  actions: InstanceActionsModel;
  enqueue(instanceId: string, task: TaskName): Promise<void>;
  /** Private images per account and region (KUMO_QUOTA_IMAGE). */
  imageQuota(): number;
}

/** The lock every creation of an account's private images in a region takes (quota). */
export const imageQuotaLock = (scope: Scope) => `images:${scope.accountId}:${scope.regionId}`;

/** Makes private images from instances. */
export class ImageCreationService {
  constructor(private readonly d: ImageCreationDeps) {}

  /** createImage: returns the new image's id at once; the image is `pending` until its data is stored. */
  /**
   * `attached`: JD snapshots the instance's data disks into the image (the default); Tencent's
   * CreateImage images the system disk alone unless it names data disks.
   */
  async create(
    scope: Scope,
    caller: Caller,
    instanceId: string,
    req: CreateImageRequest,
    attached: 'snapshot' | 'leave' = 'snapshot',
  ): Promise<string> {
    if (!IMAGE_NAME.test(req.name)) throw Errors.invalidParameter('name');
    const inst = ID_PATTERNS.instance.test(instanceId)
      ? await this.d.instances.find(scope, instanceId)
      : undefined;
    if (!inst) throw Errors.instanceNotFound(instanceId.slice(0, 64));
    const source = await this.d.images.get(inst.imageId);
    if (!source) throw Errors.imageNotFound(inst.imageId);
    const imageId = newId('img');
    const args: CreateImageArgs = { imageId };
    let snapshots = 0;
    await this.d.tx.locked(imageQuotaLock(scope), async (trx) => {
      if ((await this.d.images.countOwned(scope.regionId, scope.accountId, trx)) >= this.d.imageQuota())
        throw Errors.quotaExceeded('image');
      const r = await this.d.leases.claim(scope, inst.id, claimFor('image', { ...args }), trx);
      if ('reason' in r) {
        if (r.reason === 'missing') throw Errors.instanceNotFound(inst.id);
        if (r.reason === 'busy') throw Errors.conflictWithTask(r.task);
        throw Errors.invalidInstanceStatus(r.status);
      }
      const disks = await planImageDataDisks(
        { disks: this.d.disks, snapshotQuota: this.d.snapshotQuota },
        scope,
        inst.id,
        req.dataDisks ?? [],
        attached,
      );
      const manifest = source.manifest as ImageManifest;
      await this.d.images.create(
        {
          id: imageId,
          regionId: scope.regionId,
          ownerAccountId: scope.accountId,
          name: req.name,
          description: req.description ?? '',
          imageSource: 'private',
          platform: source.platform,
          osType: source.osType,
          osVersion: source.osVersion,
          architecture: source.architecture,
          minDiskGB: Math.max(source.minDiskGB, r.systemDiskGB),
          sizeBytes: 0,
          filesDir: '',
          // The source's until the task writes the new root's: nothing boots a pending image.
          manifest,
          constraint: source.constraint,
          status: 'pending',
          progress: 0,
          sourceInstanceId: inst.id,
          dataDisks: disks.dataDisks,
        },
        trx,
      );
      await writeImageSnapshots(this.d.disks, trx, scope, imageId, disks);
      snapshots = disks.snapshots.length;
      await this.d.actions.record(
        {
          instanceId: inst.id,
          accountId: scope.accountId,
          action: 'image',
          requestedBy: caller.accessKey,
          requestId: caller.requestId,
        },
        trx,
      );
    });
    if (snapshots > 0) this.d.storageChanged();
    await this.d.enqueue(inst.id, 'image');
    return imageId;
  }
}
