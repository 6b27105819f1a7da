// deleteElasticIp: DELETE /v1/regions/{regionId}/elasticIps/{elasticIpId} — only an EIP bound to nothing.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteElasticIp',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/elasticIps/{elasticIpId}',
  errors: ['elasticIpNotFound', 'elasticIpAssociated'],
  handle: async ({ services, account, regionId, params }) => {
    await services.elasticIps.delete({ accountId: account.id, regionId }, params.elasticIpId!);
    return undefined;
  },
});
