// Admin describeInstanceEvents: GET /admin/v1/instances/{instanceId}/events — the action log.
import { defineRoute } from '../../route.js';
import { instanceEventView } from '../../views/instance.js';

export default defineRoute({
  operation: 'describeInstanceEvents',
  method: 'GET',
  path: '/admin/v1/instances/{instanceId}/events',
  admin: true,
  errors: ['instanceNotFound'],
  handle: async (ctx) => ({
    events: (await ctx.services.instances.events(ctx.params.instanceId!)).map(instanceEventView),
  }),
});
