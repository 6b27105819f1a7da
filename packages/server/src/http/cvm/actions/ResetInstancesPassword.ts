// ResetInstancesPassword: modifyInstancePassword for each instance (effective at the next boot).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf, scopeOf } from '../batch.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'ResetInstancesPassword',
  operation: 'modifyInstancePassword',
  params: z.strictObject({
    InstanceIds: idList,
    Password: z.string().max(64),
    UserName: z.string().max(64).optional(),
    ForceStop: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    if (ctx.params.UserName !== undefined && ctx.params.UserName !== 'root') {
      throw TencentErrors.unsupportedOperation('A UserName other than root');
    }
    const batch = await batchOf(ctx, ctx.params.InstanceIds);
    for (const inst of batch)
      await ctx.services.instances.modifyPassword(scopeOf(ctx), inst.id, ctx.params.Password);
    return {};
  },
});
