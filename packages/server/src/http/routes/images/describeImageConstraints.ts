// describeImageConstraints: GET /v1/regions/{regionId}/images/{imageId}/constraints.
import { defineRoute } from '../../route.js';
import { constraintView } from '../../views/image.js';

export default defineRoute({
  operation: 'describeImageConstraints',
  method: 'GET',
  path: '/v1/regions/{regionId}/images/{imageId}/constraints',
  errors: ['imageNotFound'],
  handle: async (ctx) => ({
    imageConstraints: constraintView(
      await ctx.services.images.get(ctx.regionId, ctx.account, ctx.params.imageId!),
    ),
  }),
});
