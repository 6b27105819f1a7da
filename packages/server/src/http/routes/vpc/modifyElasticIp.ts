// modifyElasticIp: PATCH /v1/regions/{regionId}/elasticIps/{elasticIpId} — the bandwidth limit.
import { modifyElasticIpBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyElasticIp',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/elasticIps/{elasticIpId}',
  body: modifyElasticIpBody,
  errors: ['elasticIpNotFound', 'outOfRange'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.elasticIps.modify(
      { accountId: account.id, regionId },
      params.elasticIpId!,
      body.bandwidthMbps,
    );
    return undefined;
  },
});
