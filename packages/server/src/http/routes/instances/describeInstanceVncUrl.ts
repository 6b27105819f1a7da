// describeInstanceVncUrl: GET /v1/regions/{regionId}/instances/{instanceId}/vnc.
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'describeInstanceVncUrl',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances/{instanceId}/vnc',
  errors: ['instanceNotFound', 'invalidInstanceStatus'],
  handle: async (ctx) => ({
    vncUrl: await ctx.services.consoles.vncUrl(scopeOf(ctx), ctx.accessKey, ctx.params.instanceId!),
  }),
});
