// DescribeSecurityGroupPolicies: a group's rules as Tencent's Ingress and Egress lists.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { filtersOf, filtersParam } from '../params.js';
import { groupOf } from './groups.js';
import { policySetView } from './policies.js';

export default defineAction({
  action: 'DescribeSecurityGroupPolicies',
  service: 'vpc',
  operation: 'describeNetworkSecurityGroup',
  params: z.strictObject({ SecurityGroupId: z.string().max(128), Filters: filtersParam }),
  handle: async (ctx) => {
    // No policy filter is served: any name is refused rather than ignored.
    filtersOf(ctx.params.Filters, []);
    const g = await groupOf(ctx, ctx.params.SecurityGroupId);
    return { SecurityGroupPolicySet: policySetView(g.rules) };
  },
});
