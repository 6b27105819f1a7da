// createImage: POST /v1/regions/{regionId}/instances/{instanceId}:createImage — a private image of a stopped instance's root disk.
import { createImageBody, type CreateImageResult } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'createImage',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:createImage',
  body: createImageBody,
  errors: [
    'instanceNotFound',
    'imageNotFound',
    'invalidParameter',
    'quotaExceeded',
    'conflictWithTask',
    'invalidInstanceStatus',
  ],
  handle: async (ctx): Promise<CreateImageResult> => ({
    imageId: await ctx.services.imageCreation.create(
      scopeOf(ctx),
      callerOf(ctx),
      ctx.params.instanceId!,
      ctx.body,
    ),
  }),
});
