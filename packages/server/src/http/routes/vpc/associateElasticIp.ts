// associateElasticIp: POST /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:associateElasticIp — a free EIP to one of its addresses.
import { associateElasticIpBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'associateElasticIp',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:associateElasticIp',
  body: associateElasticIpBody,
  errors: [
    'networkInterfaceNotFound',
    'elasticIpNotFound',
    'elasticIpAssociated',
    'invalidParameter',
    'eipPoolExhausted',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.elasticIps.associate(
      { accountId: account.id, regionId },
      params.networkInterfaceId!,
      body,
    );
    return undefined;
  },
});
