// startInstance: POST /v1/regions/{regionId}/instances/{instanceId}:startInstance — claims the instance and queues the task.
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'startInstance',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:startInstance',
  errors: ['instanceNotFound', 'conflictWithTask', 'invalidInstanceStatus'],
  handle: async (ctx) => {
    await ctx.services.instances.act(scopeOf(ctx), callerOf(ctx), ctx.params.instanceId!, 'start');
    return undefined;
  },
});
