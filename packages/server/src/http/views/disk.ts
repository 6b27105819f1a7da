// Renders disks and snapshots in JD's disk model shapes. Presentation only.
import type { Disk, InstanceDiskAttachment, Snapshot } from '@kumo/contract';
import type { DiskAttachmentRecord, DiskRecord, SnapshotRecord } from '@kumo/store';
import { formatJdTime } from './time.js';

/** A disk as describeDisk(s) shows it. */
export const diskView = (d: DiskRecord): Disk => ({
  diskId: d.id,
  az: d.az,
  name: d.name,
  description: d.description,
  diskType: d.diskType,
  diskSizeGB: d.sizeGb,
  status: d.status,
  attachments: d.attachments.map((a) => ({
    attachmentId: `${d.id}:${a.instanceId}`,
    diskId: d.id,
    instanceType: 'vm',
    instanceId: a.instanceId,
    status: a.status,
    attachTime: formatJdTime(a.createdAt),
  })),
  snapshotId: d.snapshotId ?? '',
  multiAttachable: d.multiAttachable,
  encrypted: false,
  createTime: formatJdTime(d.createdAt),
  charge: {
    chargeMode: 'postpaid_by_duration',
    chargeStatus: 'normal',
    chargeStartTime: formatJdTime(d.createdAt),
  },
  tags: [],
});

/** A snapshot as describeSnapshot(s) shows it. */
export const snapshotView = (s: SnapshotRecord): Snapshot => ({
  snapshotId: s.id,
  snapshotSource: 'self',
  diskId: s.diskId,
  snapshotSizeGB: s.sizeGb,
  images: [],
  name: s.name,
  description: s.description,
  status: s.status,
  createTime: formatJdTime(s.createdAt),
  encrypted: false,
});

/** A cloud data disk as an instance's dataDisks[] shows it. */
export const dataDiskView = (x: {
  disk: DiskRecord;
  attachment: DiskAttachmentRecord;
}): InstanceDiskAttachment => ({
  diskCategory: 'cloud',
  autoDelete: x.attachment.autoDelete,
  cloudDisk: diskView(x.disk),
  deviceName: x.attachment.deviceName ?? '',
  status: x.attachment.status as InstanceDiskAttachment['status'],
});
