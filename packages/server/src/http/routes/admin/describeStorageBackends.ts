// Admin describeStorageBackends: GET /admin/v1/storageBackends — every AZ's storage backend (keys not shown).
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeStorageBackends',
  method: 'GET',
  path: '/admin/v1/storageBackends',
  admin: true,
  errors: [],
  handle: (ctx) => ctx.services.storageBackends.list(),
});
