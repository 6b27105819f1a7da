// modifyInstanceAttribute: POST …/instances/{instanceId}:modifyInstanceAttribute — name, description.
import { Errors } from '@kumo/contract';
import { z } from 'zod';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'modifyInstanceAttribute',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:modifyInstanceAttribute',
  body: z.object({ name: z.string().max(256).optional(), description: z.string().max(256).optional() }),
  handle: async (ctx) => {
    if (ctx.body.name !== undefined && !/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u.test(ctx.body.name)) {
      throw Errors.invalidParameter('name', 'use 1-32 Chinese characters, letters, digits, "_" or "-"');
    }
    await ctx.services.instances.modifyAttribute(scopeOf(ctx), ctx.params.instanceId!, ctx.body);
    return undefined;
  },
});
