// describeVpc: GET /v1/regions/{regionId}/vpcs/{vpcId}.
import { defineRoute } from '../../route.js';
import { vpcView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeVpc',
  method: 'GET',
  path: '/v1/regions/{regionId}/vpcs/{vpcId}',
  errors: ['vpcNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    vpc: vpcView(await services.vpcs.getVpc({ accountId: account.id, regionId }, params.vpcId!)),
  }),
});
