// Renders Kumo's network records in the shapes of Tencent's VPC API (Vpc, Subnet, SecurityGroup).
// Presentation only: no policy, no lookups.
import type { SecurityGroupRecord, VpcRecord } from '@kumo/store';
import type { SubnetDetail } from '../../../services/vpcs.js';
import { VPC_IDS } from '../ids.js';

/** The VPC API's timestamps: `YYYY-MM-DD HH:MM:SS`, here in UTC. */
export const vpcTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * The tag that names a security group's VPC. Tencent's groups belong to a region, Kumo's to a VPC:
 * the tag shows which, and CreateSecurityGroup takes it to choose one (else the default VPC).
 */
export const VPC_TAG = 'kumo:vpc-id';

/** A Vpc. */
export function vpcView(v: VpcRecord) {
  return {
    VpcName: v.name,
    VpcId: VPC_IDS.vpc.out(v.id),
    CidrBlock: v.cidr,
    IsDefault: v.isDefault,
    EnableMulticast: false,
    CreatedTime: vpcTime(v.createdAt),
    DnsServerSet: [],
    DomainName: '',
    DhcpOptionsId: '',
    EnableDhcp: true,
    Ipv6CidrBlock: '',
    TagSet: [],
    AssistantCidrSet: [],
  };
}

const ipNumber = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** A Subnet. */
export function subnetView(s: SubnetDetail) {
  return {
    VpcId: VPC_IDS.vpc.out(s.vpcId),
    SubnetId: VPC_IDS.subnet.out(s.id),
    SubnetName: s.name,
    CidrBlock: s.cidr,
    IsDefault: s.isDefault,
    EnableBroadcast: false,
    Zone: s.az,
    RouteTableId: '',
    CreatedTime: vpcTime(s.createdAt),
    AvailableIpAddressCount: s.availableIpCount,
    TotalIpAddressCount: ipNumber(s.endIp) - ipNumber(s.startIp) + 1,
    Ipv6CidrBlock: '',
    NetworkAclId: '',
    IsRemoteVpcSnat: false,
    TagSet: [],
    CdcId: '',
    IsCdcSubnet: 0,
  };
}

/** A SecurityGroup. */
export function securityGroupView(g: Omit<SecurityGroupRecord, 'rules'>) {
  return {
    SecurityGroupId: VPC_IDS.securityGroup.out(g.id),
    SecurityGroupName: g.name,
    SecurityGroupDesc: g.description,
    ProjectId: '0',
    IsDefault: g.isDefault,
    CreatedTime: vpcTime(g.createdAt),
    UpdateTime: vpcTime(g.createdAt),
    TagSet: [{ Key: VPC_TAG, Value: VPC_IDS.vpc.out(g.vpcId) }],
  };
}
