// Every action of Tencent's VPC API that `POST /` serves, one file each (see ../action.ts).
import type { CvmAction } from '../action.js';
import AllocateAddresses from './AllocateAddresses.js';
import AssociateAddress from './AssociateAddress.js';
import AttachNetworkInterface from './AttachNetworkInterface.js';
import CreateNetworkInterface from './CreateNetworkInterface.js';
import CreateSecurityGroup from './CreateSecurityGroup.js';
import CreateSecurityGroupPolicies from './CreateSecurityGroupPolicies.js';
import CreateSubnet from './CreateSubnet.js';
import CreateVpc from './CreateVpc.js';
import DeleteNetworkInterface from './DeleteNetworkInterface.js';
import DeleteSecurityGroup from './DeleteSecurityGroup.js';
import DeleteSecurityGroupPolicies from './DeleteSecurityGroupPolicies.js';
import DeleteSubnet from './DeleteSubnet.js';
import DeleteVpc from './DeleteVpc.js';
import DescribeAddresses from './DescribeAddresses.js';
import DescribeNetworkInterfaces from './DescribeNetworkInterfaces.js';
import DescribeSecurityGroupPolicies from './DescribeSecurityGroupPolicies.js';
import DescribeSecurityGroups from './DescribeSecurityGroups.js';
import DescribeSubnets from './DescribeSubnets.js';
import DescribeVpcs from './DescribeVpcs.js';
import DetachNetworkInterface from './DetachNetworkInterface.js';
import DisassociateAddress from './DisassociateAddress.js';
import ReleaseAddresses from './ReleaseAddresses.js';

/** The VPC service's actions, by X-TC-Action. */
export const vpcActions: readonly CvmAction[] = [
  AllocateAddresses,
  AssociateAddress,
  AttachNetworkInterface,
  CreateNetworkInterface,
  CreateSecurityGroup,
  CreateSecurityGroupPolicies,
  CreateSubnet,
  CreateVpc,
  DeleteNetworkInterface,
  DeleteSecurityGroup,
  DeleteSecurityGroupPolicies,
  DeleteSubnet,
  DeleteVpc,
  DescribeAddresses,
  DescribeNetworkInterfaces,
  DescribeSecurityGroupPolicies,
  DescribeSecurityGroups,
  DescribeSubnets,
  DescribeVpcs,
  DetachNetworkInterface,
  DisassociateAddress,
  ReleaseAddresses,
] as CvmAction[];
