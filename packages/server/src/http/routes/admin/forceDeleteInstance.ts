// Admin forceDeleteInstance: POST /admin/v1/instances/{instanceId}:forceDelete — deletes an
// instance from the inventory now, whatever its task or host (a host that is gone for good);
// the reconciler removes what is left on the host if it ever answers again.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'forceDeleteInstance',
  method: 'POST',
  path: '/admin/v1/instances/{instanceId}:forceDelete',
  admin: true,
  errors: ['instanceNotFound'],
  handle: async ({ services, params, accessKey }) => {
    await services.instanceAdmin.forceDelete(params.instanceId!, accessKey);
    return undefined;
  },
});
