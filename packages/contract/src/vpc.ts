// Wire shapes and request schemas of JD's vpc service (VPCs, subnets, security groups), from
// jdcloud-sdk-js `src/repo/vpc/v1/vpc.js`. Field names and types are JD's; no behaviour.
import { z } from 'zod';
import type { NetworkInterfacePrivateIp } from './instances.js';

const name = z.string().max(256);
const description = z.string().max(1024);

/** JD's rule for vpc, subnet and group names: 1-32 Chinese characters, letters, digits, `_`, `-`. */
export const NETWORK_NAME = /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u;
/** What {@link NETWORK_NAME} means, for error messages. */
export const NETWORK_NAME_RULE = 'use 1-32 Chinese characters, letters, digits, "_" or "-"';

/** Id shapes of vpc objects (prefix + lowercase alphanumerics). */
export const VPC_ID_PATTERNS = {
  vpc: /^vpc-[a-z0-9]{10}$/,
  subnet: /^subnet-[a-z0-9]{10}$/,
  securityGroup: /^sg-[a-z0-9]{10}$/,
  rule: /^rule-[a-z0-9]{10}$/,
  networkInterface: /^port-[a-z0-9]{10}$/,
  elasticIp: /^fip-[a-z0-9]{10}$/,
  externalNetwork: /^extnet-[a-z0-9]{10}$/,
  eipPool: /^eippool-[a-z0-9]{10}$/,
} as const;

/** createVpc body. */
export const createVpcBody = z.object({
  vpcName: name,
  addressPrefix: z.string().max(64).optional(),
  description: description.optional(),
  azType: z.string().max(32).optional(),
  az: z.string().max(64).optional(),
});
/** modifyVpc body. */
export const modifyVpcBody = z.object({ vpcName: name.optional(), description: description.optional() });

/** createSubnet body. */
export const createSubnetBody = z.object({
  vpcId: z.string().max(64),
  subnetName: name,
  addressPrefix: z.string().max(64),
  routeTableId: z.string().max(64).optional(),
  description: description.optional(),
  ipMaskLen: z.number().int().optional(),
  az: z.string().max(64).optional(),
});
/** modifySubnet body. */
export const modifySubnetBody = z.object({
  subnetName: name.optional(),
  description: description.optional(),
  ipMaskLen: z.number().int().optional(),
});

/** One rule of addNetworkSecurityGroupRules: protocol 300 all, 6 TCP, 17 UDP, 1 ICMP; direction 0 in, 1 out. */
export const securityGroupRuleSpec = z.object({
  protocol: z.number().int(),
  direction: z.number().int(),
  addressPrefix: z.string().max(64),
  ruleAction: z.string().max(16).optional(),
  priority: z.number().int().optional(),
  addressPrefixType: z.string().max(16).optional(),
  ipVersion: z.number().int().optional(),
  fromPort: z.number().int().optional(),
  toPort: z.number().int().optional(),
  description: description.optional(),
});
/** One rule change of modifyNetworkSecurityGroupRules. */
export const modifySecurityGroupRuleSpec = z.object({
  ruleId: z.string().max(64),
  protocol: z.number().int().optional(),
  fromPort: z.number().int().optional(),
  toPort: z.number().int().optional(),
  addressPrefix: z.string().max(64).optional(),
  ruleAction: z.string().max(16).optional(),
  priority: z.number().int().optional(),
  description: description.optional(),
});

/** createNetworkSecurityGroup body. */
export const createNetworkSecurityGroupBody = z.object({
  vpcId: z.string().max(64),
  networkSecurityGroupName: name,
  description: description.optional(),
  networkSecurityGroupRuleSpecs: z.array(securityGroupRuleSpec).max(100).optional(),
});
/** modifyNetworkSecurityGroup body. */
export const modifyNetworkSecurityGroupBody = z.object({
  networkSecurityGroupName: name.optional(),
  description: description.optional(),
});
/** addNetworkSecurityGroupRules body. */
export const addNetworkSecurityGroupRulesBody = z.object({
  networkSecurityGroupRuleSpecs: z.array(securityGroupRuleSpec).min(1).max(100),
});
/** removeNetworkSecurityGroupRules body. */
export const removeNetworkSecurityGroupRulesBody = z.object({
  ruleIds: z.array(z.string().max(64)).min(1).max(100),
});
/** modifyNetworkSecurityGroupRules body. */
export const modifyNetworkSecurityGroupRulesBody = z.object({
  modifySecurityGroupRuleSpecs: z.array(modifySecurityGroupRuleSpec).min(1).max(100),
});

/** A VPC as describeVpc(s) shows it. */
export interface Vpc {
  vpcId: string;
  vpcName: string;
  addressPrefix: string;
  description: string;
  aclIds: string[];
  routeTableIds: string[];
  subnets: Subnet[];
  createdTime: string;
}

/** A subnet as describeSubnet(s) shows it. */
export interface Subnet {
  subnetId: string;
  subnetName: string;
  vpcId: string;
  addressPrefix: string;
  availableIpCount: number;
  ipMaskLen: number;
  description: string;
  routeTableId: string;
  aclId: string;
  startIp: string;
  endIp: string;
  createdTime: string;
  subnetType: string;
  az: string;
}

