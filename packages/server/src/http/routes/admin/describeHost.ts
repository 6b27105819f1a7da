// Admin describeHost: GET /admin/v1/hosts/{hostId} (id or name).
import { hostView } from '../../../services/hosts.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeHost',
  method: 'GET',
  path: '/admin/v1/hosts/{hostId}',
  admin: true,
  handle: async (ctx) => ({ host: hostView(await ctx.services.hosts.get(ctx.params.hostId!)) }),
});
