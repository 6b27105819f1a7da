// deleteVpc: DELETE /v1/regions/{regionId}/vpcs/{vpcId} — only a VPC without subnets or groups of its own.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteVpc',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/vpcs/{vpcId}',
  errors: ['vpcNotFound', 'vpcHasSubnets', 'vpcHasSecurityGroups'],
  handle: async ({ services, account, regionId, params }) => {
    await services.vpcs.deleteVpc({ accountId: account.id, regionId }, params.vpcId!);
    return undefined;
  },
});
