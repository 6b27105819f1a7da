// modifyImageAttribute: POST /v1/regions/{regionId}/images/{imageId}:modifyImageAttribute — name, description.
import { z } from 'zod';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyImageAttribute',
  method: 'POST',
  path: '/v1/regions/{regionId}/images/{imageId}:modifyImageAttribute',
  body: z.object({ name: z.string().max(256).optional(), description: z.string().max(256).optional() }),
  handle: async (ctx) => {
    await ctx.services.images.modify(ctx.regionId, ctx.account, ctx.params.imageId!, ctx.body);
    return undefined;
  },
});
