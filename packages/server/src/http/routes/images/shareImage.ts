// shareImage: POST /v1/regions/{regionId}/images/{imageId}:share — share an own private image with accounts by pin.
import { shareImageBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'shareImage',
  method: 'POST',
  path: '/v1/regions/{regionId}/images/{imageId}:share',
  body: shareImageBody,
  errors: [
    'imageNotFound',
    'imageNotOwned',
    'imageNotPrivate',
    'imageNotReady',
    'missingParameter',
    'invalidParameter',
    'quotaExceeded',
  ],
  handle: async (ctx) => {
    await ctx.services.imageSharing.share(ctx.regionId, ctx.account, ctx.params.imageId!, ctx.body.pins);
    return undefined;
  },
});
