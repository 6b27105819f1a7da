// JD Cloud vm API v1 wire shapes (contract §2–§4): request and result bodies exactly as JSON carries them; no behaviour.

/** The JD success envelope; `result` is absent for operations without result fields. */
export interface SuccessEnvelope<T> {
  requestId: string;
  result?: T;
}

/** The JD error envelope; HTTP status equals `error.code`. */
export interface ErrorEnvelope {
  requestId: string;
  error: { code: number; status: string; message: string };
}

// ---- Enumerations (contract §4) ----

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
/** An instance `status` value. */
export type InstanceStatusValue = (typeof INSTANCE_STATUSES)[number];

/** Every image `status` value. */
export const IMAGE_STATUSES = ['pending', 'ready', 'deleting', 'error'] as const;
/** An image `status` value. */
export type ImageStatusValue = (typeof IMAGE_STATUSES)[number];

/** Quota resource types describeQuotas knows. */
export const QUOTA_RESOURCE_TYPES = [
  'instance',
  'keypair',
  'image',
  'instanceTemplate',
  'imageShare',
] as const;
/** A quota resource type. */
export type QuotaResourceType = (typeof QUOTA_RESOURCE_TYPES)[number];

// ---- Common request pieces ----

/** A list filter: values OR together, filters AND together; operator defaults to "eq". */
export interface Filter {
  name: string;
  operator?: string;
  values: string[];
}

/** A tag filter. */
export interface TagFilter {
  key: string;
  values: string[];
}

/** Paging for describe* lists: pageNumber ≥ 1 (default 1), pageSize in [10, 100] (default 20). */
export interface Paging {
  pageNumber?: number;
  pageSize?: number;
}

// ---- Keypairs ----

/** A key pair as describeKeypairs lists it. */
export interface Keypair {
  keyName: string;
  /** MD5 fingerprint, colon-separated lower-case hex. */
  keyFingerprint: string;
  /** "YYYY-MM-DD HH:mm:ss". */
  createTime: string;
}

/** createKeypair body. */
export interface CreateKeypairRequest {
  keyName: string;
}
/** createKeypair result: the PKCS#8 PEM private key, returned exactly once. */
export interface CreateKeypairResult {
  keyName: string;
  privateKey: string;
  keyFingerprint: string;
}
/** importKeypair body: OpenSSH public key text. */
export interface ImportKeypairRequest {
  keyName: string;
  publicKey: string;
}
/** importKeypair result. */
export interface ImportKeypairResult {
  keyName: string;
  keyFingerprint: string;
}
/** describeKeypairs query (filter `keyNames`). */
export interface DescribeKeypairsRequest extends Paging {
  filters?: Filter[];
}
/** describeKeypairs result. */
export interface DescribeKeypairsResult {
  keypairs: Keypair[];
  totalCount: number;
}

// ---- Instance types and quotas ----

/** An instance type's stock in one AZ. */
export interface InstanceTypeState {
  az: string;
  inStock: boolean;
}

/** An instance type as describeInstanceTypes lists it. */
export interface InstanceType {
  family: string;
  instanceType: string;
  cpu: number;
  memoryMB: number;
  nicLimit: number;
  desc: string;
  state: InstanceTypeState[];
  gpu?: { model: string; number: number };
  localDisks?: { diskType: string; diskSizeGB: number }[];
}

/** describeInstanceTypes query (filters `instanceTypes`, `az`). */
export interface DescribeInstanceTypesRequest {
  filters?: Filter[];
}
/** describeInstanceTypes result. */
export interface DescribeInstanceTypesResult {
  instanceTypes: InstanceType[];
  specificInstanceTypes?: InstanceType[];
  totalCount: number;
}

/** One resource quota. */
export interface Quota {
  resourceType: string;
  limit: number;
  used: number;
}
/** describeQuotas query (filter `resourceTypes`; `imageId` for imageShare). */
export interface DescribeQuotasRequest {
  filters?: Filter[];
  imageId?: string;
}
/** describeQuotas result. */
export interface DescribeQuotasResult {
  quotas: Quota[];
}

// ---- Instance create spec ----

