// Admin deleteExternalNetwork: DELETE /admin/v1/externalNetworks/{externalNetworkId} — only one without pools.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteExternalNetwork',
  method: 'DELETE',
  path: '/admin/v1/externalNetworks/{externalNetworkId}',
  admin: true,
  errors: ['externalNetworkNotFound', 'inUse'],
  handle: async ({ services, params }) => {
    await services.externalNetworks.delete(params.externalNetworkId!);
    return undefined;
  },
});
