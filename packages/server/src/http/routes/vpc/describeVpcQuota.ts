// vpc describeQuota: GET /v1/regions/{regionId}/quotas/ signed for the `vpc` service — the same
// path as vm's describeQuotas, told apart by the credential scope. Query: type, parentResourceId.
import { Errors } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeQuota',
  method: 'GET',
  path: '/v1/regions/{regionId}/quotas',
  service: 'vpc',
  errors: ['invalidParameter', 'missingParameter', 'securityGroupNotFound'],
  handle: ({ services, account, regionId, query }) => {
    const type = query.type;
    if (typeof type !== 'string' || type === '') throw Errors.missingParameter('type');
    const parent = query.parentResourceId;
    if (parent !== undefined && typeof parent !== 'string') throw Errors.invalidParameter('parentResourceId');
    return services.vpcQuota.describe({ accountId: account.id, regionId }, type, parent || undefined);
  },
});
