// describeNetworkSecurityGroup: GET /v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}.
import { defineRoute } from '../../route.js';
import { securityGroupView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeNetworkSecurityGroup',
  method: 'GET',
  path: '/v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}',
  errors: ['securityGroupNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    networkSecurityGroup: securityGroupView(
      await services.securityGroups.get({ accountId: account.id, regionId }, params.networkSecurityGroupId!),
    ),
  }),
});
