// disassociateElasticIp: POST /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:disassociateElasticIp.
import { disassociateElasticIpBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'disassociateElasticIp',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:disassociateElasticIp',
  body: disassociateElasticIpBody,
  errors: ['networkInterfaceNotFound', 'elasticIpNotFound', 'elasticIpNotAssociated'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.elasticIps.disassociate(
      { accountId: account.id, regionId },
      params.networkInterfaceId!,
      body,
    );
    return undefined;
  },
});
