// Renders instance records as JD's Instance model (and the smaller status/IP views, and the admin
// action log). Presentation only: no policy, no lookups.
import type {
  Instance,
  InstanceDiskAttachment,
  InstanceEvent,
  InstancePrivateIpAddress,
  InstanceStatus,
} from '@kumo/contract';
import type { InstanceAction, InstanceRecord } from '@kumo/store';
import { formatJdChargeTime, formatJdTime } from './time.js';

/** The JD Instance object, with its cloud data disks (views/disk.ts renders them). */
export function instanceView(i: InstanceRecord, dataDisks: InstanceDiskAttachment[] = []): Instance {
  const local = i.systemDiskCategory === 'local';
  return {
    instanceId: i.id,
    instanceName: i.name,
    hostName: i.hostname,
    instanceType: i.instanceType,
    vpcId: i.vpcId,
    subnetId: i.subnetId,
    privateIpAddress: i.privateIp,
    elasticIpId: '',
    elasticIpAddress: '',
    status: i.status,
    description: i.description,
    imageId: i.imageId,
    systemDisk: {
      diskCategory: i.systemDiskCategory,
      autoDelete: true,
      deviceName: 'vda',
      status: 'attached',
      ...(local
        ? { localDisk: { diskType: 'local', diskSizeGB: i.systemDiskGB } }
        : {
            cloudDisk: {
              diskId: `vol-${i.id.slice(2)}`,
              az: i.az,
              name: `${i.name}-system`,
              description: '',
              diskType: 'ssd',
              diskSizeGB: i.systemDiskGB,
              status: 'in-use',
              attachments: [{ instanceId: i.id, instanceType: 'vm', status: 'attached' }],
              snapshotId: '',
              multiAttachable: false,
              encrypted: false,
              createTime: formatJdTime(i.createdAt),
              tags: [],
            },
          }),
    },
    dataDisks,
    primaryNetworkInterface: {
      deviceIndex: 1,
      autoDelete: true,
      networkInterface: {
        networkInterfaceId: i.networkInterfaceId,
        macAddress: i.mac,
        vpcId: i.vpcId,
        subnetId: i.subnetId,
        securityGroups: [],
        sanityCheck: 1,
        primaryIp: { privateIpAddress: i.privateIp, elasticIpId: '', elasticIpAddress: '' },
        secondaryIps: [],
      },
    },
    secondaryNetworkInterfaces: [],
    launchTime: i.launchTime ? formatJdTime(i.launchTime) : '',
    az: i.az,
    keyNames: i.keyNames,
    charge: {
      chargeMode: 'postpaid_by_duration',
      chargeStatus: 'normal',
      chargeStartTime: formatJdChargeTime(i.createdAt),
      chargeExpiredTime: '',
      chargeRetireTime: '',
    },
    ag: { name: '', id: '' },
    faultDomain: '',
    tags: [],
  };
}

/** A describeInstanceStatus item. */
export const statusView = (i: InstanceRecord): InstanceStatus => ({ instanceId: i.id, status: i.status });

/** A describeInstancePrivateIpAddress item. */
export const privateIpView = (i: InstanceRecord): InstancePrivateIpAddress => ({
  instanceId: i.id,
  privateIpAddress: i.privateIp,
});

/** One entry of the admin action log. */
export const instanceEventView = (a: InstanceAction): InstanceEvent => ({
  action: a.action,
  requestedBy: a.requestedBy,
  requestId: a.requestId ?? '',
  requestTime: formatJdTime(a.requestedAt),
  outcome: a.outcome,
  detail: a.detail ?? '',
  finishTime: a.finishedAt ? formatJdTime(a.finishedAt) : '',
});
