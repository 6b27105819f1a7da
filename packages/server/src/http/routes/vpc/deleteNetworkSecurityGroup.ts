// deleteNetworkSecurityGroup: DELETE /v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId} — not a default group, not one in use.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteNetworkSecurityGroup',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}',
  errors: ['securityGroupNotFound', 'securityGroupInUse', 'defaultSecurityGroup'],
  handle: async ({ services, account, regionId, params }) => {
    await services.securityGroups.delete({ accountId: account.id, regionId }, params.networkSecurityGroupId!);
    return undefined;
  },
});
