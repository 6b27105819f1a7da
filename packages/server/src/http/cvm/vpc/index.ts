// Every action of Tencent's VPC API that `POST /` serves, one file each (see ../action.ts).
import type { CvmAction } from '../action.js';
import CreateSecurityGroup from './CreateSecurityGroup.js';
import CreateSecurityGroupPolicies from './CreateSecurityGroupPolicies.js';
import CreateSubnet from './CreateSubnet.js';
import CreateVpc from './CreateVpc.js';
import DeleteSecurityGroup from './DeleteSecurityGroup.js';
import DeleteSecurityGroupPolicies from './DeleteSecurityGroupPolicies.js';
import DeleteSubnet from './DeleteSubnet.js';
import DeleteVpc from './DeleteVpc.js';
import DescribeSecurityGroupPolicies from './DescribeSecurityGroupPolicies.js';
import DescribeSecurityGroups from './DescribeSecurityGroups.js';
import DescribeSubnets from './DescribeSubnets.js';
import DescribeVpcs from './DescribeVpcs.js';

/** The VPC service's actions, by X-TC-Action. */
export const vpcActions: readonly CvmAction[] = [
  CreateSecurityGroup,
  CreateSecurityGroupPolicies,
  CreateSubnet,
  CreateVpc,
  DeleteSecurityGroup,
  DeleteSecurityGroupPolicies,
  DeleteSubnet,
  DeleteVpc,
  DescribeSecurityGroupPolicies,
  DescribeSecurityGroups,
  DescribeSubnets,
  DescribeVpcs,
] as CvmAction[];
