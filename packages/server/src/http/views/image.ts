// Renders image records as JD's Image and ImageConstraint models. Presentation only.
import type { Image, ImageConstraint, ImageTaskInfo, InstanceDiskAttachment } from '@kumo/contract';
import type { ImageRecord, ImageTaskRecord } from '@kumo/store';
import { formatJdTime } from './time.js';

/** An image on the wire (note `desc`, not `description`). */
export function imageView(i: ImageRecord): Image {
  return {
    imageId: i.id,
    name: i.name,
    platform: i.platform,
    osVersion: i.osVersion,
    architecture: i.architecture,
    systemDiskSizeGB: i.minDiskGB,
    imageSource: i.imageSource,
    osType: i.osType as Image['osType'],
    status: i.status as Image['status'],
    createTime: formatJdTime(i.createdAt),
    sizeMB: Math.ceil(i.sizeBytes / 2 ** 20),
    desc: i.description,
    systemDisk: {
      diskCategory: 'local',
      autoDelete: true,
      localDisk: { diskType: 'local', diskSizeGB: i.minDiskGB },
      deviceName: 'vda',
    } as Image['systemDisk'],
    // A whole-machine image's data disks: what an instance launched from it gets (JD shows the
    // snapshot each is made from in cloudDisk).
    dataDisks: i.dataDisks.map((x) => ({
      diskCategory: 'cloud',
      autoDelete: x.autoDelete,
      cloudDisk: {
        diskType: x.diskType,
        diskSizeGB: x.diskSizeGB,
        snapshotId: x.snapshotId ?? '',
      } as NonNullable<InstanceDiskAttachment['cloudDisk']>,
      deviceName: x.deviceName,
      status: 'detached',
    })),
    snapshotId: '',
    rootDeviceType: 'localDisk',
    progress: String(i.status === 'ready' ? 100 : i.progress),
  };
}

/** The constraint object of describeImageConstraints. */
export function constraintView(i: ImageRecord): ImageConstraint {
  return {
    imageId: i.id,
    imageInstanceTypeConstraint: i.constraint
      ? { constraintsType: i.constraint.kind, instanceTypes: i.constraint.instanceTypes }
      : { constraintsType: 'excludes', instanceTypes: [] },
  };
}

/** An import task on the wire (JD's TaskInfo); the source URL is never shown. */
export function imageTaskView(t: ImageTaskRecord): ImageTaskInfo {
  return {
    taskId: t.id,
    action: t.action,
    taskStatus: t.status,
    imageId: t.imageId,
    progress: t.status === 'finished' ? 100 : t.progress,
    message: t.message,
    createdTime: formatJdTime(t.createdAt),
    finishedTime: t.finishedAt ? formatJdTime(t.finishedAt) : '',
  };
}
