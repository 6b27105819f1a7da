// CreateSecurityGroupPolicies: addNetworkSecurityGroupRules, appended to each direction's list
// (an insertion point inside the list is refused: Kumo orders rules by priority, not by place).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { groupOf } from './groups.js';
import { ordered, policySetParam, specOf, type Policy } from './policies.js';

export default defineAction({
  action: 'CreateSecurityGroupPolicies',
  service: 'vpc',
  operation: 'addNetworkSecurityGroupRules',
  params: z.strictObject({ SecurityGroupId: z.string().max(128), SecurityGroupPolicySet: policySetParam }),
  handle: async (ctx) => {
    const set = ctx.params.SecurityGroupPolicySet;
    const ingress = set.Ingress ?? [];
    const egress = set.Egress ?? [];
    if (ingress.length + egress.length === 0)
      throw TencentErrors.missingParameter('SecurityGroupPolicySet.Ingress or Egress');
    const g = await groupOf(ctx, ctx.params.SecurityGroupId);
    const appended = (list: Policy[], count: number, field: string) => {
      for (const [i, p] of list.entries())
        if (p.PolicyIndex !== undefined && p.PolicyIndex < count)
          throw TencentErrors.unsupportedOperation(`${field}.${i}.PolicyIndex inside the list`);
    };
    appended(ingress, ordered(g.rules, 'ingress').length, 'SecurityGroupPolicySet.Ingress');
    appended(egress, ordered(g.rules, 'egress').length, 'SecurityGroupPolicySet.Egress');
    const add = [
      ...ingress.map((p, i) => specOf(p, 0, `SecurityGroupPolicySet.Ingress.${i}`)),
      ...egress.map((p, i) => specOf(p, 1, `SecurityGroupPolicySet.Egress.${i}`)),
    ];
    await ctx.services.securityGroups.changeRules(scopeOf(ctx), g.id, { add });
    return {};
  },
});
