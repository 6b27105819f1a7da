// describeImage: GET /v1/regions/{regionId}/images/{imageId}.
import { imageView } from '../../../services/images.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeImage',
  method: 'GET',
  path: '/v1/regions/{regionId}/images/{imageId}',
  handle: async (ctx) => ({
    image: imageView(await ctx.services.images.get(ctx.regionId, ctx.account, ctx.params.imageId!)),
  }),
});
