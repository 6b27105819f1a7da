// Renders instance records (with their networking, looked up by the route) as JD's Instance model,
// and the smaller status/IP views and the admin action log. Presentation only: no policy, no lookups.
import type {
  Instance,
  InstanceDiskAttachment,
  InstanceEvent,
  InstanceNetworkInterfaceAttachment,
  InstancePrivateIpAddress,
  InstanceStatus,
} from '@kumo/contract';
import type { InstanceAction, ListedInstance, NetworkInterfaceRecord } from '@kumo/store';
import type { InstanceNetworking } from '../../services/network-interfaces.js';
import { formatJdChargeTime, formatJdTime } from './time.js';

/** The guest device of the root disk. */
const ROOT_DEVICE = 'vda';

/** One attached interface as JD shows it, with the elastic IPs on its addresses. */
function attachmentView(
  nic: NetworkInterfaceRecord,
  net: InstanceNetworking,
): InstanceNetworkInterfaceAttachment {
  const ipView = (ip: string) => {
    const eip = net.elasticIps.find((e) => e.interfaceId === nic.id && e.privateIp === ip);
    return { privateIpAddress: ip, elasticIpId: eip?.id ?? '', elasticIpAddress: eip?.ip ?? '' };
  };
  return {
    // JD numbers devices from 1 (the primary); Kumo's rows from 0.
    deviceIndex: (nic.deviceIndex ?? 0) + 1,
    autoDelete: nic.autoDelete,
    networkInterface: {
      networkInterfaceId: nic.id,
      macAddress: nic.mac,
      vpcId: nic.vpcId,
      subnetId: nic.subnetId,
      securityGroups: nic.securityGroupIds.map((g) => ({
        groupId: g,
        groupName: net.groupNames.get(g) ?? '',
      })),
      sanityCheck: 1,
      primaryIp: ipView(nic.primaryIp),
      secondaryIps: nic.secondaryIps.map(ipView),
    },
  };
}

/**
 * The JD Instance object, with what the route looked up: its networking (absent for an instance
 * of the NAT era, which has no interface rows: its record's copies of the address and MAC are
 * shown) and its cloud data disks (views/disk.ts renders them).
 */
export function instanceView(
  i: ListedInstance,
  extra: {
    net?: InstanceNetworking | undefined;
    dataDisks?: InstanceDiskAttachment[];
    /** JD's chargeStatus as of now (the charge policy's clock); `normal` when not given. */
    chargeStatus?: string;
  } = {},
): Instance {
  // A cloud system disk on shared storage is a disk of its own, attached at the root device.
  const system = extra.dataDisks?.find((x) => x.deviceName === ROOT_DEVICE);
  const { net } = extra;
  const dataDisks = (extra.dataDisks ?? []).filter((x) => x !== system);
  const c = i.charge;
  const local = i.systemDiskCategory === 'local';
  const [primaryNic, ...others] = net?.interfaces ?? [];
  const primary = primaryNic && net ? attachmentView(primaryNic, net) : undefined;
  return {
    instanceId: i.id,
    instanceName: i.name,
    hostName: i.hostname,
    instanceType: i.instanceType,
    vpcId: i.vpcId,
    subnetId: i.subnetId,
    privateIpAddress: i.privateIp,
    elasticIpId: primary?.networkInterface.primaryIp.elasticIpId ?? '',
    elasticIpAddress: primary?.networkInterface.primaryIp.elasticIpAddress ?? '',
    status: i.status,
    description: i.description,
    imageId: i.imageId,
    systemDisk: system ?? {
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
    primaryNetworkInterface: primary ?? {
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
    secondaryNetworkInterfaces: net ? others.map((n) => attachmentView(n, net)) : [],
    launchTime: i.launchTime ? formatJdTime(i.launchTime) : '',
    az: i.az,
    keyNames: i.keyNames,
    charge: {
      chargeMode: c.mode,
      chargeStatus: extra.chargeStatus ?? 'normal',
      chargeStartTime: formatJdChargeTime(c.startAt ?? i.createdAt),
      chargeExpiredTime: c.expiresAt ? formatJdChargeTime(c.expiresAt) : '',
      chargeRetireTime: c.retireAt ? formatJdChargeTime(c.retireAt) : '',
    },
    ag: { name: '', id: '' },
    faultDomain: '',
    tags: [],
  };
}

/** A describeInstanceStatus item. */
export const statusView = (i: ListedInstance): InstanceStatus => ({ instanceId: i.id, status: i.status });

/** A describeInstancePrivateIpAddress item. */
export const privateIpView = (i: ListedInstance): InstancePrivateIpAddress => ({
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
