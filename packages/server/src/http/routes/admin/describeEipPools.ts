// Admin describeEipPools: GET /admin/v1/eipPools.
import { defineRoute } from '../../route.js';
import { eipPoolView } from '../../views/network-admin.js';

export default defineRoute({
  operation: 'describeEipPools',
  method: 'GET',
  path: '/admin/v1/eipPools',
  admin: true,
  errors: [],
  handle: async ({ services }) => ({
    eipPools: (await services.externalNetworks.listPools()).map(eipPoolView),
  }),
});
