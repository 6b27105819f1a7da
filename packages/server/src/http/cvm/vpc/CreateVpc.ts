// CreateVpc: createVpc with Tencent's VpcName and CidrBlock, answering the new Vpc.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { vpcView } from './views.js';

export default defineAction({
  action: 'CreateVpc',
  service: 'vpc',
  operation: 'createVpc',
  params: z.strictObject({
    VpcName: z.string().max(256),
    CidrBlock: z.string().max(64),
    EnableMulticast: z.string().max(8).optional(),
    DnsServers: z.array(z.string().max(64)).max(4).optional(),
    DomainName: z.string().max(64).optional(),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const { vpcId } = await ctx.services.vpcs.createVpc(scopeOf(ctx), {
      name: p.VpcName,
      addressPrefix: p.CidrBlock,
    });
    const { vpc } = await ctx.services.vpcs.getVpc(scopeOf(ctx), vpcId);
    return { Vpc: vpcView(vpc) };
  },
});
