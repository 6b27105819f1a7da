// describeElasticIp: GET /v1/regions/{regionId}/elasticIps/{elasticIpId}.
import { defineRoute } from '../../route.js';
import { elasticIpView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeElasticIp',
  method: 'GET',
  path: '/v1/regions/{regionId}/elasticIps/{elasticIpId}',
  errors: ['elasticIpNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    elasticIp: elasticIpView(
      await services.elasticIps.get({ accountId: account.id, regionId }, params.elasticIpId!),
    ),
  }),
});
