// DeleteSecurityGroup: deleteNetworkSecurityGroup (not a VPC's default group, not one in use).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'DeleteSecurityGroup',
  service: 'vpc',
  operation: 'deleteNetworkSecurityGroup',
  params: z.strictObject({ SecurityGroupId: z.string().max(128) }),
  handle: async (ctx) => {
    const id = VPC_IDS.securityGroup.in('SecurityGroupId', ctx.params.SecurityGroupId);
    await ctx.services.securityGroups.delete(scopeOf(ctx), id);
    return {};
  },
});
