// CreateSecurityGroup: createNetworkSecurityGroup in the VPC its `kumo:vpc-id` tag names, or the
// region's default VPC (Tencent's groups are regional, Kumo's belong to a VPC).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { groupOf, vpcForGroup } from './groups.js';
import { securityGroupView } from './views.js';

export default defineAction({
  action: 'CreateSecurityGroup',
  service: 'vpc',
  operation: 'createNetworkSecurityGroup',
  params: z.strictObject({
    GroupName: z.string().max(256),
    GroupDescription: z.string().max(1024),
    ProjectId: z.string().max(32).optional(),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const vpcId = await vpcForGroup(ctx, p.Tags);
    const r = await ctx.services.securityGroups.create(scopeOf(ctx), {
      vpcId,
      name: p.GroupName,
      description: p.GroupDescription,
    });
    const g = await groupOf(ctx, r.networkSecurityGroupId);
    return { SecurityGroup: securityGroupView(g) };
  },
});
