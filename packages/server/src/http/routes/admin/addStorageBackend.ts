// Admin addStorageBackend: POST /admin/v1/storageBackends — the AZ's storage for cloud disks (`local` or `rbd`).
import { addStorageBackendBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'addStorageBackend',
  method: 'POST',
  path: '/admin/v1/storageBackends',
  admin: true,
  body: addStorageBackendBody,
  errors: ['invalidParameter', 'missingParameter', 'hostUnreachable', 'storageBackendExists'],
  handle: async (ctx) => {
    const { regionId, path, cephPool, monitors, user, key, name, ...rest } = ctx.body;
    return {
      storageBackend: await ctx.services.storageBackends.add({
        ...rest,
        ...(regionId ? { regionId } : {}),
        ...(name ? { name } : {}),
        ...(path ? { path } : {}),
        ...(cephPool ? { cephPool } : {}),
        ...(monitors ? { monitors } : {}),
        ...(user ? { user } : {}),
        ...(key ? { key } : {}),
      }),
    };
  },
});
