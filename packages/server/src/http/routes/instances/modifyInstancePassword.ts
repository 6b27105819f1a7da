// modifyInstancePassword: POST …/instances/{instanceId}:modifyInstancePassword — effective after the next reboot.
import { z } from 'zod';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'modifyInstancePassword',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:modifyInstancePassword',
  body: z.object({ password: z.string().max(256) }),
  handle: async (ctx) => {
    await ctx.services.instances.modifyPassword(scopeOf(ctx), ctx.params.instanceId!, ctx.body.password);
    return undefined;
  },
});
