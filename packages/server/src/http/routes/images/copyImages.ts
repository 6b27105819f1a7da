// copyImages: POST /v1/regions/{regionId}/images:copyImages — own private images into another region of this installation.
import { copyImagesBody, type CopyImagesResult } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'copyImages',
  method: 'POST',
  path: '/v1/regions/{regionId}/images:copyImages',
  body: copyImagesBody,
  errors: [
    'unknownRegion',
    'invalidParameter',
    'imageNotFound',
    'imageNotOwned',
    'imageNotPrivate',
    'imageNotReady',
    'quotaExceeded',
  ],
  handle: async (ctx): Promise<CopyImagesResult> => ({
    copyImages: await ctx.services.imageSharing.copy(
      ctx.regionId,
      ctx.account,
      ctx.body.sourceImageIds,
      ctx.body.destinationRegion,
    ),
  }),
});
