// describeInstanceSerialConsoleUrl (Kumo): GET /v1/regions/{regionId}/instances/{instanceId}/serialConsole
// — a single-use WebSocket URL to the running instance's serial console (`kumo instance console`).
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'describeInstanceSerialConsoleUrl',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances/{instanceId}/serialConsole',
  errors: ['instanceNotFound', 'invalidInstanceStatus'],
  handle: async (ctx) => ({
    url: await ctx.services.consoles.serialUrl(scopeOf(ctx), ctx.accessKey, ctx.params.instanceId!),
  }),
});
