// Admin enableHost: POST /admin/v1/hosts/{hostId}:enable — placements allowed again.
import { defineRoute } from '../../route.js';
import { hostView } from '../../views/host.js';

export default defineRoute({
  operation: 'enableHost',
  method: 'POST',
  path: '/admin/v1/hosts/{hostId}:enable',
  admin: true,
  errors: ['hostNotFound'],
  handle: async (ctx) => ({ host: hostView(await ctx.services.hosts.setEnabled(ctx.params.hostId!, true)) }),
});
