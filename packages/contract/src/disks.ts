// Wire shapes and request schemas of JD's disk service (cloud disks, snapshots), from jdcloud-sdk-js
// `src/repo/disk/v1/disk.js`, and the admin's storage backends. Field names are JD's; no behaviour.
import { z } from 'zod';
import type { Charge } from './instances.js';

/** A cloud disk. */
export interface Disk {
  diskId: string;
  az: string;
  name: string;
  description: string;
  diskType: string;
  diskSizeGB: number;
  status: string;
  attachments?: {
    attachmentId?: string;
    diskId?: string;
    instanceId: string;
    instanceType?: string;
    attachTime?: string;
    status?: string;
  }[];
  snapshotId?: string;
  /** A boolean in JD's published Disk model (its Go SDK and Terraform provider decode it so). */
  multiAttachable?: boolean;
  encrypted?: boolean;
  createTime: string;
  charge?: Charge;
  tags?: { key: string; value: string }[];
}

/** A disk snapshot. */
export interface Snapshot {
  snapshotId: string;
  snapshotSource: string;
  diskId: string;
  snapshotSizeGB: number;
  images: string[];
  name: string;
  description: string;
  status: string;
  createTime: string;
  encrypted: boolean;
}

/** Id shapes of disk objects. */
export const DISK_ID_PATTERNS = {
  disk: /^vol-[a-z0-9]{10}$/,
  snapshot: /^snapshot-[a-z0-9]{10}$/,
} as const;

/** JD's disk types with their size ranges and steps (GB). */
export const DISK_TYPES: Readonly<Record<string, { min: number; max: number; step: number }>> = {
  ssd: { min: 20, max: 1000, step: 10 },
  'premium-hdd': { min: 20, max: 3000, step: 10 },
  'ssd.gp1': { min: 20, max: 16000, step: 10 },
  'ssd.io1': { min: 20, max: 16000, step: 10 },
  'hdd.std1': { min: 20, max: 16000, step: 10 },
};

/** JD's disk statuses. */
export const DISK_STATUSES = [
  'creating',
  'available',
  'in-use',
  'extending',
  'restoring',
  'deleting',
  'deleted',
  'error_create',
  'error_delete',
  'error_restore',
  'error_extend',
] as const;

const diskName = z.string().max(256);
const diskDescription = z.string().max(1024);

/** createDisks body. */
export const createDisksBody = z.object({
  diskSpec: z.object({
    az: z.string().max(64),
    name: diskName,
    description: diskDescription.optional(),
    diskType: z.string().max(32),
    diskSizeGB: z.number().int(),
    iops: z.number().int().optional(),
    snapshotId: z.string().max(64).optional(),
    multiAttachable: z.boolean().optional(),
    encrypt: z.boolean().optional(),
    charge: z
      .object({ chargeMode: z.string().max(32).optional() })
      .passthrough()
      .optional(),
  }),
  maxCount: z.number().int(),
  userTags: z.array(z.object({ key: z.string().max(64), value: z.string().max(256) })).optional(),
  clientToken: z.string().max(64),
});
/** modifyDiskAttribute body. */
export const modifyDiskAttributeBody = z.object({
  name: diskName.optional(),
  description: diskDescription.optional(),
});
/** extendDisk body. */
export const extendDiskBody = z.object({ diskSizeGB: z.number().int(), iops: z.number().int().optional() });
/** restoreDisk body. */
export const restoreDiskBody = z.object({ snapshotId: z.string().max(64) });
/** createSnapshot body. */
export const createSnapshotBody = z.object({
  snapshotSpec: z.object({
    name: diskName,
    description: diskDescription.optional(),
    diskId: z.string().max(64),
  }),
  clientToken: z.string().max(64),
});
/** modifySnapshotAttribute body. */
export const modifySnapshotAttributeBody = z.object({
  name: diskName.optional(),
  description: diskDescription.optional(),
  expireTime: z.string().max(64).optional(),
});
/** admin addStorageBackend body: `local` takes a path, `rbd` a Ceph pool, monitors and a cephx user and key. */
export const addStorageBackendBody = z.object({
  regionId: z.string().max(64).optional(),
  az: z.string().max(64),
  kind: z.enum(['local', 'rbd']),
  name: z.string().max(64).optional(),
  path: z.string().max(1024).optional(),
  cephPool: z.string().max(100).optional(),
  monitors: z.array(z.string().max(256)).max(16).optional(),
  user: z.string().max(100).optional(),
  key: z.string().max(256).optional(),
});
/** attachDisk body. */
export const attachDiskBody = z.object({
  diskId: z.string().max(64),
  deviceName: z.string().max(16).optional(),
  autoDelete: z.boolean().optional(),
});
/** detachDisk body. */
export const detachDiskBody = z.object({ diskId: z.string().max(64), force: z.boolean().optional() });
/** modifyInstanceDiskAttribute body. */
export const modifyInstanceDiskAttributeBody = z.object({
  dataDisks: z
    .array(z.object({ diskId: z.string().max(64), autoDelete: z.boolean().optional() }))
    .max(8)
    .optional(),
});