/** A security group rule. */
export interface SecurityGroupRule {
  ruleId: string;
  direction: number;
  ruleAction: string;
  priority: number;
  protocol: number;
  addressPrefixType: string;
  addressPrefix: string;
  ipVersion: number;
  fromPort: number;
  toPort: number;
  createdTime: string;
  description: string;
  ruleType: string;
}

/** A security group. */
export interface NetworkSecurityGroup {
  networkSecurityGroupId: string;
  networkSecurityGroupName: string;
  description: string;
  vpcId: string;
  securityGroupRules: SecurityGroupRule[];
  createdTime: string;
  networkSecurityGroupType: string;
  networkInterfaceIds: string[];
}

/** describeSubnets result. */
export interface DescribeSubnetsResult {
  subnets: Subnet[];
  totalCount: number;
}

/** createNetworkInterface body. */
export const createNetworkInterfaceBody = z.object({
  subnetId: z.string().max(64),
  az: z.string().max(64).optional(),
  networkInterfaceName: name.optional(),
  primaryIpAddress: z.string().max(64).optional(),
  secondaryIpAddresses: z.array(z.string().max(64)).max(50).optional(),
  secondaryIpCount: z.number().int().optional(),
  securityGroups: z.array(z.string().max(64)).max(50).optional(),
  sanityCheck: z.number().int().optional(),
  description: description.optional(),
});
/** modifyNetworkInterface body. */
export const modifyNetworkInterfaceBody = z.object({
  networkInterfaceName: name.optional(),
  description: description.optional(),
  securityGroups: z.array(z.string().max(64)).max(50).optional(),
});
/** assignSecondaryIps body. */
export const assignSecondaryIpsBody = z.object({
  force: z.boolean().optional(),
  secondaryIps: z.array(z.string().max(64)).max(50).optional(),
  secondaryIpCount: z.number().int().optional(),
  secondaryIpMaskLen: z.number().int().optional(),
  secondaryIpAddress: z.string().max(64).optional(),
});
/** unassignSecondaryIps body. */
export const unassignSecondaryIpsBody = z.object({
  secondaryIps: z.array(z.string().max(64)).max(50).optional(),
  secondaryCidrs: z.array(z.string().max(64)).max(50).optional(),
});

/** A network interface as describeNetworkInterface(s) shows it. */
export interface NetworkInterface {
  networkInterfaceName: string;
  networkInterfaceId: string;
  az: string;
  role: string;
  macAddress: string;
  vpcId: string;
  subnetId: string;
  networkSecurityGroupIds: string[];
  sanityCheck: number;
  primaryIp: NetworkInterfacePrivateIp;
  secondaryIps: NetworkInterfacePrivateIp[];
  instanceType: string;
  instanceId: string;
  instanceOwnerId: string;
  deviceIndex: number;
  description: string;
  attachmentStatus: string;
  networkInterfaceStatus: string;
  createdTime: string;
}

/** createElasticIps body. */
export const createElasticIpsBody = z.object({
  maxCount: z.number().int(),
  elasticIpAddress: z.string().max(64).optional(),
  elasticIpSpec: z.object({
    bandwidthMbps: z.number().int(),
    provider: z.string().max(32),
    chargeSpec: z.object({}).passthrough().optional(),
  }),
  userTags: z.array(z.object({}).passthrough()).optional(),
  ipType: z.string().max(32).optional(),
  resourceGroupId: z.string().max(64).optional(),
  dryRun: z.boolean().optional(),
});
/** modifyElasticIp body. */
export const modifyElasticIpBody = z.object({ bandwidthMbps: z.number().int() });
/** associateElasticIp (on a network interface) body. */
export const associateElasticIpBody = z.object({
  elasticIpId: z.string().max(64).optional(),
  privateIpAddress: z.string().max(64).optional(),
  elasticIpAddress: z.string().max(64).optional(),
});
/** disassociateElasticIp (on a network interface) body. */
export const disassociateElasticIpBody = z.object({
  elasticIpId: z.string().max(64).optional(),
  elasticIpAddress: z.string().max(64).optional(),
});
/** Admin createExternalNetwork body. */
export const createExternalNetworkBody = z.object({
  regionId: z.string().max(32).optional(),
  cidr: z.string().max(64),
  gateway: z.string().max(64),
  physicalNetwork: z.string().max(64),
  vlan: z.number().int().optional(),
  gatewayChassis: z.array(z.string().max(128)).max(16).optional(),
});
/** Admin createEipPool body. */
export const createEipPoolBody = z.object({
  regionId: z.string().max(32).optional(),
  externalNetworkId: z.string().max(64),
  cidr: z.string().max(64),
  provider: z.string().max(32).optional(),
});

/** An elastic IP as describeElasticIp(s) shows it. */
export interface ElasticIp {
  elasticIpId: string;
  elasticIpName: string;
  elasticIpAddress: string;
  bandwidthMbps: number;
  provider: string;
  privateIpAddress: string;
  networkInterfaceId: string;
  instanceId: string;
  instanceType: string;
  createdTime: string;
  az: string;
  ipType: string;
  status: string;
  state: string;
}
