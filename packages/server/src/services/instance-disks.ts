// The cloud data disks of createInstances: checked like createDisks' (JD's types and sizes, the
// snapshot, the AZ's backend and its room) before anything is written, then written with each
// instance in its create transaction — a disk row with its `create` task and an `attaching`
// attachment — so a request makes every instance with all its disks, or nothing. The storage
// worker makes the volumes; the spawn attaches them before the first boot.
import { Errors } from '@kumo/contract';
import { newId, type DiskAttachmentsModel, type Scope, type Transaction } from '@kumo/store';
import { SYSTEM_DEVICE } from '../compute/disk-devices.js';
import { DATA_DEVICES, DEVICE_RULE } from './disk-attachments.js';
import { checkName, checkSize, requireRoom, type DiskServiceDeps } from './disks.js';
import type { DataDiskPlan, DataDiskRequest, InstanceDisks, SystemDiskRequest } from './instance-requests.js';

/** A default disk name from the instance's, within JD's name rule. */
function defaultName(instanceName: string, role: string): string {
  const suffix = `-${role}`;
  const base = instanceName.replace(/[^\p{Script=Han}A-Za-z0-9_-]/gu, '-');
  return `${base.slice(0, 32 - suffix.length)}${suffix}`;
}

/** Gives each disk its device: the one asked for, or the next free one. */
function devicesFor(disks: DataDiskRequest[]): string[] {
  const asked = new Set<string>();
  for (const [i, x] of disks.entries()) {
    if (x.deviceName === undefined) continue;
    if (!(DATA_DEVICES as readonly string[]).includes(x.deviceName))
      throw Errors.invalidParameter(`InstanceSpec.DataDisks[${i}].DeviceName`, DEVICE_RULE);
    if (asked.has(x.deviceName))
      throw Errors.invalidParameter(
        `InstanceSpec.DataDisks[${i}].DeviceName`,
        `${x.deviceName} is given twice`,
      );
    asked.add(x.deviceName);
  }
  const free = DATA_DEVICES.filter((n) => !asked.has(n));
  return disks.map((x) => x.deviceName ?? (free.shift() as string));
}

export class InstanceDiskWriter implements InstanceDisks {
  constructor(
    private readonly d: Pick<
      DiskServiceDeps,
      'tx' | 'disks' | 'backends' | 'storage' | 'quotas' | 'changed'
    > & {
      attachments: DiskAttachmentsModel;
    },
  ) {}

  async plan(
    scope: Scope,
    az: string,
    disks: DataDiskRequest[],
    count: number,
    system?: SystemDiskRequest,
  ): Promise<DataDiskPlan> {
    const { d } = this;
    const rec = disks.length > 0 || system ? await d.backends.forAz(scope.regionId, az) : undefined;
    // A cloud system disk on an AZ without shared storage stays the host's overlay of its size.
    const cloudRoot = system && rec && rec.kind !== 'local' ? system : undefined;
    if (disks.length === 0 && !cloudRoot) return { backendId: null, disks: [] };
    if (!rec) throw Errors.noStorageBackend(az);
    const devices = devicesFor(disks);
    const planned: DataDiskPlan['disks'] = [];
    if (cloudRoot) {
      const bad = checkSize(cloudRoot.diskType, cloudRoot.diskSizeGB);
      if (bad) throw bad;
      planned.push({
        diskType: cloudRoot.diskType,
        diskSizeGB: cloudRoot.diskSizeGB,
        description: '',
        multiAttachable: false,
        // JD: a cloud system disk goes with its instance.
        autoDelete: true,
        deviceName: SYSTEM_DEVICE,
        imageId: cloudRoot.imageId,
      });
    }
    for (const [i, x] of disks.entries()) {
      const at = `InstanceSpec.DataDisks[${i}].CloudDiskSpec`;
      if (x.name !== undefined) checkName(`${at}.Name`, x.name);
      const bad = checkSize(x.diskType, x.diskSizeGB);
      if (bad) throw bad;
      let from: { diskId: string; snapshotId: string } | undefined;
      if (x.snapshotId !== undefined) {
        const snap = await d.disks.findSnapshot(scope, x.snapshotId);
        if (!snap) throw Errors.snapshotNotFound(x.snapshotId);
        if (snap.status !== 'available') throw Errors.invalidSnapshotStatus(snap.id, snap.status);
        if (snap.backendId !== rec.id)
          throw Errors.invalidParameter(`${at}.SnapshotId`, `snapshot is not in AZ '${az}'`);
        // A local snapshot lives on one host, and placement does not follow snapshots.
        if (snap.hostId !== null)
          throw Errors.unsupported('Data disks from a snapshot on local storage at createInstances');
        if (x.diskSizeGB < snap.sizeGb)
          throw Errors.invalidParameter(`${at}.DiskSizeGB`, `at least the snapshot's ${snap.sizeGb} GB`);
        from = { diskId: snap.diskId, snapshotId: snap.id };
      }
      planned.push({ ...x, deviceName: devices[i] as string, ...(from ? { from } : {}) });
    }
    // Shared storage is checked once for the whole request; a local pool per host, at write.
    if (rec.kind !== 'local')
      await requireRoom(d, rec, null, count * planned.reduce((n, x) => n + x.diskSizeGB, 0));
    return { backendId: rec.id, disks: planned };
  }

