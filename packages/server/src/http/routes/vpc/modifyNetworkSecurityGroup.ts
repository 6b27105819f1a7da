// modifyNetworkSecurityGroup: PATCH /v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId} — name and description.
import { modifyNetworkSecurityGroupBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyNetworkSecurityGroup',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}',
  body: modifyNetworkSecurityGroupBody,
  errors: ['securityGroupNotFound', 'invalidParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.securityGroups.modify(
      { accountId: account.id, regionId },
      params.networkSecurityGroupId!,
      {
        ...(body.networkSecurityGroupName !== undefined ? { name: body.networkSecurityGroupName } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
      },
    );
    return undefined;
  },
});
