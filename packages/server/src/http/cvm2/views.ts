// API 2.0's instance shape and its numeric status codes. Presentation only.
import type { InstanceRecord, ListedInstance } from '@kumo/store';
import { cvmInstanceId, keyIdOf } from '../cvm/ids.js';

/** API 2.0 status codes: 1 fault, 2 running, 3 creating, 4 stopped, 6 returning, 7 restarting,
 * 8 starting, 9 stopping, 14 reinstalling, 19 upgrading. */
const STATUS: Record<InstanceRecord['status'], number> = {
  pending: 3,
  running: 2,
  stopping: 9,
  stopped: 4,
  starting: 8,
  rebooting: 7,
  rebuilding: 14,
  resizing: 19,
  deleting: 6,
  error: 1,
};

const pad = (n: number) => String(n).padStart(2, '0');
/** API 2.0 times: `YYYY-MM-DD HH:MM:SS`, UTC. */
export const v2Time = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** An instance of API 2.0's DescribeInstances. */
export function v2InstanceView(i: ListedInstance) {
  const id = cvmInstanceId(i.id);
  return {
    instanceId: id,
    unInstanceId: id,
    instanceName: i.name,
    zoneName: i.az,
    instanceType: i.instanceType,
    cpu: i.vcpus,
    mem: Math.round(i.memoryMB / 1024),
    status: STATUS[i.status],
    lanIp: i.privateIp,
    wanIpSet: [],
    imageId: i.imageId,
    os: '',
    vpcId: i.vpcId,
    subnetId: i.subnetId,
    unVpcId: i.vpcId,
    unSubnetId: i.subnetId,
    keyIds: i.keyNames.map(keyIdOf),
    diskInfo: {
      rootSize: i.systemDiskGB,
      storageType: i.systemDiskCategory === 'local' ? 1 : 2,
      storageSize: 0,
    },
    createTime: v2Time(i.createdAt),
    deadlineTime: '',
    autoRenew: 0,
  };
}
