// Wire shapes and request schemas of the image operations (contract §2.6); no behaviour.
import { z } from 'zod';
import type { Paging } from './common.js';
import { diskAttachmentSpec, type InstanceDiskAttachment } from './instances.js';

/** Every image `status` value. */
export const IMAGE_STATUSES = ['pending', 'ready', 'deleting', 'error'] as const;
/** An image `status` value. */
export type ImageStatusValue = (typeof IMAGE_STATUSES)[number];

/** Where describeImages may look. */
export const IMAGE_SOURCES = ['public', 'shared', 'thirdparty', 'private'] as const;

/** An image. Note `desc`, not `description`. */
export interface Image {
  imageId: string;
  name: string;
  platform: string;
  osVersion: string;
  architecture: 'i386' | 'x86_64' | string;
  systemDiskSizeGB: number;
  imageSource: string;
  osType: 'windows' | 'linux';
  status: ImageStatusValue;
  createTime: string;
  sizeMB: number;
  desc: string;
  systemDisk?: InstanceDiskAttachment;
  dataDisks?: InstanceDiskAttachment[];
  snapshotId?: string;
  rootDeviceType: 'localDisk' | 'cloudDisk';
  /** Percent as a string, e.g. "100". */
  progress: string;
}

/** Which instance types an image supports. */
export interface ImageConstraint {
  imageId: string;
  imageInstanceTypeConstraint: { constraintsType: 'excludes' | 'includes'; instanceTypes: string[] };
}

/** describeImages query. */
export interface DescribeImagesRequest extends Paging {
  imageSource?: 'public' | 'shared' | 'thirdparty' | 'private';
  platform?: string;
  ids?: string[];
  rootDeviceType?: 'localDisk' | 'cloudDisk';
  status?: ImageStatusValue;
}
/** describeImage result. */
export interface DescribeImageResult {
  image: Image;
}
/** describeImages result. */
export interface DescribeImagesResult {
  images: Image[];
  totalCount: number;
}
/** describeImageConstraints result (one object). */
export interface DescribeImageConstraintsResult {
  imageConstraints: ImageConstraint;
}
/** describeImageConstraintsBatch query. */
export interface DescribeImageConstraintsBatchRequest {
  ids?: string[];
}
/** describeImageConstraintsBatch result. */
export interface DescribeImageConstraintsBatchResult {
  imageConstraints: ImageConstraint[];
}
/** modifyImageAttribute body (the name rule is checked by the service). */
export const modifyImageAttributeBody = z.object({
  name: z.string().max(256).optional(),
  description: z.string().max(256).optional(),
});
/** modifyImageAttribute body. */
export type ModifyImageAttributeRequest = z.input<typeof modifyImageAttributeBody>;

/** createImage body: name required (JD's SDK sends description only when set); dataDisks make a whole-machine image. */
export const createImageBody = z.object({
  name: z.string().max(256),
  description: z.string().max(256).default(''),
  // JD: entries add a disk (a snapshot or an empty one) or, with noDevice, leave an attached one out.
  dataDisks: z.array(diskAttachmentSpec).max(16).optional(),
});
/** createImage body. */
export type CreateImageRequest = z.input<typeof createImageBody>;
/** createImage result. */
export interface CreateImageResult {
  imageId: string;
}

/** shareImage / unShareImage body: pins are account names (Kumo's pin). */
export const shareImageBody = z.object({ pins: z.array(z.string().max(64)).max(100).optional() });
/** shareImage / unShareImage body. */
export type ShareImageRequest = z.input<typeof shareImageBody>;
/** describeImageMembers result. */
export interface DescribeImageMembersResult {
  pins: string[];
}

/** copyImages body. */
export const copyImagesBody = z.object({
  sourceImageIds: z.array(z.string().max(64)).min(1).max(10),
  destinationRegion: z.string().max(64),
});
/** copyImages body. */
export type CopyImagesRequest = z.input<typeof copyImagesBody>;
/** copyImages result. */
export interface CopyImagesResult {
  copyImages: { sourceImageId: string; destinationImageId: string }[];
}

/** importImage's platforms (JD's list). */
export const IMPORT_PLATFORMS = [
  'Ubuntu',
  'CentOS',
  'Windows Server',
  'Other Linux',
  'Other Windows',
] as const;

/** importImage body (JD's fields; Kumo imports qcow2 system disk images of x86_64 Linux). */
export const importUserImageBody = z.object({
  architecture: z.string().max(16),
  osType: z.string().max(16),
  platform: z.string().max(32),
  diskFormat: z.string().max(16),
  systemDiskSizeGB: z.number().int(),
  imageUrl: z.string().max(2048),
  osVersion: z.string().max(64).optional(),
  imageName: z.string().max(256),
  description: z.string().max(256).optional(),
  forceImport: z.boolean().optional(),
  clientToken: z.string().max(64).optional(),
});
/** importImage body (the user's; the admin's import is ImportImageRequest). */
export type ImportUserImageRequest = z.input<typeof importUserImageBody>;
/** importImage result. */
export interface ImportImageResult {
  imageId: string;
  taskId: string;
}

/** exportImage body (JD's fields; `ossUrl` names the image exchange bucket as `s3://<bucket>`). */
export const exportImageBody = z.object({
  roleName: z.string().max(64),
  ossUrl: z.string().max(2048),
  ossPrefix: z.string().max(256).optional(),
  clientToken: z.string().max(64).optional(),
});
/** exportImage body. */
export type ExportImageRequest = z.input<typeof exportImageBody>;
/** exportImage result. */
export interface ExportImageResult {
  taskId: string;
}

/** imageTasks' task actions and statuses. */
export const IMAGE_TASK_ACTIONS = ['ImportImage', 'ExportImage'] as const;
export const IMAGE_TASK_STATUSES = ['pending', 'running', 'failed', 'finished'] as const;

/** One image import or export task (JD's TaskInfo). */
export interface ImageTaskInfo {
  taskId: string;
  action: (typeof IMAGE_TASK_ACTIONS)[number];
  taskStatus: (typeof IMAGE_TASK_STATUSES)[number];
  imageId: string;
  /** Percent done. */
  progress: number;
  /** Why a task failed; empty otherwise. */
  message: string;
  createdTime: string;
  finishedTime: string;
}

/** imageTasks result. */
export interface ImageTasksResult {
  taskSet: ImageTaskInfo[];
  totalCount: number;
}
