// createElasticIps: POST /v1/regions/{regionId}/elasticIps — maxCount addresses from the region's pools for the provider, all or none.
import { createElasticIpsBody } from '@kumo/contract';
import { requirePostpaid } from '../../../billing/charges.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createElasticIps',
  method: 'POST',
  path: '/v1/regions/{regionId}/elasticIps',
  body: createElasticIpsBody,
  errors: ['invalidParameter', 'unsupported', 'outOfRange', 'ipInUse', 'eipPoolExhausted', 'quotaExceeded'],
  handle: async ({ services, account, regionId, body, requestId }) => {
    requirePostpaid(body.elasticIpSpec.chargeSpec, 'ElasticIpSpec.ChargeSpec');
    return {
      ...(await services.elasticIps.create(
        { accountId: account.id, regionId },
        {
          maxCount: body.maxCount,
          elasticIpAddress: body.elasticIpAddress,
          bandwidthMbps: body.elasticIpSpec.bandwidthMbps,
          provider: body.elasticIpSpec.provider,
        },
      )),
      requestId,
    };
  },
});
