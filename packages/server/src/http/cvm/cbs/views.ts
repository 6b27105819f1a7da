// Renders Kumo's disks and snapshots in the shapes of Tencent's CBS API (Disk, Snapshot) and maps
// Tencent's disk types onto Kumo's (JD's). Presentation only.
import type { DiskAttachmentRecord, DiskRecord, SnapshotRecord } from '@kumo/store';
import { CBS_IDS, VPC_IDS } from '../ids.js';
import { vpcTime } from '../vpc/views.js';

/** Tencent's cloud disk types and the Kumo type each is. */
export const DISK_TYPE_OF: Record<string, string> = {
  CLOUD_BASIC: 'hdd.std1',
  CLOUD_PREMIUM: 'premium-hdd',
  CLOUD_SSD: 'ssd',
  CLOUD_HSSD: 'ssd.gp1',
  CLOUD_TSSD: 'ssd.io1',
};
const TENCENT_TYPE = Object.fromEntries(Object.entries(DISK_TYPE_OF).map(([t, k]) => [k, t]));

/** The Tencent disk type of a Kumo disk type. */
export const tencentDiskType = (kumoType: string): string => TENCENT_TYPE[kumoType] ?? kumoType.toUpperCase();

/** A data disk as an Instance's DataDisks[] shows it. */
export const instanceDataDiskView = (x: { disk: DiskRecord; attachment: DiskAttachmentRecord }) => ({
  DiskSize: x.disk.sizeGb,
  DiskType: tencentDiskType(x.disk.diskType),
  DiskId: CBS_IDS.disk.out(x.disk.id),
  DeleteWithInstance: x.attachment.autoDelete,
  SnapshotId: x.disk.snapshotId ? CBS_IDS.snapshot.out(x.disk.snapshotId) : null,
  Encrypt: false,
  DiskName: x.disk.name,
});

// Kumo's disk statuses in Tencent's DiskState terms (an attachment in flight comes first).
const STATE: Record<string, string> = {
  creating: 'CREATING',
  available: 'UNATTACHED',
  'in-use': 'ATTACHED',
  extending: 'EXPANDING',
  restoring: 'ROLLBACKING',
  deleting: 'TORECYCLE',
};

/** A Disk. */
export function diskView(d: DiskRecord) {
  const attachment = d.attachments[0];
  const moving =
    attachment?.status === 'attaching'
      ? 'ATTACHING'
      : attachment?.status === 'detaching'
        ? 'DETACHING'
        : undefined;
  const instances = d.attachments.map((a) => VPC_IDS.instance.out(a.instanceId));
  return {
    DiskId: CBS_IDS.disk.out(d.id),
    DiskName: d.name,
    DiskType: tencentDiskType(d.diskType),
    DiskUsage: 'DATA_DISK',
    DiskChargeType: 'POSTPAID_BY_HOUR',
    DiskState: moving ?? STATE[d.status] ?? d.status.toUpperCase(),
    DiskSize: d.sizeGb,
    Placement: { Zone: d.az, ProjectId: 0 },
    Attached: d.attachments.length > 0,
    InstanceId: instances[0] ?? '',
    InstanceIdList: instances,
    DeleteWithInstance: attachment?.autoDelete ?? false,
    Shareable: d.multiAttachable,
    Portable: true,
    SnapshotAbility: true,
    Rollbacking: d.status === 'restoring',
    Encrypt: false,
    Tags: [],
    CreateTime: vpcTime(d.createdAt),
    RenewFlag: 'NOTIFY_AND_MANUAL_RENEW',
    ErrorPrompt: d.errorReason ?? '',
  };
}

const SNAPSHOT_STATE: Record<string, string> = {
  creating: 'CREATING',
  available: 'NORMAL',
  deleting: 'DELETING',
};

/** A Snapshot. */
export function snapshotView(s: SnapshotRecord, az: string) {
  return {
    SnapshotId: CBS_IDS.snapshot.out(s.id),
    SnapshotName: s.name,
    SnapshotState: SNAPSHOT_STATE[s.status] ?? s.status.toUpperCase(),
    SnapshotType: 'PRIVATE_SNAPSHOT',
    DiskId: CBS_IDS.disk.out(s.diskId),
    DiskSize: s.sizeGb,
    DiskUsage: 'DATA_DISK',
    Placement: { Zone: az, ProjectId: 0 },
    Percent: s.status === 'available' ? 100 : 0,
    IsPermanent: true,
    Encrypt: false,
    CreateTime: vpcTime(s.createdAt),
    Images: [],
    ImageCount: 0,
    Tags: [],
  };
}
