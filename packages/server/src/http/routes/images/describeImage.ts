// describeImage: GET /v1/regions/{regionId}/images/{imageId}.
import { defineRoute } from '../../route.js';
import { imageView } from '../../views/image.js';

export default defineRoute({
  operation: 'describeImage',
  method: 'GET',
  path: '/v1/regions/{regionId}/images/{imageId}',
  errors: ['imageNotFound'],
  handle: async (ctx) => ({
    image: imageView(await ctx.services.images.get(ctx.regionId, ctx.account, ctx.params.imageId!)),
  }),
});
