// deleteInstance: DELETE /v1/regions/{regionId}/instances/{instanceId} — status `deleting` until gone.
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'deleteInstance',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/instances/{instanceId}',
  errors: ['instanceNotFound', 'conflictWithTask', 'invalidInstanceStatus'],
  handle: async (ctx) => {
    await ctx.services.instances.act(scopeOf(ctx), callerOf(ctx), ctx.params.instanceId!, 'delete');
    return undefined;
  },
});
