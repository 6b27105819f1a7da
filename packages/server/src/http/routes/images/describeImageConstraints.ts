// describeImageConstraints: GET /v1/regions/{regionId}/images/{imageId}/constraints.
import { constraintView } from '../../../services/images.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeImageConstraints',
  method: 'GET',
  path: '/v1/regions/{regionId}/images/{imageId}/constraints',
  handle: async (ctx) => ({
    imageConstraints: constraintView(
      await ctx.services.images.get(ctx.regionId, ctx.account, ctx.params.imageId!),
    ),
  }),
});
