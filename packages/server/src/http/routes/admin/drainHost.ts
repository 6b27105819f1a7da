// Admin drainHost: POST /admin/v1/hosts/{hostId}:drain — no new instances are placed on it.
import { defineRoute } from '../../route.js';
import { hostView } from '../../views/host.js';

export default defineRoute({
  operation: 'drainHost',
  method: 'POST',
  path: '/admin/v1/hosts/{hostId}:drain',
  admin: true,
  errors: ['hostNotFound'],
  handle: async (ctx) => ({ host: hostView(await ctx.services.hosts.setEnabled(ctx.params.hostId!, false)) }),
});
