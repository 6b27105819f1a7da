// modifyImageAttribute: POST /v1/regions/{regionId}/images/{imageId}:modifyImageAttribute — name, description.
import { modifyImageAttributeBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyImageAttribute',
  method: 'POST',
  path: '/v1/regions/{regionId}/images/{imageId}:modifyImageAttribute',
  body: modifyImageAttributeBody,
  errors: ['imageNotFound', 'adminOnly', 'invalidParameter'],
  handle: async (ctx) => {
    await ctx.services.images.modify(ctx.regionId, ctx.account, ctx.params.imageId!, ctx.body);
    return undefined;
  },
});