/** Charge options; Kumo accepts them and reports postpaid_by_duration. */
export interface ChargeSpec {
  chargeMode?: 'prepaid_by_duration' | 'postpaid_by_usage' | 'postpaid_by_duration';
  chargeUnit?: 'month' | 'year';
  chargeDuration?: number;
}

/** A disk to create. */
export interface DiskSpec {
  az?: string;
  name?: string;
  description?: string;
  diskType?: 'ssd' | 'premium-hdd' | string;
  diskSizeGB?: number;
  snapshotId?: string;
  charge?: ChargeSpec;
  multiAttachable?: boolean;
}

/** How a disk attaches to a new instance. */
export interface InstanceDiskAttachmentSpec {
  diskCategory?: 'local' | 'cloud';
  autoDelete?: boolean;
  cloudDiskSpec?: DiskSpec;
  deviceName?: string;
  noDevice?: boolean;
}

/** The NIC to create. */
export interface NetworkInterfaceSpec {
  subnetId: string;
  az?: string;
  networkInterfaceName?: string;
  primaryIpAddress?: string;
  secondaryIpAddresses?: string[];
  secondaryIpCount?: number;
  securityGroups?: string[];
  sanityCheck?: number;
  description?: string;
}

/** How a NIC attaches to a new instance. */
export interface InstanceNetworkInterfaceAttachmentSpec {
  deviceIndex?: number;
  autoDelete?: boolean;
  networkInterface: NetworkInterfaceSpec;
}

/** An elastic IP to create with the instance. */
export interface ElasticIpSpec {
  bandwidthMbps: number;
  provider?: 'bgp' | 'no_bgp' | string;
  chargeSpec?: ChargeSpec;
}

/** createInstances' instanceSpec. */
export interface InstanceSpec {
  agId?: string;
  instanceTemplateId?: string;
  az?: string;
  instanceType?: string;
  imageId?: string;
  name: string;
  hostname?: string;
  password?: string;
  keyNames?: string[];
  elasticIp?: ElasticIpSpec;
  primaryNetworkInterface?: InstanceNetworkInterfaceAttachmentSpec;
  systemDisk?: InstanceDiskAttachmentSpec;
  dataDisks?: InstanceDiskAttachmentSpec[];
  charge?: ChargeSpec;
  userdata?: { key: string; value: string }[];
  metadata?: { key: string; value: string }[];
  description?: string;
}

/** createInstances body. */
export interface CreateInstancesRequest {
  instanceSpec: InstanceSpec;
  maxCount?: number;
  clientToken?: string;
}
/** createInstances result. */
export interface CreateInstancesResult {
  instanceIds: string[];
}

// ---- Instance model ----

/** Billing state; informational in Kumo. */
export interface Charge {
  chargeMode: string;
  chargeStatus: 'normal' | 'overdue' | 'arrear' | string;
  chargeStartTime: string;
  chargeExpiredTime?: string;
  chargeRetireTime?: string;
}

/** A cloud disk. */
export interface Disk {
  diskId: string;
  az: string;
  name: string;
  description: string;
  diskType: string;
  diskSizeGB: number;
  status: string;
  attachments?: { instanceId: string; instanceType?: string; attachTime?: string; status?: string }[];
  snapshotId?: string;
  multiAttachable?: boolean;
  encrypted?: boolean;
  createTime: string;
  charge?: Charge;
  tags?: { key: string; value: string }[];
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
/** describeInstancePrivateIpAddress result. */
export interface DescribeInstancePrivateIpAddressResult {
  instancePrivateIpAddress: InstancePrivateIpAddress[];
  totalCount: number;
}

/** rebuildInstance body. */
export interface RebuildInstanceRequest {
  password: string;
  imageId?: string;
  keyNames?: string[];
}
/** resizeInstance body. */
export interface ResizeInstanceRequest {
  instanceType: string;
}
/** modifyInstanceAttribute body. */
export interface ModifyInstanceAttributeRequest {
  name?: string;
  description?: string;
}
/** modifyInstancePassword body. */
export interface ModifyInstancePasswordRequest {
  password: string;
}

// ---- Images ----

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
/** modifyImageAttribute body. */
export interface ModifyImageAttributeRequest {
  name?: string;
  description?: string;
}
