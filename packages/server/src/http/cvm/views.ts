// Renders Kumo's records in CVM API 3.0's shapes (Instance, Image, KeyPair) and maps instance
// states. Presentation only: no policy, no lookups.
import type {
  DiskAttachmentRecord,
  DiskRecord,
  ImageRecord,
  InstanceRecord,
  Keypair,
  ListedInstance,
} from '@kumo/store';
import { instanceDataDiskView, tencentDiskType } from './cbs/views.js';
import { CBS_IDS, cvmInstanceId, keyIdOf } from './ids.js';
import type { InstanceNetworking } from '../../services/network-interfaces.js';

/** Tencent's instance states. */
export type CvmState =
  | 'PENDING'
  | 'LAUNCH_FAILED'
  | 'RUNNING'
  | 'STOPPED'
  | 'STARTING'
  | 'STOPPING'
  | 'REBOOTING'
  | 'SHUTDOWN'
  | 'TERMINATING';

/**
 * Kumo's status as a CVM state. Resizing and rebuilding run on a stopped instance (Kumo's
 * lifecycle table), so CVM sees STOPPED with the operation in flight in LatestOperationState; a
 * failed instance is LAUNCH_FAILED (Tencent has no other failure state).
 */
const STATE: Record<InstanceRecord['status'], CvmState> = {
  pending: 'PENDING',
  starting: 'STARTING',
  running: 'RUNNING',
  stopping: 'STOPPING',
  stopped: 'STOPPED',
  rebooting: 'REBOOTING',
  rebuilding: 'STOPPED',
  resizing: 'STOPPED',
  deleting: 'TERMINATING',
  error: 'LAUNCH_FAILED',
};

/** The CVM state of an instance. */
export const cvmState = (i: ListedInstance): CvmState => STATE[i.status];

/** Kumo statuses shown as a CVM state (for the instance-state filter). */
export function statusesOf(state: string): string[] {
  return Object.entries(STATE)
    .filter(([, s]) => s === state)
    .map(([k]) => k);
}

/** Tencent's timestamps: ISO 8601 in UTC to the second. */
export const cvmTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const TASK_ACTION: Record<string, string> = {
  spawn: 'RunInstances',
  start: 'StartInstances',
  stop: 'StopInstances',
  reboot: 'RebootInstances',
  resize: 'ResetInstancesType',
  rebuild: 'ResetInstance',
  delete: 'TerminateInstances',
};

/** A CVM Instance, with its networking (interfaces, groups, elastic IPs) and data disks when it has any. */
export function instanceView(
  i: ListedInstance,
  net?: InstanceNetworking,
  disks: { disk: DiskRecord; attachment: DiskAttachmentRecord }[] = [],
) {
  const local = i.systemDiskCategory === 'local';
  // A cloud system disk on shared storage is a CBS disk of its own, attached at the root device.
  const system = disks.find((x) => x.attachment.deviceName === 'vda');
  const data = disks.filter((x) => x !== system);
  const primary = net?.interfaces[0];
  const publicIps = primary
    ? net.elasticIps.filter((e) => e.interfaceId === primary.id).map((e) => e.ip)
    : [];
  const bandwidth = primary
    ? Math.max(0, ...net.elasticIps.filter((e) => e.interfaceId === primary.id).map((e) => e.bandwidthMbps))
    : 0;
  return {
    Placement: { Zone: i.az, ProjectId: 0 },
    InstanceId: cvmInstanceId(i.id),
    Uuid: i.id,
    InstanceType: i.instanceType,
    CPU: i.vcpus,
    Memory: Math.round(i.memoryMB / 1024),
    RestrictState: 'NORMAL',
    InstanceName: i.name,
    InstanceChargeType: i.charge.mode === 'prepaid_by_duration' ? 'PREPAID' : 'POSTPAID_BY_HOUR',
    SystemDisk: system
      ? {
          DiskType: tencentDiskType(system.disk.diskType),
          DiskId: CBS_IDS.disk.out(system.disk.id),
          DiskSize: system.disk.sizeGb,
        }
      : {
          DiskType: local ? 'LOCAL_BASIC' : 'CLOUD_SSD',
          DiskId: local ? '' : `disk-${i.id.slice(2)}`,
          DiskSize: i.systemDiskGB,
        },
    DataDisks: data.map(instanceDataDiskView),
    PrivateIpAddresses: i.privateIp ? [i.privateIp] : [],
    PublicIpAddresses: publicIps,
    InternetAccessible: {
      InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
      InternetMaxBandwidthOut: bandwidth,
      PublicIpAssigned: publicIps.length > 0,
    },
    VirtualPrivateCloud: { VpcId: i.vpcId, SubnetId: i.subnetId, AsVpcGateway: false },
    ImageId: i.imageId,
    RenewFlag: 'NOTIFY_AND_MANUAL_RENEW',
    CreatedTime: cvmTime(i.createdAt),
    ExpiredTime: i.charge.expiresAt ? cvmTime(i.charge.expiresAt) : null,
    OsName: '',
    SecurityGroupIds: primary?.securityGroupIds ?? [],
    LoginSettings: { KeyIds: i.keyNames.map(keyIdOf) },
    InstanceState: cvmState(i),
    Tags: [],
    StopChargingMode: 'NOT_APPLICABLE',
    LatestOperation: i.task ? TASK_ACTION[i.task] : null,
    LatestOperationState: i.task ? 'OPERATING' : i.status === 'error' ? 'FAILED' : null,
    LatestOperationErrorMsg: i.errorReason,
    IPv6Addresses: [],
    DisasterRecoverGroupId: '',
    CamRoleName: '',
    HpcClusterId: '',
    Hostname: i.hostname,
  };
}

// Tencent's image states for Kumo's statuses (a createImage in progress is CREATING).
const IMAGE_STATE: Record<string, string> = { ready: 'NORMAL', pending: 'CREATING', error: 'CREATEFAILED' };

/** A CVM Image. */
export function imageView(i: ImageRecord, accountId: string) {
  const own = i.ownerAccountId === accountId;
  return {
    ImageId: i.id,
    OsName: [i.platform, i.osVersion].filter(Boolean).join(' '),
    ImageType: i.ownerAccountId === null ? 'PUBLIC_IMAGE' : own ? 'PRIVATE_IMAGE' : 'SHARED_IMAGE',
    CreatedTime: cvmTime(i.createdAt),
    ImageName: i.name,
    ImageDescription: i.description,
    ImageSize: i.minDiskGB,
    Architecture: i.architecture,
    ImageState: IMAGE_STATE[i.status] ?? i.status.toUpperCase(),
    Platform: i.platform,
    ImageCreator: i.ownerAccountId ?? '',
    ImageSource: i.ownerAccountId === null ? 'OFFICIAL' : 'CREATE_IMAGE',
    SyncPercent: 100,
    IsSupportCloudinit: true,
    SnapshotSet: [],
    Tags: [],
    LicenseType: 'TencentCloud',
  };
}

/** A CVM KeyPair (PrivateKey only in CreateKeyPair's answer). */
export function keyPairView(k: Keypair, associated: string[] = []) {
  return {
    KeyId: keyIdOf(k.keyName),
    KeyName: k.keyName,
    ProjectId: 0,
    Description: '',
    PublicKey: k.publicKey,
    AssociatedInstanceIds: associated,
    CreatedTime: cvmTime(k.createdAt),
    Tags: [],
  };
}
