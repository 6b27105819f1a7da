// Admin describeHost: GET /admin/v1/hosts/{hostId} (id or name).
import { defineRoute } from '../../route.js';
import { hostView } from '../../views/host.js';

export default defineRoute({
  operation: 'describeHost',
  method: 'GET',
  path: '/admin/v1/hosts/{hostId}',
  admin: true,
  errors: ['hostNotFound'],
  handle: async (ctx) => ({ host: hostView(await ctx.services.hosts.get(ctx.params.hostId!)) }),
});
