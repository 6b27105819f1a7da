// DeleteSubnet: deleteSubnet (only one no interface or instance uses).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'DeleteSubnet',
  service: 'vpc',
  operation: 'deleteSubnet',
  params: z.strictObject({ SubnetId: z.string().max(128) }),
  handle: async (ctx) => {
    await ctx.services.vpcs.deleteSubnet(scopeOf(ctx), VPC_IDS.subnet.in('SubnetId', ctx.params.SubnetId));
    return {};
  },
});
