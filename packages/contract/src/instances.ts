// Wire shapes and request schemas of the instance operations (contract §2.2, §2.3): the zod
// schemas routes validate with, and the types @kumo/client sends, inferred from the same schemas.
import { z } from 'zod';
import type { Filter, Paging, TagFilter } from './common.js';
import type { Disk } from './disks.js';

/** Every instance `status` value, transient ones included. */
export const INSTANCE_STATUSES = [
  'pending',
  'starting',
  'running',
  'stopping',
  'stopped',
  'rebooting',
  'rebuilding',
  'resizing',
  'deleting',
  'error',
] as const;
/** An instance `status` value; the one definition store and server share. */
export type InstanceStatusValue = (typeof INSTANCE_STATUSES)[number];

// ---- createInstances ----

const chargeSpec = z.object({
  chargeMode: z.string().max(64).optional(),
  chargeUnit: z.string().max(16).optional(),
  chargeDuration: z.number().int().optional(),
});

/**
 * A disk to create. Every field is optional here: which ones a request must give depends on the
 * disk category, and a local system disk ignores them (JD's Terraform provider sends an empty
 * `cloudDiskSpec` with `diskType: ""` for local disks).
 */
const diskSpec = z.object({
  az: z.string().max(64).optional(),
  name: z.string().max(256).optional(),
  description: z.string().max(256).optional(),
  diskType: z.string().max(32).optional(),
  diskSizeGB: z.number().int().optional(),
  snapshotId: z.string().max(64).optional(),
  charge: chargeSpec.optional(),
  multiAttachable: z.boolean().optional(),
});

/**
 * How a disk attaches to a new instance; the category defaults to `local` as in JD. createImage
 * takes the same shape for the data disks of a whole-machine image.
 */
export const diskAttachmentSpec = z.object({
  diskCategory: z.enum(['local', 'cloud']).optional(),
  autoDelete: z.boolean().optional(),
  cloudDiskSpec: diskSpec.optional(),
  deviceName: z.string().max(16).optional(),
  noDevice: z.boolean().optional(),
});

/** The cloud disk types a system disk may have. */
export const CLOUD_DISK_TYPES = ['ssd', 'premium-hdd'] as const;

const keyValue = z.object({ key: z.string().max(64), value: z.string().max(22000) });

/** createInstances' instanceSpec. */
const instanceSpec = z.object({
  az: z.string().max(64),
  instanceType: z.string().max(64),
  imageId: z.string().max(64),
  name: z.string().max(256),
  hostname: z.string().max(63).optional(),
  password: z.string().max(256).optional(),
  keyNames: z.array(z.string().max(64)).max(1).optional(),
  description: z.string().max(256).optional(),
  agId: z.string().max(64).optional(),
  instanceTemplateId: z.string().max(64).optional(),
  elasticIp: z
    .object({
      bandwidthMbps: z.number().int().optional(),
      provider: z.string().max(32).optional(),
      chargeSpec: chargeSpec.optional(),
    })
    .optional(),
  dataDisks: z.array(diskAttachmentSpec).max(8).optional(),
  charge: chargeSpec.optional(),
  /** Optional here (JD requires it): without it the instance goes to the account's default subnet. */
  primaryNetworkInterface: z
    .object({
      deviceIndex: z.number().int().optional(),
      autoDelete: z.boolean().optional(),
      networkInterface: z.object({
        subnetId: z.string().max(64),
        az: z.string().max(64).optional(),
        networkInterfaceName: z.string().max(256).optional(),
        primaryIpAddress: z.string().max(64).optional(),
        secondaryIpAddresses: z.array(z.string().max(64)).max(20).optional(),
        secondaryIpCount: z.number().int().optional(),
        securityGroups: z.array(z.string().max(64)).max(5).optional(),
        sanityCheck: z.number().int().optional(),
        description: z.string().max(256).optional(),
      }),
    })
    .optional(),
  /** Optional: JD's default is a local system disk. */
  systemDisk: diskAttachmentSpec.optional(),
  /** JD sends `[{key: 'launch-script', value: base64}]`; a plain string is taken as is. */
  userdata: z.union([z.string().max(65536), z.array(keyValue).max(4)]).optional(),
  metadata: z.array(keyValue).max(40).optional(),
});

/** createInstances body. */
export const createInstancesBody = z.object({
  instanceSpec,
  maxCount: z.number().int().optional(),
  clientToken: z.string().max(64).optional(),
});
/** createInstances body. */
export type CreateInstancesRequest = z.input<typeof createInstancesBody>;
/** createInstances' instanceSpec. */
export type InstanceSpec = CreateInstancesRequest['instanceSpec'];
/** How a disk attaches to a new instance. */
export type InstanceDiskAttachmentSpec = z.input<typeof diskAttachmentSpec>;
/** createInstances result. */
export interface CreateInstancesResult {
  instanceIds: string[];
}

// ---- Other instance operations ----

/** rebuildInstance body. */
export const rebuildInstanceBody = z.object({
  password: z.string().max(256),
  imageId: z.string().max(64).optional(),
  keyNames: z.array(z.string().max(64)).max(1).optional(),
});
/** rebuildInstance body. */
export type RebuildInstanceRequest = z.input<typeof rebuildInstanceBody>;

