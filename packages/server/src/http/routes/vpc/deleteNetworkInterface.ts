// deleteNetworkInterface: DELETE /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId} — only a detached interface.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteNetworkInterface',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}',
  errors: ['networkInterfaceNotFound', 'networkInterfaceAttached'],
  handle: async ({ services, account, regionId, params }) => {
    await services.networkInterfaces.delete({ accountId: account.id, regionId }, params.networkInterfaceId!);
    return undefined;
  },
});