  async write(
    trx: Transaction,
    scope: Scope,
    plan: DataDiskPlan,
    inst: { id: string; name: string; hostId: string },
  ): Promise<void> {
    if (plan.disks.length === 0 || !plan.backendId) return;
    const { d } = this;
    const rec = await d.backends.get(plan.backendId);
    if (!rec) throw Errors.noStorageBackend('');
    const hostId = rec.kind === 'local' ? inst.hostId : null;
    if (hostId) {
      if (!(await d.storage.host(rec, hostId))) throw Errors.noStorageBackend(rec.az);
      await requireRoom(
        d,
        rec,
        hostId,
        plan.disks.reduce((n, x) => n + x.diskSizeGB, 0),
      );
    }
    // createDisks' lock: the disk quota is counted once, whichever call makes disks.
    await d.tx.lockWithin(trx, `disks:create:${scope.accountId}`);
    if ((await d.disks.countDisks(scope, trx)) + plan.disks.length > d.quotas.disk)
      throw Errors.quotaExceeded('disk');
    const rows = plan.disks.map((x, i) => ({
      id: newId('vol', 10),
      accountId: scope.accountId,
      regionId: scope.regionId,
      az: rec.az,
      backendId: rec.id,
      hostId,
      name:
        x.name ??
        defaultName(inst.name, x.imageId ? 'system' : `data${i + (plan.disks[0]?.imageId ? 0 : 1)}`),
      description: x.description,
      diskType: x.diskType,
      sizeGb: x.diskSizeGB,
      status: 'creating',
      snapshotId: x.from?.snapshotId ?? null,
      multiAttachable: x.multiAttachable,
      clientToken: null,
      task: 'create',
      taskArgs: x.imageId ? { imageId: x.imageId } : x.from ? { from: x.from } : null,
    }));
    await d.disks.insertDisks(trx, rows);
    for (const [i, row] of rows.entries()) {
      const x = plan.disks[i];
      if (!x) continue;
      await d.attachments.insertAttachment(trx, {
        diskId: row.id,
        instanceId: inst.id,
        deviceName: x.deviceName,
        autoDelete: x.autoDelete,
      });
    }
  }

  kick(): void {
    this.d.changed();
  }

  async cloudRoot(instanceId: string): Promise<{ diskId: string; snapshots: number } | undefined> {
    const root = (await this.d.attachments.attachmentsOf(instanceId)).find(
      (a) => a.deviceName === SYSTEM_DEVICE,
    );
    return root && { diskId: root.diskId, snapshots: await this.d.disks.snapshotCount(root.diskId) };
  }
}
