// DetachNetworkInterface: detachNetworkInterface of the vm service (a secondary interface, hot-plugged
// when the instance runs; the NIC worker finishes it, so pollers see it DETACHING first).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'DetachNetworkInterface',
  service: 'vpc',
  operation: 'detachNetworkInterface',
  params: z.strictObject({
    NetworkInterfaceId: z.string().max(128),
    InstanceId: z.string().max(128),
    ClientToken: z.string().max(64).optional(),
  }),
  handle: async (ctx) => {
    const nic = VPC_IDS.networkInterface.in('NetworkInterfaceId', ctx.params.NetworkInterfaceId);
    const instanceId = VPC_IDS.instance.in('InstanceId', ctx.params.InstanceId);
    await ctx.services.nicAttachments.detach(scopeOf(ctx), instanceId, nic);
    return {};
  },
});
