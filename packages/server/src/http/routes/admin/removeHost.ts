// Admin removeHost: DELETE /admin/v1/hosts/{hostId} — only a host without instances.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'removeHost',
  method: 'DELETE',
  path: '/admin/v1/hosts/{hostId}',
  admin: true,
  errors: ['hostNotFound', 'hostInUse'],
  handle: async (ctx) => {
    await ctx.services.hosts.remove(ctx.params.hostId!);
    return undefined;
  },
});
