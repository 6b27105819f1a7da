// Renders VPCs, subnets, security groups and network interfaces in JD's vpc model shapes. Presentation only.
import type {
  ElasticIp,
  NetworkInterface,
  NetworkSecurityGroup,
  SecurityGroupRule,
  Subnet,
  Vpc,
} from '@kumo/contract';
import type {
  ElasticIpRecord,
  NetworkInterfaceRecord,
  RuleRecord,
  SecurityGroupRecord,
  VpcRecord,
} from '@kumo/store';
import type { SubnetDetail } from '../../services/vpcs.js';
import { formatJdTime } from './time.js';

const PROTOCOL: Record<RuleRecord['protocol'], number> = { all: 300, tcp: 6, udp: 17, icmp: 1 };

/** A subnet as describeSubnet(s) shows it. */
export const subnetView = (s: SubnetDetail): Subnet => ({
  subnetId: s.id,
  subnetName: s.name,
  vpcId: s.vpcId,
  addressPrefix: s.cidr,
  availableIpCount: s.availableIpCount,
  ipMaskLen: 0,
  description: s.description,
  routeTableId: '',
  aclId: '',
  startIp: s.startIp,
  endIp: s.endIp,
  createdTime: formatJdTime(s.createdAt),
  subnetType: 'standard',
  az: s.az,
});

/** A VPC with its subnets. */
export const vpcView = (v: { vpc: VpcRecord; subnets: SubnetDetail[] }): Vpc => ({
  vpcId: v.vpc.id,
  vpcName: v.vpc.name,
  addressPrefix: v.vpc.cidr,
  description: v.vpc.description,
  aclIds: [],
  routeTableIds: [],
  subnets: v.subnets.map(subnetView),
  createdTime: formatJdTime(v.vpc.createdAt),
});

const ruleView = (r: RuleRecord): SecurityGroupRule => ({
  ruleId: r.id,
  direction: r.direction === 'ingress' ? 0 : 1,
  ruleAction: r.action.toUpperCase(),
  priority: r.priority,
  protocol: PROTOCOL[r.protocol],
  addressPrefixType: 'CIDR',
  addressPrefix: r.cidr,
  ipVersion: 4,
  fromPort: r.fromPort ?? 0,
  toPort: r.toPort ?? 0,
  createdTime: formatJdTime(r.createdAt),
  description: r.description,
  ruleType: 'normal',
});

/** A security group with its rules. */
export const securityGroupView = (
  g: SecurityGroupRecord & { networkInterfaceIds?: string[] },
): NetworkSecurityGroup => ({
  networkSecurityGroupId: g.id,
  networkSecurityGroupName: g.name,
  description: g.description,
  vpcId: g.vpcId,
  securityGroupRules: g.rules.map(ruleView),
  createdTime: formatJdTime(g.createdAt),
  networkSecurityGroupType: g.isDefault ? 'default' : 'custom',
  networkInterfaceIds: g.networkInterfaceIds ?? [],
});

/** A network interface. */
export const networkInterfaceView = (n: NetworkInterfaceRecord): NetworkInterface => ({
  networkInterfaceName: n.name,
  networkInterfaceId: n.id,
  az: n.az,
  role: n.role,
  macAddress: n.mac,
  vpcId: n.vpcId,
  subnetId: n.subnetId,
  networkSecurityGroupIds: n.securityGroupIds,
  sanityCheck: 1,
  primaryIp: { privateIpAddress: n.primaryIp, elasticIpId: '', elasticIpAddress: '' },
  secondaryIps: n.secondaryIps.map((ip) => ({ privateIpAddress: ip, elasticIpId: '', elasticIpAddress: '' })),
  instanceType: n.instanceId ? 'vm' : '',
  instanceId: n.instanceId ?? '',
  instanceOwnerId: n.instanceId ? n.accountId : '',
  deviceIndex: n.deviceIndex ?? 0,
  description: n.description,
  attachmentStatus: n.attachTask ? `${n.attachTask}ing` : n.instanceId ? 'attached' : 'detached',
  networkInterfaceStatus: 'enabled',
  createdTime: formatJdTime(n.createdAt),
});

/** An elastic IP. */
export const elasticIpView = (e: ElasticIpRecord): ElasticIp => ({
  elasticIpId: e.id,
  elasticIpName: '',
  elasticIpAddress: e.ip,
  bandwidthMbps: e.bandwidthMbps,
  provider: e.provider,
  privateIpAddress: e.privateIp ?? '',
  networkInterfaceId: e.interfaceId ?? '',
  instanceId: e.instanceId ?? '',
  instanceType: e.instanceId ? 'compute' : '',
  createdTime: formatJdTime(e.createdAt),
  az: '',
  ipType: 'standard',
  status: e.interfaceId ? 'ASSOCIATED' : 'NOT_ASSOCIATED',
  state: 'normal',
});
