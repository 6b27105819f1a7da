// resizeInstance: POST …/instances/{instanceId}:resizeInstance — stopped instances only.
import { z } from 'zod';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'resizeInstance',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:resizeInstance',
  body: z.object({ instanceType: z.string().max(64) }),
  handle: async (ctx) => {
    await ctx.services.instances.resize(
      scopeOf(ctx),
      callerOf(ctx),
      ctx.params.instanceId!,
      ctx.body.instanceType,
    );
    return undefined;
  },
});
