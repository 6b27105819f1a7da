// describeInstanceConsoleLog (Kumo): GET /v1/regions/{regionId}/instances/{instanceId}/consoleLog —
// the last 64 KiB of the serial console, e.g. for a boot that never reaches SSH.
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'describeInstanceConsoleLog',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances/{instanceId}/consoleLog',
  errors: ['instanceNotFound', 'invalidInstanceStatus', 'consoleUnavailable'],
  handle: async (ctx) => ctx.services.consoles.readLog(scopeOf(ctx), ctx.params.instanceId!),
});
