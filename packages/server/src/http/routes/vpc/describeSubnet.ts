// describeSubnet: GET /v1/regions/{regionId}/subnets/{subnetId}.
import { defineRoute } from '../../route.js';
import { subnetView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeSubnet',
  method: 'GET',
  path: '/v1/regions/{regionId}/subnets/{subnetId}',
  errors: ['subnetNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    subnet: subnetView(await services.vpcs.getSubnet({ accountId: account.id, regionId }, params.subnetId!)),
  }),
});
