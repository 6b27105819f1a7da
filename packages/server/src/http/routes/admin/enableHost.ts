// Admin enableHost: POST /admin/v1/hosts/{hostId}:enable — placements allowed again.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'enableHost',
  method: 'POST',
  path: '/admin/v1/hosts/{hostId}:enable',
  admin: true,
  handle: async (ctx) => ({ host: await ctx.services.hosts.setEnabled(ctx.params.hostId!, true) }),
});
