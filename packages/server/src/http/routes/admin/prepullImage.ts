// Admin prepullImage: POST /admin/v1/images/{imageId}:prepull — uploads an image's base volumes to
// hosts now (all healthy hosts of its region, or the named ones) instead of at first use.
import { prepullImageBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'prepullImage',
  method: 'POST',
  path: '/admin/v1/images/{imageId}:prepull',
  admin: true,
  body: prepullImageBody,
  errors: ['imageNotFound'],
  handle: async (ctx) => ({
    hosts: await ctx.services.images.prepull(ctx.params.imageId!, ctx.body.hostIds),
  }),
});
