// CreateSubnet: createSubnet with Tencent's VpcId, SubnetName, CidrBlock and Zone.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { subnetView } from './views.js';

export default defineAction({
  action: 'CreateSubnet',
  service: 'vpc',
  operation: 'createSubnet',
  params: z.strictObject({
    VpcId: z.string().max(128),
    SubnetName: z.string().max(256),
    CidrBlock: z.string().max(64),
    Zone: z.string().max(64),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const { subnetId } = await ctx.services.vpcs.createSubnet(scopeOf(ctx), {
      vpcId: VPC_IDS.vpc.in('VpcId', p.VpcId),
      name: p.SubnetName,
      addressPrefix: p.CidrBlock,
      az: p.Zone,
    });
    return { Subnet: subnetView(await ctx.services.vpcs.getSubnet(scopeOf(ctx), subnetId)) };
  },
});
