// describeImageConstraintsBatch: GET /v1/regions/{regionId}/imageConstraints?ids.N=… — unknown ids are skipped.
import { Errors } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { constraintView } from '../../views/image.js';

export default defineRoute({
  operation: 'describeImageConstraintsBatch',
  method: 'GET',
  path: '/v1/regions/{regionId}/imageConstraints',
  errors: ['invalidParameter'],
  handle: async (ctx) => {
    const ids = ctx.query.ids ?? [];
    if (!Array.isArray(ids) || ids.length > 100 || ids.some((i) => typeof i !== 'string')) {
      throw Errors.invalidParameter('ids');
    }
    const found = [];
    for (const id of ids as string[]) {
      try {
        found.push(constraintView(await ctx.services.images.get(ctx.regionId, ctx.account, id)));
      } catch {
        // JD answers with the constraints it has; an unknown id contributes nothing.
      }
    }
    return { imageConstraints: found };
  },
});
