// Admin prepullImage: POST /admin/v1/images/{imageId}:prepull — uploads an image's base volumes to
// hosts now (all healthy hosts of its region, or the named ones) instead of at first use.
import { z } from 'zod';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'prepullImage',
  method: 'POST',
  path: '/admin/v1/images/{imageId}:prepull',
  admin: true,
  body: z.object({ hostIds: z.array(z.string().max(64)).max(1000).optional() }),
  handle: async (ctx) => ({
    hosts: await ctx.services.images.prepull(ctx.params.imageId!, ctx.body.hostIds),
  }),
});
