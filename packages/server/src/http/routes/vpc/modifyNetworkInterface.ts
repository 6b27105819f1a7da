// modifyNetworkInterface: PATCH /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId} — name, description, security groups.
import { modifyNetworkInterfaceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyNetworkInterface',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}',
  body: modifyNetworkInterfaceBody,
  errors: [
    'networkInterfaceNotFound',
    'invalidParameter',
    'securityGroupNotFound',
    'tooManySecurityGroups',
    'securityGroupOfOtherVpc',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.networkInterfaces.modify({ accountId: account.id, regionId }, params.networkInterfaceId!, {
      name: body.networkInterfaceName,
      description: body.description,
      securityGroups: body.securityGroups,
    });
    return undefined;
  },
});
