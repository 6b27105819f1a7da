// Admin removeStorageBackend: DELETE /admin/v1/storageBackends/{storageBackendId} — only one no disk or snapshot uses.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'removeStorageBackend',
  method: 'DELETE',
  path: '/admin/v1/storageBackends/{storageBackendId}',
  admin: true,
  errors: ['storageBackendNotFound', 'storageBackendInUse'],
  handle: async (ctx) => {
    await ctx.services.storageBackends.remove(ctx.params.storageBackendId!);
    return undefined;
  },
});
