// The data disks of a whole-machine image (createImage's dataDisks, JD's rule): every cloud data
// disk attached to the instance is snapshotted unless an entry with `noDevice` leaves its device
// out, and entries may add a disk (from one of the caller's snapshots, or empty). The plan is
// checked in full before anything is written; its snapshot rows are then written with the image
// in the caller's transaction (status `creating`, task `create`: the storage worker takes them,
// and the image task waits for them). Snapshots of host-local disks live on one host and cannot
// seed disks elsewhere, so such disks must be left out.
import { Errors, type InstanceDiskAttachmentSpec } from '@kumo/contract';
import { newId, type DisksModel, type ImageDataDisk, type Scope, type Transaction } from '@kumo/store';
import { SYSTEM_DEVICE } from '../compute/disk-devices.js';
import { DATA_DEVICES, DEVICE_RULE } from './disk-attachments.js';
import { checkSize } from './disks.js';

/** What the plan needs. */
export interface ImageDataDiskDeps {
  disks: DisksModel;
  /** Snapshots per account and region (KUMO_QUOTA_SNAPSHOT). */
  snapshotQuota: number;
}

/** The image's data disks and the snapshots to take for them. */
export interface ImageDataDiskPlan {
  dataDisks: ImageDataDisk[];
  snapshots: { id: string; diskId: string; backendId: string; sizeGb: number; deviceName: string }[];
}

/** Checks createImage's dataDisks against the instance's disks; writes nothing. */
export async function planImageDataDisks(
  d: ImageDataDiskDeps,
  scope: Scope,
  instanceId: string,
  specs: InstanceDiskAttachmentSpec[],
  attached: 'snapshot' | 'leave' = 'snapshot',
): Promise<ImageDataDiskPlan> {
  const left = new Set<string>();
  const added: (Omit<ImageDataDisk, 'deviceName'> & { deviceName?: string })[] = [];
  for (const [i, x] of specs.entries()) {
    const at = `dataDisks[${i}]`;
    if (x.noDevice === true) {
      if (!x.deviceName) throw Errors.missingParameter(`${at}.deviceName`);
      left.add(x.deviceName);
      continue;
    }
    const spec = x.cloudDiskSpec;
    if ((x.diskCategory ?? (spec ? 'cloud' : 'local')) !== 'cloud')
      throw Errors.unsupported('Local data disks in an image (give diskCategory cloud)');
    if (!spec?.diskType) throw Errors.missingParameter(`${at}.cloudDiskSpec.diskType`);
    if (spec.diskSizeGB === undefined) throw Errors.missingParameter(`${at}.cloudDiskSpec.diskSizeGB`);
    const bad = checkSize(spec.diskType, spec.diskSizeGB);
    if (bad) throw bad;
    if (spec.snapshotId !== undefined) {
      const snap = await d.disks.findSnapshot(scope, spec.snapshotId);
      if (!snap) throw Errors.snapshotNotFound(spec.snapshotId.slice(0, 64));
      if (snap.status !== 'available') throw Errors.invalidSnapshotStatus(snap.id, snap.status);
      if (snap.hostId !== null)
        throw Errors.invalidParameter(`${at}.cloudDiskSpec.snapshotId`, 'a snapshot on host-local storage');
      if (spec.diskSizeGB < snap.sizeGb)
        throw Errors.invalidParameter(
          `${at}.cloudDiskSpec.diskSizeGB`,
          `at least the snapshot's ${snap.sizeGb} GB`,
        );
    }
    added.push({
      diskType: spec.diskType,
      diskSizeGB: spec.diskSizeGB,
      ...(spec.snapshotId !== undefined ? { snapshotId: spec.snapshotId } : {}),
      autoDelete: x.autoDelete ?? true,
      ...(x.deviceName !== undefined ? { deviceName: x.deviceName } : {}),
    });
  }

  const plan: ImageDataDiskPlan = { dataDisks: [], snapshots: [] };
  for (const disk of attached === 'snapshot' ? await d.disks.attachedTo([instanceId]) : []) {
    const mine = disk.attachments.find((a) => a.instanceId === instanceId);
    const device = mine?.deviceName;
    if (!mine || !device || device === SYSTEM_DEVICE || left.has(device)) continue;
    if (disk.hostId !== null)
      throw Errors.invalidParameter(
        'dataDisks',
        `data disk ${disk.id} at ${device} is on host-local storage, whose snapshots cannot seed disks on other hosts; leave it out with {deviceName: '${device}', noDevice: true}`,
      );
    if (disk.task) throw Errors.conflictWithTask(disk.task);
    const id = newId('snapshot', 10);
    plan.snapshots.push({
      id,
      diskId: disk.id,
      backendId: disk.backendId,
      sizeGb: disk.sizeGb,
      deviceName: device,
    });
    plan.dataDisks.push({
      deviceName: device,
      diskType: disk.diskType,
      diskSizeGB: disk.sizeGb,
      snapshotId: id,
      autoDelete: mine.autoDelete,
    });
  }
  const taken = new Set(plan.dataDisks.map((x) => x.deviceName));
  for (const [i, x] of added.entries()) {
    if (x.deviceName === undefined) continue;
    if (!(DATA_DEVICES as readonly string[]).includes(x.deviceName))
      throw Errors.invalidParameter(`dataDisks[${i}].deviceName`, DEVICE_RULE);
    if (taken.has(x.deviceName))
      throw Errors.invalidParameter(`dataDisks[${i}].deviceName`, `${x.deviceName} is taken`);
    taken.add(x.deviceName);
  }
  const free = DATA_DEVICES.filter((n) => !taken.has(n));
  for (const x of added) {
    const deviceName = x.deviceName ?? free.shift();
    if (!deviceName) throw Errors.invalidParameter('dataDisks', `at most ${DATA_DEVICES.length} data disks`);
    plan.dataDisks.push({ ...x, deviceName });
  }
  if (plan.dataDisks.length > DATA_DEVICES.length)
    throw Errors.invalidParameter('dataDisks', `at most ${DATA_DEVICES.length} data disks`);
  plan.dataDisks.sort((a, b) => a.deviceName.localeCompare(b.deviceName));
  if (
    plan.snapshots.length > 0 &&
    (await d.disks.countSnapshots(scope)) + plan.snapshots.length > d.snapshotQuota
  )
    throw Errors.quotaExceeded('snapshot');
  return plan;
}

/** Writes the plan's snapshot rows (inside the transaction that writes the image). */
export async function writeImageSnapshots(
  disks: DisksModel,
  trx: Transaction,
  scope: Scope,
  imageId: string,
  plan: ImageDataDiskPlan,
): Promise<void> {
  for (const s of plan.snapshots) {
    await disks.insertSnapshot(trx, {
      id: s.id,
      accountId: scope.accountId,
      regionId: scope.regionId,
      diskId: s.diskId,
      backendId: s.backendId,
      hostId: null,
      name: `${imageId}-${s.deviceName}`,
      description: `data disk ${s.deviceName} of image ${imageId}`,
      sizeGb: s.sizeGb,
      status: 'creating',
      clientToken: null,
      task: 'create',
      taskArgs: null,
    });
  }
}
