// Admin drainHost: POST /admin/v1/hosts/{hostId}:drain — no new instances are placed on it.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'drainHost',
  method: 'POST',
  path: '/admin/v1/hosts/{hostId}:drain',
  admin: true,
  handle: async (ctx) => ({ host: await ctx.services.hosts.setEnabled(ctx.params.hostId!, false) }),
});
