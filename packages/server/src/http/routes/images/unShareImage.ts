// unShareImage: POST /v1/regions/{regionId}/images/{imageId}:unshare — stop sharing an own private image with accounts.
import { shareImageBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'unShareImage',
  method: 'POST',
  path: '/v1/regions/{regionId}/images/{imageId}:unshare',
  body: shareImageBody,
  errors: ['imageNotFound', 'imageNotOwned', 'imageNotPrivate', 'missingParameter', 'invalidParameter'],
  handle: async (ctx) => {
    await ctx.services.imageSharing.unshare(ctx.regionId, ctx.account, ctx.params.imageId!, ctx.body.pins);
    return undefined;
  },
});
