// deleteImage: DELETE /v1/regions/{regionId}/images/{imageId} — refused while instances use it.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteImage',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/images/{imageId}',
  errors: ['imageNotFound', 'adminOnly', 'imageInUse'],
  handle: async (ctx) => {
    await ctx.services.images.delete(ctx.regionId, ctx.account, ctx.params.imageId!);
    return undefined;
  },
});
