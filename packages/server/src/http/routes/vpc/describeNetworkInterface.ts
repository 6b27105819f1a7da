// describeNetworkInterface: GET /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}.
import { defineRoute } from '../../route.js';
import { networkInterfaceView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeNetworkInterface',
  method: 'GET',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}',
  errors: ['networkInterfaceNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    networkInterface: networkInterfaceView(
      await services.networkInterfaces.get({ accountId: account.id, regionId }, params.networkInterfaceId!),
    ),
  }),
});
