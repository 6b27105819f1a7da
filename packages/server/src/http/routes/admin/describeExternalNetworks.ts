// Admin describeExternalNetworks: GET /admin/v1/externalNetworks.
import { defineRoute } from '../../route.js';
import { externalNetworkView } from '../../views/network-admin.js';

export default defineRoute({
  operation: 'describeExternalNetworks',
  method: 'GET',
  path: '/admin/v1/externalNetworks',
  admin: true,
  errors: [],
  handle: async ({ services }) => ({
    externalNetworks: (await services.externalNetworks.list()).map(externalNetworkView),
  }),
});
