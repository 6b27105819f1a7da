// Admin describeInstanceConsoleLog: GET /admin/v1/instances/{instanceId}/consoleLog — any account's
// instance's recent serial console output, for an operator looking at a boot that went wrong.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeInstanceConsoleLogAdmin',
  method: 'GET',
  path: '/admin/v1/instances/{instanceId}/consoleLog',
  admin: true,
  errors: ['instanceNotFound', 'invalidInstanceStatus', 'consoleUnavailable'],
  handle: async (ctx) => ctx.services.consoles.readLog(undefined, ctx.params.instanceId!),
});
