// JD's attachDisk, detachDisk and modifyInstanceDiskAttribute: which disk may go to which instance
// (same AZ, status, JD's limit of 8 data disks, a local disk free to move to the instance's host), written as an
// attachment row plus the disk's task in one transaction; the storage worker hot-plugs it.
import { Errors } from '@kumo/contract';
import type {
  DiskAttachmentRecord,
  DiskAttachmentsModel,
  DiskRecord,
  DisksModel,
  InstancesModel,
  Scope,
  Transactions,
} from '@kumo/store';
import { SYSTEM_DEVICE } from '../compute/disk-devices.js';

/** JD: at most 8 data disks on an instance. */
export const MAX_DATA_DISKS = 8;

/** The device names data disks may take: vda is the system disk, vdb the instance's seed. */
export const DATA_DEVICES = ['vdc', 'vdd', 'vde', 'vdf', 'vdg', 'vdh', 'vdi', 'vdj'] as const;
export const DEVICE_RULE = `one of ${DATA_DEVICES[0]}…${DATA_DEVICES[DATA_DEVICES.length - 1]} (vdb holds the instance's seed)`;

/** What attachments need. */
export interface DiskAttachmentDeps {
  tx: Transactions;
  disks: DisksModel;
  attachments: DiskAttachmentsModel;
  instances: InstancesModel;
  changed(): void;
}

/** Disk attachments of instances. */
export class DiskAttachmentService {
  constructor(private readonly d: DiskAttachmentDeps) {}

  private async instance(scope: Scope, id: string) {
    const inst = await this.d.instances.find(scope, id);
    if (!inst) throw Errors.instanceNotFound(id);
    return inst;
  }

  /** Attaches a disk to a running or stopped instance (hot-plug when it runs). */
  async attach(
    scope: Scope,
    instanceId: string,
    diskId: string,
    opts: { deviceName?: string; autoDelete?: boolean },
  ): Promise<void> {
    const inst = await this.instance(scope, instanceId);
    if (inst.task) throw Errors.conflictWithTask(inst.task);
    if (inst.status !== 'running' && inst.status !== 'stopped')
      throw Errors.invalidInstanceStatus(inst.status);
    if (opts.deviceName !== undefined && !(DATA_DEVICES as readonly string[]).includes(opts.deviceName))
      throw Errors.invalidParameter('deviceName', DEVICE_RULE);
    await this.d.tx.locked(`instance:disks:${instanceId}`, async (trx) => {
      const disk = await this.d.disks.findDisk(scope, diskId, trx);
      if (!disk) throw Errors.diskNotFound(diskId);
      if (disk.az !== inst.az)
        throw Errors.invalidParameter('diskId', `disk is in AZ '${disk.az}', the instance in '${inst.az}'`);
      if (disk.task) throw Errors.conflictWithTask(disk.task);
      const attached = disk.attachments.length > 0;
      if (disk.attachments.some((a) => a.instanceId === instanceId))
        throw Errors.invalidDiskStatus(diskId, 'in-use');
      if (disk.status !== 'available' && !(disk.status === 'in-use' && disk.multiAttachable))
        throw Errors.invalidDiskStatus(diskId, disk.status);
      if (attached && !disk.multiAttachable) throw Errors.invalidDiskStatus(diskId, 'in-use');
      // A local disk on another host moves to the instance's (the storage worker copies it). It
      // must be free to go: not attached elsewhere, and without snapshots (they stay on its host).
      if (disk.hostId && disk.hostId !== inst.hostId) {
        if (attached) throw Errors.unsupported('Moving a local disk that is attached to another instance');
        if ((await this.d.disks.snapshotCount(diskId, trx)) > 0)
          throw Errors.invalidParameter(
            'diskId',
            `local disk '${diskId}' has snapshots on its host; delete them to attach it to an instance on another host`,
          );
      }
      const mine = await this.d.attachments.attachmentsOf(instanceId, trx);
      if (mine.length >= MAX_DATA_DISKS)
        throw Errors.invalidParameter('diskId', `at most ${MAX_DATA_DISKS} data disks`);
      if (opts.deviceName && mine.some((a) => a.deviceName === opts.deviceName))
        throw Errors.invalidParameter('deviceName', `${opts.deviceName} is in use`);
      await this.d.attachments.insertAttachment(trx, {
        diskId,
        instanceId,
        deviceName: opts.deviceName ?? null,
        autoDelete: opts.autoDelete ?? false,
      });
      const ok = await this.d.disks.claim(
        'disks',
        scope,
        diskId,
        { task: 'attach', status: 'in-use', from: [disk.status], args: { instanceId } },
        trx,
      );
      if (!ok) throw Errors.invalidDiskStatus(diskId, disk.status);
    });
    this.d.changed();
  }

  /** Detaches a disk; pollers see the attachment `detaching`, then the disk `available`. */
  async detach(scope: Scope, instanceId: string, diskId: string): Promise<void> {
    const inst = await this.instance(scope, instanceId);
    if (inst.task) throw Errors.conflictWithTask(inst.task);
    await this.d.tx.locked(`instance:disks:${instanceId}`, async (trx) => {
      const disk = await this.d.disks.findDisk(scope, diskId, trx);
      if (!disk) throw Errors.diskNotFound(diskId);
      const mine = disk.attachments.find((a) => a.instanceId === instanceId);
      if (!mine) throw Errors.invalidParameter('diskId', `disk is not attached to instance '${instanceId}'`);
      // The instance boots from it: it leaves with the instance (deleteInstance), never alone.
      if (mine.deviceName === SYSTEM_DEVICE)
        throw Errors.invalidParameter(
          'diskId',
          `disk '${diskId}' is the system disk of instance '${instanceId}'`,
        );
      if (disk.task) throw Errors.conflictWithTask(disk.task);
      await this.d.attachments.updateAttachment(diskId, instanceId, { status: 'detaching' }, trx);
      const ok = await this.d.disks.claim(
        'disks',
        scope,
        diskId,
        { task: 'detach', status: disk.status, from: [disk.status], args: { instanceId } },
        trx,
      );
      if (!ok) throw Errors.invalidDiskStatus(diskId, disk.status);
    });
    this.d.changed();
  }

  /** Sets autoDelete of the instance's disks. */
  async modify(
    scope: Scope,
    instanceId: string,
    disks: { diskId: string; autoDelete?: boolean }[],
  ): Promise<void> {
    await this.instance(scope, instanceId);
    for (const x of disks) {
      if (x.autoDelete === undefined) continue;
      if (!(await this.d.attachments.updateAttachment(x.diskId, instanceId, { autoDelete: x.autoDelete })))
        throw Errors.invalidParameter(
          'dataDisks.diskId',
          `disk '${x.diskId}' is not attached to '${instanceId}'`,
        );
    }
  }

  /** Each instance's data disks (with the attachment), for the instance views. */
  async dataDisksOf(
    instanceIds: string[],
  ): Promise<Map<string, { disk: DiskRecord; attachment: DiskAttachmentRecord }[]>> {
    const out = new Map<string, { disk: DiskRecord; attachment: DiskAttachmentRecord }[]>();
    for (const disk of await this.d.disks.attachedTo(instanceIds))
      for (const attachment of disk.attachments) {
        if (!instanceIds.includes(attachment.instanceId)) continue;
        out.set(attachment.instanceId, [...(out.get(attachment.instanceId) ?? []), { disk, attachment }]);
      }
    return out;
  }
}
