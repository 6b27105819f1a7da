// DeleteNetworkInterface: deleteNetworkInterface (not while attached or holding an elastic IP).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'DeleteNetworkInterface',
  service: 'vpc',
  operation: 'deleteNetworkInterface',
  params: z.strictObject({ NetworkInterfaceId: z.string().max(128) }),
  handle: async (ctx) => {
    const id = VPC_IDS.networkInterface.in('NetworkInterfaceId', ctx.params.NetworkInterfaceId);
    await ctx.services.networkInterfaces.delete(scopeOf(ctx), id);
    return {};
  },
});
