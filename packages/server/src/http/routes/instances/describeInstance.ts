// describeInstance: GET /v1/regions/{regionId}/instances/{instanceId}.
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'describeInstance',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances/{instanceId}',
  handle: (ctx) => ctx.services.instances.describe(scopeOf(ctx), ctx.params.instanceId!),
});
