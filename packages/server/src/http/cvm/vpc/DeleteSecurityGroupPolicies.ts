// DeleteSecurityGroupPolicies: removeNetworkSecurityGroupRules for the policies named by
// PolicyIndex or by their Protocol, Port, CidrBlock and Action; all found before any is removed.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { groupOf } from './groups.js';
import { ordered, policySetParam, rulesNamed } from './policies.js';

export default defineAction({
  action: 'DeleteSecurityGroupPolicies',
  service: 'vpc',
  operation: 'removeNetworkSecurityGroupRules',
  params: z.strictObject({ SecurityGroupId: z.string().max(128), SecurityGroupPolicySet: policySetParam }),
  handle: async (ctx) => {
    const set = ctx.params.SecurityGroupPolicySet;
    if ((set.Ingress?.length ?? 0) + (set.Egress?.length ?? 0) === 0)
      throw TencentErrors.missingParameter('SecurityGroupPolicySet.Ingress or Egress');
    const g = await groupOf(ctx, ctx.params.SecurityGroupId);
    const remove = [
      ...rulesNamed(ordered(g.rules, 'ingress'), set.Ingress ?? [], 'SecurityGroupPolicySet.Ingress'),
      ...rulesNamed(ordered(g.rules, 'egress'), set.Egress ?? [], 'SecurityGroupPolicySet.Egress'),
    ];
    await ctx.services.securityGroups.changeRules(scopeOf(ctx), g.id, { remove: [...new Set(remove)] });
    return {};
  },
});
