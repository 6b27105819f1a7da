// describeInstance: GET /v1/regions/{regionId}/instances/{instanceId}.
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';
import { instanceView } from '../../views/instance.js';

export default defineRoute({
  operation: 'describeInstance',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances/{instanceId}',
  errors: ['instanceNotFound'],
  handle: async (ctx) => ({
    instance: instanceView(await ctx.services.instances.get(scopeOf(ctx), ctx.params.instanceId!)),
  }),
});
