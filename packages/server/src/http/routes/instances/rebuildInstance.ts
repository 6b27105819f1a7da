// rebuildInstance: POST …/instances/{instanceId}:rebuildInstance — new root disk, same identity.
import { z } from 'zod';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'rebuildInstance',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:rebuildInstance',
  body: z.object({
    password: z.string().max(256),
    imageId: z.string().max(64).optional(),
    keyNames: z.array(z.string().max(64)).max(1).optional(),
  }),
  handle: async (ctx) => {
    await ctx.services.instances.rebuild(scopeOf(ctx), callerOf(ctx), ctx.params.instanceId!, ctx.body);
    return undefined;
  },
});