/** resizeInstance body. */
export const resizeInstanceBody = z.object({ instanceType: z.string().max(64) });
/** associateElasticIp / disassociateElasticIp on an instance. */
export const instanceElasticIpBody = z.object({ elasticIpId: z.string().max(64) });
/** attachNetworkInterface body. */
export const attachNetworkInterfaceBody = z.object({
  networkInterfaceId: z.string().max(64),
  autoDelete: z.boolean().optional(),
});
/** detachNetworkInterface body. */
export const detachNetworkInterfaceBody = z.object({ networkInterfaceId: z.string().max(64) });
/** modifyInstanceNetworkAttribute body: autoDelete of the instance's secondary interfaces. */
export const modifyInstanceNetworkAttributeBody = z.object({
  networks: z
    .array(z.object({ networkInterfaceId: z.string().max(64), autoDelete: z.boolean().optional() }))
    .max(8)
    .optional(),
});
/** resizeInstance body. */
export type ResizeInstanceRequest = z.input<typeof resizeInstanceBody>;

/** modifyInstanceAttribute body (the name rule is checked by the route, with JD's message). */
export const modifyInstanceAttributeBody = z.object({
  name: z.string().max(256).optional(),
  description: z.string().max(256).optional(),
});
/** modifyInstanceAttribute body. */
export type ModifyInstanceAttributeRequest = z.input<typeof modifyInstanceAttributeBody>;

/** modifyInstancePassword body. */
export const modifyInstancePasswordBody = z.object({ password: z.string().max(256) });
/** modifyInstancePassword body. */
export type ModifyInstancePasswordRequest = z.input<typeof modifyInstancePasswordBody>;

// ---- The Instance model ----

/** Billing state; informational in Kumo. */
export interface Charge {
  chargeMode: string;
  chargeStatus: 'normal' | 'overdue' | 'arrear' | string;
  chargeStartTime: string;
  chargeExpiredTime?: string;
  chargeRetireTime?: string;
}

/** A disk attached to an instance. */
export interface InstanceDiskAttachment {
  diskCategory: 'local' | 'cloud';
  autoDelete: boolean;
  localDisk?: { diskType: string; diskSizeGB: number };
  cloudDisk?: Disk;
  deviceName: string;
  status: 'attaching' | 'detaching' | 'attached' | 'detached' | 'error_attach' | 'error_detach';
}

/** An IP on a NIC. */
export interface NetworkInterfacePrivateIp {
  privateIpAddress: string;
  elasticIpId?: string;
  elasticIpAddress?: string;
}

/** A NIC attached to an instance. */
export interface InstanceNetworkInterfaceAttachment {
  deviceIndex: number;
  autoDelete: boolean;
  networkInterface: {
    networkInterfaceId: string;
    macAddress: string;
    vpcId: string;
    subnetId: string;
    securityGroups: { groupId: string; groupName: string }[];
    sanityCheck: number;
    primaryIp: NetworkInterfacePrivateIp;
    secondaryIps: NetworkInterfacePrivateIp[];
  };
}

/** An instance as describeInstance(s) shows it. */
export interface Instance {
  instanceId: string;
  instanceName: string;
  hostName: string;
  instanceType: string;
  vpcId: string;
  subnetId: string;
  privateIpAddress: string;
  elasticIpId?: string;
  elasticIpAddress?: string;
  status: InstanceStatusValue;
  description: string;
  imageId: string;
  systemDisk: InstanceDiskAttachment;
  dataDisks: InstanceDiskAttachment[];
  primaryNetworkInterface: InstanceNetworkInterfaceAttachment;
  secondaryNetworkInterfaces: InstanceNetworkInterfaceAttachment[];
  /** "YYYY-MM-DD HH:mm:ss". */
  launchTime: string;
  az: string;
  keyNames: string[];
  charge?: Charge;
  ag?: { name: string; id: string };
  faultDomain?: string;
  tags?: { key: string; value: string }[];
}

/** describeInstanceStatus item. */
export interface InstanceStatus {
  instanceId: string;
  status: InstanceStatusValue;
}

/** describeInstancePrivateIpAddress item. */
export interface InstancePrivateIpAddress {
  instanceId: string;
  privateIpAddress: string;
}

/** Query of the three paged instance lists. */
export interface DescribeInstancesRequest extends Paging {
  filters?: Filter[];
  tags?: TagFilter[];
}
/** describeInstance result. */
export interface DescribeInstanceResult {
  instance: Instance;
}
/** describeInstances result. */
export interface DescribeInstancesResult {
  instances: Instance[];
  totalCount: number;
}
/** describeInstanceStatus result. */
export interface DescribeInstanceStatusResult {
  instanceStatuses: InstanceStatus[];
  totalCount: number;
}
/** describeInstanceVncUrl result: a single-use console URL, valid for an hour if unused. */
export interface DescribeInstanceVncUrlResult {
  vncUrl: string;
}
/** The admin read of an instance's recent serial console output. */
export interface DescribeInstanceConsoleLogResult {
  /** The last bytes of the serial console log, as UTF-8 (invalid sequences replaced). */
  output: string;
  /** Whether older output was left out. */
  truncated: boolean;
}
/** describeInstancePrivateIpAddress result. */
export interface DescribeInstancePrivateIpAddressResult {
  instancePrivateIpAddress: InstancePrivateIpAddress[];
  totalCount: number;
}
