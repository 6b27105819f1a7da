// ResetInstancesType: resizeInstance (stopped instances, one per call as Tencent allows).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf, callerOf, scopeOf } from '../batch.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'ResetInstancesType',
  operation: 'resizeInstance',
  params: z.strictObject({
    InstanceIds: idList,
    InstanceType: z.string().max(64),
    ForceStop: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    if (ctx.params.InstanceIds.length > 1) {
      throw TencentErrors.invalidParameterValue('InstanceIds', 'one instance per call');
    }
    const [inst] = await batchOf(ctx, ctx.params.InstanceIds, 'resize');
    await ctx.services.instances.resize(scopeOf(ctx), callerOf(ctx), inst!.id, ctx.params.InstanceType);
    return {};
  },
});
