// DeleteVpc: deleteVpc (only without subnets and groups of its own, as Kumo's service decides).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'DeleteVpc',
  service: 'vpc',
  operation: 'deleteVpc',
  params: z.strictObject({ VpcId: z.string().max(128) }),
  handle: async (ctx) => {
    await ctx.services.vpcs.deleteVpc(scopeOf(ctx), VPC_IDS.vpc.in('VpcId', ctx.params.VpcId));
    return {};
  },
});
