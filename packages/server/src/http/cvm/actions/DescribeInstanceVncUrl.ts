// DescribeInstanceVncUrl: describeInstanceVncUrl; the URL opens Kumo's console page (one use).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf, scopeOf } from '../batch.js';

export default defineAction({
  action: 'DescribeInstanceVncUrl',
  operation: 'describeInstanceVncUrl',
  params: z.strictObject({ InstanceId: z.string().max(64) }),
  handle: async (ctx) => {
    const [inst] = await batchOf(ctx, [ctx.params.InstanceId]);
    return { InstanceVncUrl: await ctx.services.consoles.vncUrl(scopeOf(ctx), ctx.accessKey, inst!.id) };
  },
});
